"""The maps gate (`export_onnx`'s boolean input `maps`): end-to-end `predict` and `analyze` with a model's shipped ONNX
file against its learner re-exported by this checkout, in the same run, same clips, alternating rounds.

ONNX Runtime runs every node of a graph whatever outputs are fetched, so a file exported before the gate computes the
feature maps and class activation maps for every `predict`; a gated file computes them only for `analyze`. Same weights:
the answers are checked to agree. If the shipped file is already gated, both sides are gated and the ratio is about 1.

    python bench/onnx_maps_gate.py [--model esc50] [--n 30] [--rounds 3]
    python bench/onnx_maps_gate.py --archs efficientnet_lite0:1:16 efficientnet_lite1:1:16 efficientnet_lite0:2:32

`--archs ARCH:INPUT_SCALE:OUTPUT_STRIDE ...` times instead the network alone (one 5 s window, random weights, 50 classes)
of each, exported with the gate, without and with the maps: what a candidate would cost an answer.
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

def network_ms(specs, runs:int=40):
    "Median ms of one window through each gated network, without and with the maps"
    import onnxruntime as ort
    from sonicsight.audio import AudioConfig
    from sonicsight.export import export_onnx
    from sonicsight.train import create_model
    cfg, opts = AudioConfig(), ort.SessionOptions()
    opts.add_session_config_entry('session.intra_op.allow_spinning', '0')
    x = np.random.default_rng(0).standard_normal((1, 1, cfg.n_mels, cfg.n_frames), dtype=np.float32)
    with tempfile.TemporaryDirectory() as d:
        for spec in specs:
            arch, scale, stride = spec.split(':')
            p = export_onnx(create_model(arch, 50, input_scale=float(scale), output_stride=int(stride)).eval(), Path(d)/'net.onnx', cfg)
            sess = ort.InferenceSession(str(p), opts, providers=['CPUExecutionProvider'])
            ms = {}
            for maps in (False, True):
                run = lambda _: sess.run(None, {'spectrogram': x, 'maps': np.array(maps)})
                run(0); ms[maps] = median_ms(run, range(runs))
            print(f"{arch} input x{scale} output stride {stride}: {ms[False]:5.1f} ms without the maps, {ms[True]:5.1f} ms with them")

def reexported(model:str, d)->tuple:
    "The shipped model and its learner's ONNX twin exported by this checkout into folder `d`, both on the ONNX runtime"
    src = model_path(model)
    for ext in ('.pkl', '.json'): shutil.copy(src.with_suffix(ext), Path(d)/f'{src.stem}{ext}')
    add_onnx(Path(d)/src.name)
    return load_model(model, runtime='onnx'), load_model(Path(d)/src.name, runtime='onnx')

def shipped_vs_reexported(model:str, n:int, rounds:int):
    "Medians of `predict` and `analyze` per round: the shipped ONNX file against the learner re-exported now"
    paths = list(esc50_items().path.iloc[::40][:n])
    keep_freed_memory()
    with tempfile.TemporaryDirectory() as d:
        src = model_path(model)
        old, new = reexported(model, d)
        print(f"{model}: shipped ONNX gated: {gated(old)}; re-exported: {gated(new)}; "
              f"sizes {src.with_suffix('.onnx').stat().st_size/1e6:.2f} / {(Path(d)/src.name).with_suffix('.onnx').stat().st_size/1e6:.2f} MB")
        gap = max(np.abs(np.array([p['confidence'] for p in old.predict(f)['predictions']]) -
                         np.array([p['confidence'] for p in new.predict(f)['predictions']])).max() for f in paths)
        print(f"largest difference of a top-5 confidence over {len(paths)} clips: {gap:.2g}")
        for clf in (old, new): clf.predict(paths[0]); clf.analyze(paths[0])  # warm-up
        rows = {k: [] for k in ('predict shipped', 'predict re-exported', 'analyze shipped', 'analyze re-exported')}
        for _ in range(rounds):
            rows['predict shipped'].append(median_ms(lambda p: old.predict(p), paths))
            rows['predict re-exported'].append(median_ms(lambda p: new.predict(p), paths))
            rows['analyze shipped'].append(median_ms(lambda p: old.analyze(p), paths[:10]))
            rows['analyze re-exported'].append(median_ms(lambda p: new.analyze(p), paths[:10]))
    for k, v in rows.items(): print(f"{k:22s} median ms/clip per round: {' '.join(f'{x:6.1f}' for x in v)}")
    for what in ('predict', 'analyze'):
        r = [a/b for a,b in zip(rows[f'{what} shipped'], rows[f'{what} re-exported'])]
        print(f"{what}: re-exported is {statistics.median(r):.2f}x the shipped file's speed (rounds: {' '.join(f'{x:.2f}' for x in r)})")

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='esc50'); ap.add_argument('--n', type=int, default=30); ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--archs', nargs='+', help='ARCH:INPUT_SCALE:OUTPUT_STRIDE, e.g. efficientnet_lite1:1:16: time these networks instead')
    args = ap.parse_args()
    if args.archs: network_ms(args.archs)
    else: shipped_vs_reexported(args.model, args.n, args.rounds)
