"""Fold-4 accuracy of each fold-4 run of scripts/esc50-sweep.sh and of the mean of every subset of them: the choice of ensemble, made on validation.

With `--first A B`, of cascades instead (`sonicsight ensemble --cascade 2`): runs A and B answer every clip, and each
subset of the others joins the mean where A and B name different classes; with `--rest C D D` too, of that one cascade
(a run named twice counts twice, as two seeds of one recipe would)."""
import argparse, itertools, json
import numpy as np

def subset_scores(npz, first:list|None=None, rest:list|None=None)->list[tuple[tuple,float]]:
    d = np.load(npz)
    vocab, label = d['vocab'], d['label']
    runs = {k.split(':', 1)[1]: d[k] for k in d.files if k.startswith('probs:')}
    acc = lambda p: float((vocab[p.argmax(1)]==label).mean())
    if first:
        P = [runs[r] for r in first]; agree = np.all([p.argmax(1)==P[0].argmax(1) for p in P[1:]], 0)
        others = sorted(set(runs)-set(first))
        combos = [tuple(rest)] if rest else [c for n in range(len(others)+1) for c in itertools.combinations(others, n)]
        scores = [((*first, '|', *combo), acc(np.where(agree[:,None], np.mean(P, 0), np.mean(P+[runs[r] for r in combo], 0)))) for combo in combos]
    else: scores = [(combo, acc(np.mean([runs[r] for r in combo], 0))) for n in range(1, len(runs)+1) for combo in itertools.combinations(sorted(runs), n)]
    return sorted(scores, key=lambda s: (-s[1], len(s[0])))

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__); a.add_argument('npz'); a.add_argument('--json', action='store_true')
    a.add_argument('--first', nargs='+', help='the runs that answer every clip of a cascade')
    a.add_argument('--rest', nargs='+', help="with --first: the cascade's tie stage (a name twice counts twice)")
    args = a.parse_args()
    scores = subset_scores(args.npz, args.first, args.rest)
    if args.json: print(json.dumps([{'runs': list(c), 'fold4_accuracy': s} for c,s in scores], indent=1))
    else:
        for c,s in scores: print(f"{s:.4f}  {' + '.join(c).replace(' + | + ', ' | ').replace(' + |', ' |')}")
