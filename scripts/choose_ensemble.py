"Fold-4 accuracy of each fold-4 run of scripts/esc50-sweep.sh and of the mean of every subset of them: the choice of ensemble, made on validation."
import argparse, itertools, json
import numpy as np

def subset_scores(npz)->list[tuple[tuple,float]]:
    d = np.load(npz)
    vocab, label = d['vocab'], d['label']
    runs = {k.split(':', 1)[1]: d[k] for k in d.files if k.startswith('probs:')}
    acc = lambda p: float((vocab[p.argmax(1)]==label).mean())
    scores = [(combo, acc(np.mean([runs[r] for r in combo], 0))) for n in range(1, len(runs)+1) for combo in itertools.combinations(sorted(runs), n)]
    return sorted(scores, key=lambda s: (-s[1], len(s[0])))

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__); a.add_argument('npz'); a.add_argument('--json', action='store_true')
    scores = subset_scores(a.parse_args().npz)
    if a.parse_args().json: print(json.dumps([{'runs': list(c), 'fold4_accuracy': s} for c,s in scores], indent=1))
    else:
        for c,s in scores: print(f'{s:.4f}  {" + ".join(c)}')
