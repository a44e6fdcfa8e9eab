"""Training throughput on this machine: fp32, fp32 + channels_last, and bf16 autocast + channels_last, side by side in one run;
with `--workers 0 2`, also with that many DataLoader processes (`spec_dls` takes none when the CPU trains).

Times `learn.fit` itself (fastai's loop with its callbacks, MixUp, SpecAugment and the optimiser) on cached ESC-50
spectrograms (1x128x251), after a warm-up epoch, and estimates the time of one ESC-50 training epoch (1440 clips).
Timing the real loop matters: a callback hooked to an event fastai never fires once left training in fp32
while a bench of bare forward/backward steps showed the bf16 speed-up.

    python bench/train_speed.py [--archs resnet18 resnet50 efficientnet_lite0] [--batches 6] [--bs 32]
    python bench/train_speed.py --archs efficientnet_lite0 --modes fp32+CL --batches 20 --workers 0 2 --rounds 2

`make_learner` picks bf16 for dense convolutions and fp32 + channels_last for depthwise ones (EfficientNet): this
bench is where that choice was measured.
"""
import argparse, time
import torch
from fastai.vision.all import *
from sonicsight.data import cache_root
from sonicsight.train import spec_dls, make_learner, CPUBFloat16
from sonicsight.data import esc50_table

class TrainTimer(Callback):
    "Wall time of the training phase of each epoch (validation excluded)"
    def before_train(self): self.t0 = time.perf_counter()
    def after_train(self): self.seconds = time.perf_counter()-self.t0

MODES = {'fp32': [], 'fp32+CL': [CPUBFloat16(bf16=False)], 'bf16+CL': [CPUBFloat16(bf16=True)]}

def throughput(dls, arch, mode):
    learn = make_learner(dls, arch, pretrained=False)
    learn.remove_cbs([cb for cb in learn.cbs if isinstance(cb, CPUBFloat16)]); learn.add_cbs(MODES[mode])
    timer = TrainTimer(); learn.add_cb(timer)
    with learn.no_logging(), learn.no_bar():
        learn.fit(1, 1e-3)  # warm-up: allocator, kernels, first batches
        learn.fit(1, 1e-3)
    return len(dls.train)*dls.train.bs/timer.seconds

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--archs', nargs='+', default=['resnet18', 'resnet50', 'efficientnet_lite0'])
    ap.add_argument('--batches', type=int, default=6); ap.add_argument('--bs', type=int, default=32)
    ap.add_argument('--modes', nargs='+', default=list(MODES), choices=list(MODES))
    ap.add_argument('--workers', nargs='+', type=int, default=[0], help='DataLoader processes; several: a row each, the first the baseline')
    ap.add_argument('--rounds', type=int, default=1, help='times each row is measured, alternating (the median is printed)')
    args = ap.parse_args()
    table = esc50_table(cache_root()/'esc50')
    train = table[~table.is_valid].sample(args.batches*args.bs, random_state=0)
    # validation is not timed: a copy of some training rows keeps every label known
    rows = pd.concat([train.assign(is_valid=False), train.head(args.bs).assign(is_valid=True)])
    dls = {w: spec_dls(rows, bs=args.bs, num_workers=w) for w in args.workers}
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch ({args.bs}, 1, 128, 251), "
          f"{args.batches} batches timed in learn.fit (MixUp, SpecAugment, label smoothing, Adam), median of {args.rounds} round(s)")
    print(f"{'arch':<18} {'workers':>7} " + ' '.join(f'{m+" samples/s":>18}' for m in args.modes) + "  ratios, and s per ESC-50 epoch")
    for arch in args.archs:
        runs = {(m, w): [] for w in args.workers for m in args.modes}
        for _ in range(args.rounds):
            for k in runs: runs[k].append(throughput(dls[k[1]], arch, k[0]))
        r = {k: float(np.median(v)) for k,v in runs.items()}
        for w in args.workers:
            ratios = [f'{m} {r[m,w]/r["fp32",w]:.2f}x to fp32' for m in args.modes if 'fp32' in args.modes and m!='fp32']
            ratios += [f'{m} {r[m,w]/r[m,args.workers[0]]:.2f}x to {args.workers[0]} workers' for m in args.modes if w!=args.workers[0]]
            print(f"{arch:<18} {w:>7} " + ' '.join(f'{r[m,w]:18.1f}' for m in args.modes) + '  '
                  + ', '.join(ratios + [f'{m} {1440/r[m,w]:.0f}s' for m in args.modes]))
