"""How often a cats-dogs model labels a long recording of other sounds cat or dog, for each way of joining its windows.

The five folds of `cats_dogs_holdouts.py` hold `other` recordings of one window each, so they cannot show what a pooling
rule does to long ones. This builds them: each recording is `--clips` ESC-50 clips of folds 1-4, from classes other than
cat and dog, that the model's training table never used (`recipe_table('cats-dogs')` takes 8 a class), joined end to end,
then answered window by window as `predict` does and decided with the model's threshold after each pool of
`cats_dogs_holdouts.POOLS`.

    python scripts/cats_dogs_long_other.py [--model cats-dogs] [--n 200] [--clips 4] [--seed 0]
"""
import argparse
from pathlib import Path
import numpy as np
from cats_dogs_holdouts import POOLS
from sonicsight.audio import OTHER, load_audio
from sonicsight.data import esc50_items
from sonicsight.inference import UNCERTAIN, load_model
from sonicsight.recipes import recipe_table

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument('--model', default='cats-dogs'); a.add_argument('--n', type=int, default=200)
    a.add_argument('--clips', type=int, default=4); a.add_argument('--seed', type=int, default=0)
    args = a.parse_args()
    meta = esc50_items()
    seen = {Path(p).stem for p in recipe_table('cats-dogs', valid='none')[0].png}
    pool = meta[(meta.fold <= 4) & ~meta.category.isin(['cat', 'dog']) & ~meta.path.map(lambda p: p.stem).isin(seen)]
    clf = load_model(args.model); o = clf.classes.index(OTHER); rng = np.random.default_rng(args.seed)
    labelled = dict.fromkeys(POOLS, 0)
    for _ in range(args.n):
        picks = pool.sample(args.clips, random_state=int(rng.integers(1 << 31)))
        _, starts, probs = clf.window_probs(np.concatenate([load_audio(f, clf.cfg.sample_rate) for f in picks.path]))
        for name, join in POOLS.items(): labelled[name] += clf.decide(join(probs, o)) != UNCERTAIN
    print(f"{args.n} recordings of {args.clips} unseen other clips ({len(starts)} windows each; {len(pool)} clips to draw from), "
          f"{args.model}: labelled cat or dog " + ', '.join(f'{k} {v}/{args.n}' for k, v in labelled.items()))
