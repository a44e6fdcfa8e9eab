"""The Pi site's local answer, measured on this machine: what `SONICSIGHT_LOCAL` costs when the Space does not answer.

A fresh process imports the slim core (no torch), loads the shipped model and analyses clips the way the Pi site does
(`ask_local`: `keep_freed_memory`, then `load_model(low_memory=True).analyze`, the whole JSON): cold time to the first
answer, warm time per 5 s clip and per 15 s recording, and the process's peak resident memory. The baseline, in the same
run and alternating with it, is the same process with onnxruntime's own defaults (its memory arena and memory pattern
on), which `low_memory` turns off. What the options do to batches: `bench/onnx_memory.py`.

    python bench/pi_local.py [--runs 20] [--pairs 2] [--model esc50]
"""
import argparse, json, statistics, subprocess, sys
from pathlib import Path

CHILD = '''
import json, resource, statistics, sys, time
if sys.argv[3] == 'ort-defaults':  # the baseline: onnxruntime's memory arena and memory pattern back on
    sys.path.insert(0, sys.argv[4]); import ort_defaults
t0 = time.perf_counter()
from sonicsight.inference import load_model, example_clips
from sonicsight.spectrogram import keep_freed_memory
keep_freed_memory()
clf = load_model(sys.argv[1], low_memory=True); clips = example_clips()
clf.analyze(clips['dog']); cold = time.perf_counter() - t0
def timed(clip, n):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); clf.analyze(clip); ts.append(time.perf_counter() - t)
    return statistics.median(ts)
runs = int(sys.argv[2])
print(json.dumps({'cold_s': cold, 'clip_ms': 1000*timed(clips['dog'], runs), 'long_ms': 1000*timed(clips['rain, dog, rooster'], max(3, runs//4)),
                  'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024,
                  'heavy_imported': sorted({'torch', 'fastai', 'pandas', 'matplotlib'} & set(sys.modules))}))
'''

def measure(model, runs, mode)->dict:
    out = subprocess.run([sys.executable, '-c', CHILD, model, str(runs), mode, str(Path(__file__).parent)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)

def show(name, r):
    print(f"  {name:13s} cold start to first answer {r['cold_s']:.2f} s; analyze a 5 s clip {r['clip_ms']:.0f} ms, "
          f"a 15 s recording {r['long_ms']:.0f} ms (medians); peak memory {r['peak_rss_mib']:.0f} MiB")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0]); p.add_argument('--runs', type=int, default=20)
    p.add_argument('--pairs', type=int, default=2); p.add_argument('--model', default='esc50'); args = p.parse_args()
    print(f"model {args.model}, {args.pairs} pairs of fresh processes, alternating")
    ours, base = [], []
    for i in range(args.pairs):
        pair = [('sonicsight', ours), ('ort-defaults', base)]
        for mode, rs in pair if i%2==0 else pair[::-1]:
            rs.append(measure(args.model, args.runs, mode)); show(mode, rs[-1])
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    print(f"sonicsight / onnxruntime defaults (medians of the pairs): peak memory {med(ours, 'peak_rss_mib'):.0f} / "
          f"{med(base, 'peak_rss_mib'):.0f} MiB = {med(ours, 'peak_rss_mib')/med(base, 'peak_rss_mib'):.2f}x; "
          f"5 s clip {med(ours, 'clip_ms')/med(base, 'clip_ms'):.2f}x, 15 s recording {med(ours, 'long_ms')/med(base, 'long_ms'):.2f}x, "
          f"cold start {med(ours, 'cold_s')/med(base, 'cold_s'):.2f}x the time")
    print(f"heavy modules imported: {ours[0]['heavy_imported'] or 'none'}")
