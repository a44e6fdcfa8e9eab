"""The Pi site's local answer, measured on this machine: what `SONICSIGHT_LOCAL` costs when the Space does not answer.

A fresh process imports the slim core (no torch), loads the shipped model and analyses clips the way the Pi site does
(`Classifier.analyze`, the whole JSON): cold time to the first answer, warm time per 5 s clip and per 15 s recording,
and the process's peak resident memory. No baseline is involved: these are the absolute costs of a new path.

    python bench/pi_local.py [--runs 20]
"""
import argparse, json, resource, statistics, subprocess, sys, time

CHILD = '''
import json, resource, statistics, sys, time
t0 = time.perf_counter()
from sonicsight.inference import load_model, example_clips
clf = load_model(sys.argv[1]); clips = example_clips()
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

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0]); p.add_argument('--runs', type=int, default=20)
    p.add_argument('--model', default='esc50'); args = p.parse_args()
    r = json.loads(subprocess.run([sys.executable, '-c', CHILD, args.model, str(args.runs)], capture_output=True, text=True, check=True).stdout)
    print(f"model {args.model}: cold start to first answer {r['cold_s']:.2f} s; analyze a 5 s clip {r['clip_ms']:.0f} ms, "
          f"a 15 s recording {r['long_ms']:.0f} ms (medians); peak memory {r['peak_rss_mib']:.0f} MiB; heavy modules imported: {r['heavy_imported'] or 'none'}")
