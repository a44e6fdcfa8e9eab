"The audio loader and spectrogram renderer on real clips and awkward inputs."
import io, shutil, subprocess
import numpy as np, pytest, soundfile as sf
from PIL import Image
from sonicsight.audio import AudioConfig, AudioDecodeError, load_audio, frame_windows
from sonicsight.spectrogram import model_input, render_file, file_to_images

cfg = AudioConfig()

def encoded(y, sr, fmt='WAV', subtype=None):
    buf = io.BytesIO(); sf.write(buf, y, sr, format=fmt, subtype=subtype); return buf.getvalue()

def test_real_clip_decodes_and_renders_identically_to_its_png(dog_clip, tmp_path):
    y = load_audio(dog_clip, cfg.sample_rate)
    assert y.shape == (80_000,) and y.dtype == np.float32 and np.abs(y).max() > 0.05
    png = render_file(dog_clip, tmp_path, cfg)[0]
    assert np.array_equal(np.asarray(Image.open(png)), model_input(y, cfg))
    assert Image.open(png).size == (cfg.n_frames, cfg.n_mels)

def test_content_not_extension_decides(dog_clip, tmp_path):
    disguised = tmp_path/'clip.mp3'; shutil.copy(dog_clip, disguised)  # a FLAC named .mp3
    assert np.array_equal(load_audio(disguised), load_audio(dog_clip))
    png = tmp_path/'sound.wav'; Image.new('L', (4, 4)).save(png, format='PNG')
    with pytest.raises(AudioDecodeError, match='sound.wav: not an audio file'): load_audio(png)

@pytest.mark.parametrize('sr,channels', [(8_000, 1), (96_000, 1), (44_100, 2), (48_000, 6)])
def test_rates_and_channels(sr, channels):
    t = np.arange(sr)/sr
    y = np.stack([0.2*np.sin(2*np.pi*440*t)]*channels, 1) if channels > 1 else 0.2*np.sin(2*np.pi*440*t)
    out = load_audio(encoded(y, sr), 16_000)
    assert out.ndim == 1 and abs(len(out) - 16_000) <= 1

@pytest.mark.parametrize('fmt,subtype', [('MP3', None), ('OGG', 'VORBIS'), ('OGG', 'OPUS'), ('FLAC', None)])
def test_compressed_formats(fmt, subtype):
    y = 0.3*np.sin(2*np.pi*440*np.arange(48_000)/48_000)
    out = load_audio(encoded(y, 48_000, fmt, subtype), 16_000)
    assert abs(len(out) - 16_000) < 2_000 and np.abs(out).max() > 0.1

@pytest.mark.skipif(shutil.which('ffmpeg') is None, reason='ffmpeg not installed')
@pytest.mark.parametrize('ext,codec', [('m4a', 'aac'), ('webm', 'libopus')])
def test_ffmpeg_containers(dog_clip, tmp_path, ext, codec):
    out = tmp_path/f'dog.{ext}'
    subprocess.run(['ffmpeg', '-v', 'error', '-i', str(dog_clip), '-c:a', codec, str(out)], check=True)
    y = load_audio(out.read_bytes(), 16_000)
    assert abs(len(y) - 80_000) < 3_000

def test_silence_short_long_and_nonfinite():
    assert model_input(np.zeros(cfg.clip_samples, np.float32), cfg).max() == 0
    short = load_audio(encoded(np.full(10, 0.1), 16_000))
    assert len(file_to_images(encoded(short, 16_000), cfg)) == 1
    bad = np.sin(np.arange(16_000)/3).astype(np.float32); bad[::7] = np.nan; bad[::11] = np.inf
    assert np.isfinite(load_audio(encoded(bad, 16_000, subtype='FLOAT'))).all()
    ten_minutes = np.zeros(600*16_000, np.float32)
    windows, starts = frame_windows(ten_minutes, cfg)
    assert len(starts) == 239 and starts[-1] == 595.0 and next(windows).shape == (cfg.clip_samples,)

@pytest.mark.parametrize('data,reason', [(b'', 'empty file'), (b'RIFF\x00\x00\x00\x00WAVE', 'truncated or corrupt'),
                                         (b'just some text', 'not an audio file')])
def test_bad_inputs_are_typed_errors(data, reason):
    with pytest.raises(AudioDecodeError, match=reason): load_audio(data, name='upload')
