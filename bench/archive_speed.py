"""Predicting an archive: files/s and audio hours per minute of `predict_archive` with worker processes, against the
one-process loop `sonicsight predict` ran before (load the model, `predict` each file in turn), measured in the same run
on the same ESC-50 clips (and their total duration). The files are read once before timing (so neither side pays for a
cold disk), and the two are timed alternately, `--rounds` times each; the medians are printed.

    python bench/archive_speed.py [--clips 200] [--workers 2] [--rounds 3]
"""
import argparse, os, statistics, sys, tempfile, time
from pathlib import Path
from sonicsight.archive import predict_archive
from sonicsight.data import data_root

def loop_baseline(files, model='esc50')->float:
    "The previous `sonicsight predict` loop, in this process; seconds"
    from sonicsight.inference import load_model
    t = time.perf_counter(); clf = load_model(model)
    for f in files: clf.predict(f)
    return time.perf_counter() - t

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--clips', type=int, default=200); p.add_argument('--workers', type=int, default=os.cpu_count())
    p.add_argument('--rounds', type=int, default=3)
    args = p.parse_args()
    files = sorted((data_root()/'esc50'/'audio').glob('5-*.flac'))[:args.clips]
    hours = len(files)*5/3600
    for f in files: f.read_bytes()  # into the page cache
    base, arch = [], []
    with tempfile.TemporaryDirectory() as d:
        src = Path(d)/'archive'; src.mkdir()
        for f in files: (src/f.name).symlink_to(f.resolve())
        for r in range(args.rounds):
            base.append(loop_baseline(sorted(src.iterdir())))
            arch.append(predict_archive(src, Path(d)/f'out{r}.jsonl', workers=args.workers, progress=False)['seconds'])
    b, a = statistics.median(base), statistics.median(arch)
    print(f"{len(files)} ESC-50 clips ({hours*60:.1f} audio minutes), {os.cpu_count()} cores, median of {args.rounds} alternating rounds")
    print(f"one-process loop:             {len(files)/b:6.1f} files/s, {hours/(b/60):6.2f} audio hours per minute  (rounds: {', '.join(f'{x:.1f}' for x in base)} s)")
    print(f"predict_archive, {args.workers} workers:  {len(files)/a:6.1f} files/s, {hours/(a/60):6.2f} audio hours per minute  (rounds: {', '.join(f'{x:.1f}' for x in arch)} s; "
          f"includes starting the workers and writing the JSONL): {b/a:.2f}x")
