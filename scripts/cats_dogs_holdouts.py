"""Scores of cats-dogs runs, by recording, on the validation set each one trained beside: its card's `valid` (the grouped
hold-out, or `fold1`..`fold5` of a grouped 5-fold split), drawn by its card's seed. An ensemble (`sonicsight ensemble`) of
runs that validated on one split is scored on that split.

A recording's answer is the mean of its windows' probabilities, as `predict` answers a long file; `--pool` tries other
ways to join them (`weighted`: each window weighted by 1 - p(other); `foreground`: only the windows where cat or dog
beats other, all of them if none does). Per run: window
accuracy, recording accuracy, recall of cat, dog and other by recording, and their mean ("balanced": the Kaggle test
split is half cats, half dogs, while the hold-outs hold 2.7 cat windows per dog window). Then the mean of each score
over the runs given: pass one recipe's runs on several seeds, or on the five folds (`train --valid foldN`, which
validate every training recording once), to compare recipes on several validation sets at once.

    python scripts/cats_dogs_holdouts.py runs/cd-v6-f{1,2,3,4,5}/cats-dogs.pkl [--pool weighted]
"""
import argparse, json
from pathlib import Path
import numpy as np, pandas as pd
from sonicsight.audio import OTHER
from sonicsight.recipes import recipe_table
from sonicsight.train import load_learner_quietly

def _foreground(p, o):
    fg = p[np.delete(p, o, 1).max(1) > p[:, o]]
    return (fg if len(fg) else p).mean(0)

POOLS = {'mean': lambda p, o: p.mean(0),  # what `predict` does
         'weighted': lambda p, o: (p*(1 - p[:, o:o+1])).sum(0)/(1 - p[:, o]).sum(),
         'foreground': _foreground}  # ways to join a recording's window probabilities (windows x classes; `o` the background column)

def holdout_probs(pkl)->tuple[pd.DataFrame,np.ndarray,np.ndarray]:
    "The validation windows of the exported learner at `pkl` (its card's seed and `valid` draw them), its probabilities for them, and its classes"
    card = json.loads(Path(pkl).with_suffix('.json').read_text())
    if 'seed' not in card: raise SystemExit(f"{pkl}: its members validated on different splits (or seeds): no one validation set to score")
    seed, split = card['seed'], card.get('valid', 'holdout')  # cards before `valid` was recorded used the hold-out
    if split=='none': raise SystemExit(f"{pkl} trained on every recording (valid: none): it has no validation set to score")
    table, _ = recipe_table('cats-dogs', seed=seed, valid=split)
    valid = table[table.is_valid].reset_index(drop=True)
    learn = load_learner_quietly(pkl); learn.model.float()
    probs, _ = learn.get_preds(dl=learn.dls.test_dl(list(valid.png), num_workers=0))
    return valid.assign(seed=seed, valid=split), probs.numpy(), np.array(learn.dls.vocab)

def recording_scores(valid:pd.DataFrame, probs:np.ndarray, vocab, pool:str='mean')->dict:
    "Window accuracy, recording accuracy, each class's recall by recording and their mean, of window probabilities `probs` (rows of `valid`), windows joined by `POOLS[pool]`"
    vocab = np.asarray(vocab); o, join = list(vocab).index(OTHER), POOLS[pool]
    rec_probs = pd.DataFrame({g: join(probs[idx], o) for g, idx in valid.groupby('group').indices.items()}, index=vocab).T
    rec_label = valid.groupby('group').label.first()
    answer = vocab[rec_probs.to_numpy().argmax(1)]; truth = rec_label.loc[rec_probs.index].to_numpy()
    recall = {f'recall_{c}': float((answer[truth==c]==c).mean()) for c in vocab}
    return {'windows': float((vocab[probs.argmax(1)]==valid.label.to_numpy()).mean()), 'recordings': float((answer==truth).mean()),
            **recall, 'balanced': float(np.mean(list(recall.values()))), 'n_windows': len(valid), 'n_recordings': len(truth),
            'right': {c: int(((answer==c)&(truth==c)).sum()) for c in vocab}, 'of': {c: int((truth==c).sum()) for c in vocab}}

def holdout_scores(pkl, pool:str='mean')->dict:
    "Scores of the exported learner at `pkl` on the validation set its card's seed and `valid` draw, windows joined by `POOLS[pool]`"
    valid, probs, vocab = holdout_probs(pkl)
    return {'seed': int(valid.seed.iloc[0]), 'valid': valid.valid.iloc[0], **recording_scores(valid, probs, vocab, pool)}

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument('pkls', nargs='+', metavar='PKL', help='exported cats-dogs learners with their cards')
    a.add_argument('--pool', choices=list(POOLS), default='mean', help="how a recording's windows answer together")
    rounded = lambda d: {k: round(v, 4) if isinstance(v, float) else v for k,v in d.items()}
    scores = []
    args = a.parse_args()
    for p in args.pkls:
        scores.append(holdout_scores(p, args.pool)); print(json.dumps({'model': p, **rounded(scores[-1])}), flush=True)
    keys = [k for k in scores[0] if k not in ('seed', 'valid', 'n_windows', 'n_recordings', 'right', 'of')]
    print(json.dumps({'mean over': len(scores), **rounded({k: float(np.mean([s[k] for s in scores])) for k in keys})}))
