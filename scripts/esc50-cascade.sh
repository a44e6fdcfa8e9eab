#!/usr/bin/env bash
# The esc50 candidate after v6 (#11): a cascade of three networks, sized for one session on 2 CPU cores.
#   v4 (output stride 32) and a stride-32 network that sees the spectrogram resized x0.5 in frequency and x2 in time
#   (`--input-scale 0.5,2`) answer every clip; where the two name different classes, v5 (stride 16) joins and the answer
#   is the mean of all three (`sonicsight ensemble --cascade 2`).
#   Chosen on fold 4 (session 21: each recipe trained on folds 1-3 for 60 epochs, clips right of 400, exported / last
#   epoch): the stride-32 + 0.5,2 pair 364 / 363, the three networks 363 / 361, v6's shape (stride 16 + stride 32)
#   352 / 357. It is also the cheaper shape: the usual answer runs two stride-32 networks, where v6 runs a stride-32
#   and a stride-16 one.
# Steps: train the 0.5,2 network on folds 1-4 (v4's recipe plus the flag; 47 min on 2 cores in session 23, about
#   140 min on a slow one; run the script again after a stop and it goes on from the last epoch), take v4 and v5 from
#   git history (the learners v6 joins: the sha256s on its card), join the three, score fold 5 once, bench twice
#   (`esc50-cascade-check.sh`).
# Usage: scripts/esc50-cascade.sh RUN_DIR [ESC50_DIR]       (ESC50_DIR default ../shared/data/esc50)
set -euo pipefail
out=${1:?usage: esc50-cascade.sh RUN_DIR [ESC50_DIR]}; esc=${2:-../shared/data/esc50}
here=$(cd "$(dirname "$0")" && pwd); mkdir -p "$out"
[[ -f $out/f05t2/model.pkl ]] || sonicsight train esc50 --arch efficientnet_lite0 --epochs 60 --lr-find-iters 0 \
  --no-onnx --esc50 "$esc" --valid none --schedule one_cycle --lr 2e-3 --input-scale 0.5,2 \
  --run-dir "$out/f05t2" --out "$out/f05t2/model.pkl" --resume
"$here/esc50-cascade-check.sh" "$out" "$esc" v4 "$out/f05t2/model.pkl" v5
