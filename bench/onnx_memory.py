"""What onnxruntime's memory arena and memory pattern buy and cost the ONNX runner: `predict_batch` throughput, the single
`predict` and peak memory, in fresh processes, for three session options, alternating over rounds.

- `ort-defaults`: onnxruntime's own (arena and memory pattern on), the baseline
- `sonicsight`: what `load_model` runs (the arena kept, no memory pattern)
- `low_memory`: what `load_model(low_memory=True)` runs, as the Pi site does (neither)

Each process sets up as the CLI and the Space do (`keep_freed_memory`), loads the model, batches 50 ESC-50 fold-5 clips
through `predict_batch` 5 times and `predict`s them one by one.

    python bench/onnx_memory.py [--model esc50] [--rounds 2]
"""
import argparse, json, statistics, subprocess, sys
from pathlib import Path

CHILD = '''
import json, resource, sys, time
import numpy as np
mode = sys.argv[2]
if mode == 'ort-defaults':
    sys.path.insert(0, sys.argv[3]); import ort_defaults
from sonicsight.data import esc50_items
from sonicsight.inference import load_model
from sonicsight.spectrogram import keep_freed_memory
keep_freed_memory()
items = esc50_items(); paths = list(items[items.fold==5].path.iloc[::8][:50])
clf = load_model(sys.argv[1], low_memory=mode=='low_memory'); clf.predict_batch(paths)
ts = []
for _ in range(5):
    t = time.perf_counter(); clf.predict_batch(paths); ts.append(time.perf_counter() - t)
one = []
for p in paths:
    t = time.perf_counter(); clf.predict(p); one.append(time.perf_counter() - t)
print(json.dumps({'batch_clips_s': len(paths)/float(np.median(ts)), 'predict_ms': 1000*float(np.median(one)),
                  'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))
'''
MODES = ('ort-defaults', 'sonicsight', 'low_memory')

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0]); p.add_argument('--model', default='esc50')
    p.add_argument('--rounds', type=int, default=2); args = p.parse_args()
    runs = {m: [] for m in MODES}
    for i in range(args.rounds):
        for m in MODES if i%2==0 else MODES[::-1]:
            out = subprocess.run([sys.executable, '-c', CHILD, args.model, m, str(Path(__file__).parent)],
                                 capture_output=True, text=True, check=True).stdout
            runs[m].append(json.loads(out.splitlines()[-1]))
            r = runs[m][-1]
            print(f"  {m:12s} batch {r['batch_clips_s']:5.1f} clips/s, predict {r['predict_ms']:5.1f} ms, peak memory {r['peak_rss_mib']:.0f} MiB")
    med = {m: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for m, rs in runs.items()}
    b = med['ort-defaults']
    for m in MODES[1:]:
        print(f"{m} / ort-defaults (medians over {args.rounds} rounds): batch throughput {med[m]['batch_clips_s']/b['batch_clips_s']:.2f}x, "
              f"predict time {med[m]['predict_ms']/b['predict_ms']:.2f}x, peak memory {med[m]['peak_rss_mib']/b['peak_rss_mib']:.2f}x")
