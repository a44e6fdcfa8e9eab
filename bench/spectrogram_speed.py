"""Loading + rendering the model-input spectrogram: SonicSight vs the original notebook's way, in one run.

Baseline (the original SonicSight notebook): librosa.load (its default 22.05 kHz resampling), a mel spectrogram,
librosa.display.specshow into an 8x6 matplotlib figure, savefig PNG. Ours: `render_file`, the function that fills the
spectrogram cache (soundfile + soxr, numpy log-mel, `png_bytes`), in a process set up as `sonicsight spectrograms` sets
up its workers (`keep_freed_memory`). Prints ms/clip for both and the ratio; with --full, also renders all of ESC-50
in parallel.

    python bench/spectrogram_speed.py [--n 50] [--full]
"""
import argparse, statistics, tempfile, time
from pathlib import Path
import numpy as np
from sonicsight.audio import AudioConfig
from sonicsight.spectrogram import render_file, keep_freed_memory
from sonicsight.data import esc50_items, render_dataset, dataset_path

def ours(path, out, cfg):
    render_file(path, Path(out).parent/'ours', cfg)

def baseline(path, out):
    import librosa, librosa.display, matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    y, sr = librosa.load(path)
    S = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr), ref=np.max)
    fig = plt.figure(figsize=(8, 6)); librosa.display.specshow(S, sr=sr); plt.axis('off')
    fig.savefig(out, bbox_inches='tight', pad_inches=0); plt.close(fig)

def timed(fn, paths, d):
    times = []
    for i,p in enumerate(paths):
        t = time.perf_counter(); fn(p, Path(d)/f'{i}.png'); times.append(time.perf_counter()-t)
    return 1000*statistics.mean(times), 1000*statistics.median(times)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=50); ap.add_argument('--full', action='store_true')
    args = ap.parse_args()
    cfg = AudioConfig()
    paths = list(esc50_items().path[:args.n])
    keep_freed_memory()
    with tempfile.TemporaryDirectory() as d:
        baseline(paths[0], Path(d)/'warm.png'); ours(paths[0], Path(d)/'warm2.png', cfg)  # imports and caches outside the timing
        b_mean, b_med = timed(baseline, paths, d)
        o_mean, o_med = timed(lambda p, o: ours(p, o, cfg), paths, d)
    print(f"clips: {len(paths)} ESC-50 clips, one process")
    print(f"baseline (librosa.load + specshow 8x6 figure + savefig): {b_mean:7.1f} ms/clip (median {b_med:.1f})")
    print(f"sonicsight render_file (soundfile + numpy + png_bytes): {o_mean:7.1f} ms/clip (median {o_med:.1f})")
    print(f"speed-up: {b_mean/o_mean:.1f}x")
    if args.full:
        with tempfile.TemporaryDirectory() as d:
            t = time.perf_counter(); r = render_dataset(dataset_path('esc50'), d, cfg, progress=False)
            print(f"full ESC-50: {r['pngs']} PNGs in {time.perf_counter()-t:.1f} s with 2 worker processes")
