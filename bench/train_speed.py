"""Training throughput on this machine: fp32, fp32 + channels_last, and bf16 autocast + channels_last, side by side in one run.

Times `learn.fit` itself (fastai's loop with its callbacks, MixUp, SpecAugment and the optimiser) on cached ESC-50
spectrograms (1x128x251), after a warm-up epoch, and estimates the time of one ESC-50 training epoch (1440 clips).
Timing the real loop matters: a callback hooked to an event fastai never fires once left training in fp32
while a bench of bare forward/backward steps showed the bf16 speed-up.

    python bench/train_speed.py [--archs resnet18 resnet50 efficientnet_lite0] [--batches 6] [--bs 32]

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
    args = ap.parse_args()
    table = esc50_table(cache_root()/'esc50')
    train = table[~table.is_valid].sample(args.batches*args.bs, random_state=0)
    # validation is not timed: a copy of some training rows keeps every label known
    dls = spec_dls(pd.concat([train.assign(is_valid=False), train.head(args.bs).assign(is_valid=True)]), bs=args.bs, num_workers=0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch ({args.bs}, 1, 128, 251), "
          f"{args.batches} batches timed in learn.fit (MixUp, SpecAugment, label smoothing, Adam)")
    print(f"{'arch':<18} " + ' '.join(f'{m+" samples/s":>18}' for m in MODES) + "  ratios to fp32, and s per ESC-50 epoch")
    for arch in args.archs:
        r = {mode: throughput(dls, arch, mode) for mode in MODES}
        print(f"{arch:<18} " + ' '.join(f'{v:18.1f}' for v in r.values()) + '  '
              + ', '.join(f'{m} {v/r["fp32"]:.2f}x {1440/v:.0f}s' for m,v in r.items()))
