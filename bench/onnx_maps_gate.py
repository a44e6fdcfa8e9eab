"""The maps gate (`export_onnx`'s boolean input `maps`): end-to-end `predict` and `analyze` with a model's shipped ONNX
file against its learner re-exported by this checkout, in the same run, same clips, alternating rounds.

ONNX Runtime runs every node of a graph whatever outputs are fetched, so a file exported before the gate computes the
feature maps and class activation maps for every `predict`; a gated file computes them only for `analyze`. Same weights:
the answers are checked to agree. If the shipped file is already gated, both sides are gated and the ratio is about 1.

    python bench/onnx_maps_gate.py [--model esc50] [--n 30] [--rounds 3]
"""
import argparse, shutil, statistics, tempfile, time
from pathlib import Path
import numpy as np
from sonicsight.data import esc50_items
from sonicsight.export import add_onnx
from sonicsight.inference import load_model, model_path
from sonicsight.spectrogram import keep_freed_memory

def median_ms(fn, paths):
    ts = []
    for p in paths:
        t = time.perf_counter(); fn(p); ts.append(time.perf_counter()-t)
    return 1000*statistics.median(ts)

def gated(clf)->bool:
    import onnxruntime as ort
    return 'maps' in {i.name for i in ort.InferenceSession(str(clf.path.with_suffix('.onnx'))).get_inputs()}

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='esc50'); ap.add_argument('--n', type=int, default=30); ap.add_argument('--rounds', type=int, default=3)
    args = ap.parse_args()
    paths = list(esc50_items().path.iloc[::40][:args.n])
    keep_freed_memory()
    with tempfile.TemporaryDirectory() as d:
        src = model_path(args.model)
        for ext in ('.pkl', '.json'): shutil.copy(src.with_suffix(ext), Path(d)/f'{src.stem}{ext}')
        add_onnx(Path(d)/src.name)
        old, new = load_model(args.model, runtime='onnx'), load_model(Path(d)/src.name, runtime='onnx')
        print(f"{args.model}: shipped ONNX gated: {gated(old)}; re-exported: {gated(new)}; "
              f"sizes {src.with_suffix('.onnx').stat().st_size/1e6:.2f} / {(Path(d)/src.name).with_suffix('.onnx').stat().st_size/1e6:.2f} MB")
        gap = max(np.abs(np.array([p['confidence'] for p in old.predict(f)['predictions']]) -
                         np.array([p['confidence'] for p in new.predict(f)['predictions']])).max() for f in paths)
        print(f"largest difference of a top-5 confidence over {len(paths)} clips: {gap:.2g}")
        for clf in (old, new): clf.predict(paths[0]); clf.analyze(paths[0])  # warm-up
        rows = {k: [] for k in ('predict shipped', 'predict re-exported', 'analyze shipped', 'analyze re-exported')}
        for _ in range(args.rounds):
            rows['predict shipped'].append(median_ms(lambda p: old.predict(p), paths))
            rows['predict re-exported'].append(median_ms(lambda p: new.predict(p), paths))
            rows['analyze shipped'].append(median_ms(lambda p: old.analyze(p), paths[:10]))
            rows['analyze re-exported'].append(median_ms(lambda p: new.analyze(p), paths[:10]))
    for k, v in rows.items(): print(f"{k:22s} median ms/clip per round: {' '.join(f'{x:6.1f}' for x in v)}")
    for what in ('predict', 'analyze'):
        r = [a/b for a,b in zip(rows[f'{what} shipped'], rows[f'{what} re-exported'])]
        print(f"{what}: re-exported is {statistics.median(r):.2f}x the shipped file's speed (rounds: {' '.join(f'{x:.2f}' for x in r)})")
