"""Does YAMNet's own AudioSet classifier help a cats-dogs model? The five-fold study behind session 29's rule (docs/models.md).

For each of five runs of one recipe on the grouped folds (`sonicsight train cats-dogs --valid foldN`): its probabilities
for its validation windows, and for the same windows the logits of the zero-shot expert `sonicsight.yamnet.YAMNetAudioSet`
(z_cat and z_dog: AudioSet's Cat and Dog subtrees at their surest patch; nothing fitted on our recordings). The
candidates join the two:
- `mean w t`: (1 - w)·p + w·softmax(z_cat, z_dog, t), the weighted mean that `sonicsight ensemble --member-weights` computes;
- `product w`: p(cat) and p(dog) times softmax(z_cat, z_dog)**w, renormalised to p(cat) + p(dog); p(other) untouched.
Each is scored by recording (the mean of its windows, as `predict` answers) on each fold: the mean recall of cat, dog and
`other`, then the mean over the folds. The nested score answers each fold with the candidate best on the other four.
`--hop 96` scores the expert that hears every other patch (5 of a 5 s window, hop 0.96 s) as well.

    python scripts/cats_dogs_audioset.py runs/cdz/v6-f{1,2,3,4,5}/cats-dogs.pkl [--hop 48 96] [--save probs.npz]

With `--expert OUT --rest T` it writes the expert instead, as a member `sonicsight ensemble` joins (`save_yamnet_head`),
for the classes and audio of the model `--like` (default: the shipped cats-dogs):

    python scripts/cats_dogs_audioset.py --expert runs/cdz/audioset.pt --rest -2 [--hop 96]
"""
import argparse, json
from pathlib import Path
import numpy as np, torch
from scipy.special import softmax
from cats_dogs_holdouts import holdout_probs, recording_scores
from cats_dogs_probe import window_audio
from sonicsight.audio import AudioConfig, OTHER
from sonicsight.yamnet import audioset_expert, YAMNET_HOP

CANDIDATES = [('mean', w, t) for w in (1/3, 1/2) for t in (-3, -2, -1, 0)] + [('product', w, None) for w in (1/2, 1)]  # fixed in the rule

def expert_logits(windows:list, vocab:list, hop:int=YAMNET_HOP, bs:int=32)->np.ndarray:
    "The zero-shot expert's logits (windows x `vocab`) for 5 s windows of audio, patches every `hop` frames; `other` at 0 (each candidate sets its own)"
    ex, _ = audioset_expert(list(vocab), rest=0.0, hop=hop)
    with torch.inference_mode(): return torch.cat([ex(torch.from_numpy(np.stack(windows[i:i+bs]))) for i in range(0, len(windows), bs)]).numpy()

def join(p:np.ndarray, z:np.ndarray, o:int, kind:str, w:float, t:float|None)->np.ndarray:
    "Window probabilities `p` joined with the expert's logits `z` as candidate (`kind`, `w`, `t`); `o` the `other` column"
    if kind=='mean': return (1-w)*p + w*softmax(np.where(np.arange(p.shape[1])==o, t, z), 1)
    a = [i for i in range(p.shape[1]) if i!=o]; out = p.copy()
    pa = p[:, a]*softmax(z[:, a], 1)**w
    out[:, a] = pa/pa.sum(1, keepdims=True)*p[:, a].sum(1, keepdims=True)
    return out

def write_expert(out, rest:float, like='cats-dogs', hop:int=YAMNET_HOP)->dict:
    "Write the zero-shot expert for the classes and audio of the model `like` to `out`, with its card"
    from sonicsight.inference import load_model
    from sonicsight.yamnet import save_yamnet_head
    card = load_model(like).card
    ex, about = audioset_expert(card['classes'], rest=rest, hop=hop)
    return save_yamnet_head(ex, out, {'classes': card['classes'], 'audio': card['audio'], 'weights': about, 'training_data': 'none: zero-shot',
        'command': f'python scripts/cats_dogs_audioset.py --expert {out} --rest {rest} --hop {hop}',
        'expert': {'audioset_groups': ex.groups, 'rest_logit': rest, 'patches': f"each class's largest logit over the window's 0.96 s patches, one every {hop/100:.2f} s"}})

def name(c): return f"mean w={c[1]:.2f} t={c[2]}" if c[0]=='mean' else f"product w={c[1]}"

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument('pkls', nargs='*', metavar='PKL', help="one recipe's runs on fold1..fold5"); a.add_argument('--save', help='write every window\'s probabilities and logits here (.npz)')
    a.add_argument('--expert', metavar='OUT', help='write the expert here instead'); a.add_argument('--rest', type=float, help="its `other` logit (with --expert)")
    a.add_argument('--like', default='cats-dogs', help='the model whose classes and audio the expert takes (with --expert)')
    a.add_argument('--hop', type=int, nargs='+', default=[YAMNET_HOP], help='frames of 10 ms between the patches the expert hears: 48 (9 patches, as YAMNet was trained), 96 (5)')
    args = a.parse_args()
    if args.expert:
        if args.rest is None: a.error('--expert needs --rest')
        print(json.dumps(write_expert(args.expert, args.rest, args.like, args.hop[0]), indent=1)); raise SystemExit
    if len(args.pkls)!=5: a.error('five runs, one per fold')
    folds = []
    for pkl in args.pkls:
        valid, p, vocab = holdout_probs(pkl)
        cfg = AudioConfig.from_dict(json.loads(Path(pkl).with_suffix('.json').read_text())['audio'])
        audio = window_audio(valid, cfg)
        folds.append((valid, p, vocab, {h: expert_logits(audio, vocab, h) for h in args.hop}))
        print(f"{pkl}: {valid.valid.iloc[0]}, {len(valid)} windows", flush=True)
    if args.save: np.savez(args.save, **{f'{k}{i}': v for i, (valid, p, vocab, z) in enumerate(folds) for k, v in
                                       (('png', valid.png.to_numpy()), ('group', valid.group.to_numpy()), ('label', valid.label.to_numpy()), ('probs', p),
                                        *((f'logits_hop{h}', zh) for h, zh in z.items()))}, vocab=folds[0][2])
    def scored(c, hop=None):
        return [recording_scores(valid, p if c is None else join(p, z[hop], list(vocab).index(OTHER), *c), vocab) for valid, p, vocab, z in folds]
    def line(label, s):
        vocab = list(s[0]['right'])
        counts = '  '.join(f"{v} {sum(f['right'][v] for f in s)}/{sum(f['of'][v] for f in s)}" for v in vocab)
        return f"{label:24s} " + ' / '.join(f"{100*f['balanced']:.1f}" for f in s) + f" (mean {100*np.mean([f['balanced'] for f in s]):.2f} %)  {counts}"
    base = scored(None); print(line('the runs alone', base))
    for hop in args.hop:
        print(f"the expert hearing a patch every {hop/100:.2f} s")
        table = {c: scored(c, hop) for c in CANDIDATES}
        for c, s in table.items(): print(line(name(c), s))
        nested, picks = [], []
        for k in range(5):
            best = max(CANDIDATES, key=lambda c: np.mean([f['balanced'] for j, f in enumerate(table[c]) if j!=k]))  # ties: the first listed
            nested.append(table[best][k]); picks.append(name(best))
        print(line('nested', nested)); print('  fold by fold: ' + '; '.join(picks))
        print(f"  best on all five: {name(max(CANDIDATES, key=lambda c: np.mean([f['balanced'] for f in table[c]])))}")
