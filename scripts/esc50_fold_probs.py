"Class probabilities of exported learners on one ESC-50 fold, from the spectrogram cache: for choosing an ensemble on validation."
import argparse, os, warnings
from pathlib import Path
import numpy as np, torch
from sonicsight.data import cache_root, esc50_items, with_pngs
from sonicsight.train import load_learner_quietly

def fold_probs(pkls, fold:int, esc50_dir=None, last:bool=False)->dict:
    "With `last`, each learner gets the weights its run ended with (`models/last.pth` beside it): what a final run with `--valid none` keeps"
    items = esc50_items(esc50_dir, require_audio=False)
    t = with_pngs(items[items.fold==fold].assign(label=lambda d: d.category), cache_root()/'esc50')
    out = {'png': np.array([Path(p).name for p in t.png]), 'label': t.label.to_numpy().astype(str)}
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    for p in pkls:
        learn = load_learner_quietly(p, cpu=dev=='cpu')
        if last: learn.path = Path(p).parent; learn.load('last', with_opt=False, device='cpu')  # what `resume_from` reads
        learn.model.float().to(dev); name = Path(p).parent.name + ('-last' if last else '')
        probs,_ = learn.get_preds(dl=learn.dls.test_dl(list(t.png), device=dev, **({'num_workers': 0} if dev=='cpu' else {})))
        vocab = list(learn.dls.vocab)
        out[f'probs:{name}'] = probs.numpy()
        out['vocab'] = np.array(vocab)
        print(name, 'fold', fold, 'accuracy', float((np.array(vocab)[probs.argmax(1).numpy()]==out['label']).mean()))
    return out

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__)
    a.add_argument('pkls', nargs='+'); a.add_argument('--fold', type=int, default=4); a.add_argument('--out', required=True)
    a.add_argument('--esc50', help='ESC-50 folder (metadata is enough)')
    a.add_argument('--last', action='store_true', help="score each run's last epoch, not the epoch it exported")
    args = a.parse_args()
    np.savez(args.out, **fold_probs(args.pkls, args.fold, args.esc50, args.last))
