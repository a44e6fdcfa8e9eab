"""A cascade's tie stage in batches: `predict_batch` over many clips, and `predict` of long recordings (whose windows go
through the model as one batch), with a model's shipped ONNX file against its learner re-exported by this checkout, in
the same run, same audio, alternating rounds.

An ONNX file exported before session 28 runs a cascade's later networks on the whole batch as soon as one clip or window
of it is a tie for the first ones; one exported now gathers the tie clips and runs them on those alone. A single 5 s clip
is one window either way, so `predict` of a clip (`bench/predict_speed.py`) does not change. Same weights: the answers
are checked to agree. If the shipped file already gathers, both sides do and the ratios are about 1.

    python bench/cascade_ties.py [--model esc50] [--n 100] [--seconds 30] [--rounds 3]
"""
import argparse, statistics, tempfile, time
import numpy as np
from sonicsight.audio import load_audio
from sonicsight.data import esc50_items
from sonicsight.spectrogram import keep_freed_memory
from onnx_maps_gate import reexported

def seconds(fn)->float:
    t = time.perf_counter(); fn(); return time.perf_counter()-t

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='esc50'); ap.add_argument('--n', type=int, default=100)
    ap.add_argument('--seconds', type=int, default=30); ap.add_argument('--rounds', type=int, default=3)
    args = ap.parse_args()
    items = esc50_items()
    paths = list(items[items.fold==5].path.iloc[::400//args.n][:args.n])  # fold 5, which no shipped model trained on
    keep_freed_memory()
    with tempfile.TemporaryDirectory() as d:
        old, new = reexported(args.model, d)
        sr, k = old.cfg.sample_rate, max(1, round(args.seconds/old.cfg.clip_seconds))
        # long recordings: k clips of fold 5 end to end, a new sound every clip length
        ys = [load_audio(p, sr) for p in paths]
        longs = [np.concatenate(ys[i:i+k]) for i in range(0, len(ys)-k+1, k)]
        P = {name: clf._probs(iter(ys), 64) for name, clf in (('shipped', old), ('re-exported', new))}
        print(f"{args.model} (cascade {old.card.get('cascade')}): largest difference of a probability over {len(ys)} clips in batches of 64: "
              f"{np.abs(P['shipped']-P['re-exported']).max():.2g}; top classes the same: {(P['shipped'].argmax(1)==P['re-exported'].argmax(1)).all()}")
        same = all(old.predict(y)['predictions']==new.predict(y)['predictions'] for y in longs)
        print(f"{len(longs)} recordings of {len(longs[0])/sr:.0f} s ({len(old.window_probs(longs[0])[1])} windows): same top-5 from both: {same}")
        rows = {k: [] for k in ('batch shipped', 'batch re-exported', 'long shipped', 'long re-exported')}
        for _ in range(args.rounds):
            for name, clf in (('shipped', old), ('re-exported', new)):
                rows[f'batch {name}'].append(len(paths)/seconds(lambda: clf.predict_batch(paths)))
                rows[f'long {name}'].append(1000*statistics.median(seconds(lambda: clf.predict(y)) for y in longs))
    for key, v in rows.items(): print(f"{key:18s} per round: {' '.join(f'{x:6.1f}' for x in v)} {'clips/s (predict_batch)' if key.startswith('batch') else f'ms per {args.seconds} s recording (predict, median)'}")
    r = [b/a for a,b in zip(rows['batch shipped'], rows['batch re-exported'])]
    print(f"predict_batch: re-exported {statistics.median(r):.2f}x the shipped file's throughput (rounds: {' '.join(f'{x:.2f}' for x in r)})")
    r = [a/b for a,b in zip(rows['long shipped'], rows['long re-exported'])]
    print(f"predict of a {args.seconds} s recording: re-exported {statistics.median(r):.2f}x the shipped file's speed (rounds: {' '.join(f'{x:.2f}' for x in r)})")
