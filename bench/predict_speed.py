"""End-to-end prediction speed: decode -> spectrogram -> model -> top-k, SonicSight vs the original notebook's way.

Baseline: librosa.load, a matplotlib specshow PNG, PIL open + resize 224, a torchvision resnet50 forward (fp32, random
weights: speed only). Ours: `Classifier.predict` of the shipped esc50 model in a warm process set up as the CLI and
the Space set theirs up (`keep_freed_memory`), on the ONNX runtime they use and, for comparison, on the torch runtime.
Clips from ESC-50 fold 5, which no shipped model trained on; the median answer is the target's measure, and the mean, 90th
percentile and slowest answer are printed beside it, since a cascade's answers differ in how many networks they run.
Also batch throughput (`predict_batch`) and the cold start of `sonicsight predict one.flac` in a fresh process.

    python bench/predict_speed.py [--n 50] [--model esc50]
"""
import argparse, io, statistics, subprocess, sys, time
from pathlib import Path
import numpy as np, torch
from sonicsight.data import esc50_items
from sonicsight.inference import load_model
from sonicsight.spectrogram import keep_freed_memory

def baseline_predict(path, model, tfm):
    import librosa, librosa.display, matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from PIL import Image
    y, sr = librosa.load(path)
    S = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr), ref=np.max)
    fig = plt.figure(figsize=(8, 6)); librosa.display.specshow(S, sr=sr); plt.axis('off')
    buf = io.BytesIO(); fig.savefig(buf, format='png', bbox_inches='tight', pad_inches=0); plt.close(fig); buf.seek(0)
    x = tfm(Image.open(buf).convert('RGB').resize((224, 224)))[None]
    with torch.inference_mode(): p = torch.softmax(model(x), 1)[0]
    return torch.topk(p, 5)

def times_ms(fn, paths)->np.ndarray:
    ts = []
    for p in paths:
        t = time.perf_counter(); fn(p); ts.append(time.perf_counter()-t)
    return 1000*np.array(ts)

def median_ms(fn, paths): return float(np.median(times_ms(fn, paths)))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=50); ap.add_argument('--model', default='esc50')
    args = ap.parse_args()
    import torchvision
    items = esc50_items()
    # fold 5, which no shipped model trained on: a cascade's tie-breakers run as often as they would on new audio
    paths = list(items[items.fold==5].path.iloc[::8][:args.n])
    r50 = torchvision.models.resnet50(weights=None).eval()
    tfm = torchvision.transforms.ToTensor()
    keep_freed_memory()
    clf, clf_torch = load_model(args.model), load_model(args.model, runtime='torch')
    baseline_predict(paths[0], r50, tfm); clf.predict(paths[0]); clf_torch.predict(paths[0])  # warm-up
    b = median_ms(lambda p: baseline_predict(p, r50, tfm), paths)
    ts = times_ms(lambda p: clf.predict(p, top_k=5), paths)
    o = float(np.median(ts))
    ot = median_ms(lambda p: clf_torch.predict(p, top_k=5), paths)
    print(f"clips: {len(paths)} ESC-50 clips, warm process, {torch.get_num_threads()} threads")
    print(f"baseline (librosa + specshow PNG + resize 224 + resnet50): median {b:7.1f} ms/clip")
    print(f"sonicsight predict ({clf.card.get('arch')}, {args.model}, {clf.runtime} runtime):  median {o:7.1f} ms/clip   speed-up {b/o:.1f}x")
    print(f"  the same answers: mean {ts.mean():.1f} ms ({b/ts.mean():.1f}x), 90th percentile {np.percentile(ts, 90):.1f} ms ({b/np.percentile(ts, 90):.1f}x), slowest {ts.max():.1f} ms"
          + (f"; a cascade: the networks after the first {clf.card['cascade']} run only where those disagree" if clf.card.get('cascade') else ''))
    print(f"sonicsight predict ({clf.card.get('arch')}, {args.model}, torch runtime): median {ot:7.1f} ms/clip   speed-up {b/ot:.1f}x")
    t = time.perf_counter(); clf.predict_batch(paths, top_k=5); dt = time.perf_counter()-t
    print(f"batch: {len(paths)/dt:.1f} clips/s (predict_batch over {len(paths)} clips)")
    exe = str(Path(sys.executable).parent/'sonicsight')
    colds = []
    for _ in range(3):
        t = time.perf_counter(); subprocess.run([exe, 'predict', str(paths[0]), '--model', args.model], check=True, capture_output=True)
        colds.append(time.perf_counter()-t)
    print(f"cold start `sonicsight predict one.flac`: median {statistics.median(colds):.2f} s over 3 runs (min {min(colds):.2f} s)")
