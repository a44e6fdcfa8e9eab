"""Training throughput on this machine: fp32 vs bf16 autocast + channels_last, side by side in one run.

Times real training steps (forward, backward, optimiser) of a fastai vision_learner on batches of cached ESC-50
spectrograms (1x128x251), after warm-up, and estimates the time of one ESC-50 epoch (1440 training clips).

    python bench/train_speed.py [--archs resnet18 resnet50] [--steps 8] [--bs 32]
"""
import argparse, time
import torch
from fastai.vision.all import *
from sonicsight.train import spec_dls, make_learner, CPUBFloat16, cache_root
from sonicsight.data import esc50_table

def throughput(learn, xb, yb, steps):
    learn.model.train(); opt = torch.optim.AdamW(learn.model.parameters(), 1e-3)
    bf16 = any(isinstance(cb, CPUBFloat16) for cb in learn.cbs)
    if bf16: learn.model.to(memory_format=torch.channels_last); xb = xb.contiguous(memory_format=torch.channels_last)
    def step():
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16): out = learn.model(xb)
        loss = learn.loss_func(out.float(), yb); loss.backward(); opt.step(); opt.zero_grad()
    for _ in range(2): step()
    t = time.perf_counter()
    for _ in range(steps): step()
    return steps*len(xb)/(time.perf_counter()-t)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--archs', nargs='+', default=['resnet18', 'resnet50'])
    ap.add_argument('--steps', type=int, default=8); ap.add_argument('--bs', type=int, default=32)
    args = ap.parse_args()
    dls = spec_dls(esc50_table(cache_root()/'esc50'), bs=args.bs, num_workers=0)
    xb, yb = dls.one_batch()
    xb, yb = TensorBase(xb).as_subclass(torch.Tensor), TensorBase(yb).as_subclass(torch.Tensor)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch {tuple(xb.shape)}")
    print(f"{'arch':<10} {'fp32 samples/s':>15} {'bf16+CL samples/s':>18} {'ratio':>6} {'fp32 epoch':>11} {'bf16 epoch':>11}")
    for arch in args.archs:
        r = {}
        for mode in ('fp32', 'bf16'):
            learn = make_learner(dls, arch, pretrained=False, mixup=0)
            if mode=='fp32': learn.remove_cbs([cb for cb in learn.cbs if isinstance(cb, CPUBFloat16)])
            r[mode] = throughput(learn, xb.clone(), yb, args.steps)
        print(f"{arch:<10} {r['fp32']:15.1f} {r['bf16']:18.1f} {r['bf16']/r['fp32']:5.2f}x {1440/r['fp32']:10.0f}s {1440/r['bf16']:10.0f}s")
