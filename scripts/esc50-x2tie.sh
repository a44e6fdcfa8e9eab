#!/usr/bin/env bash
# esc50 v7 and v8 (#11; shipped in sessions 25 and 27): v6's two networks answer, input-x2 networks break their ties.
#   v5 (output stride 16) and v4 (stride 32), the pair shipped as esc50 v6, answer every clip; where they name
#   different classes (49 of 400 fold-5 clips, 12 %), stride-32 networks that see the spectrogram resized x2
#   (`--input-scale 2`, 256x502 into the body; one per SEED: v7 seed 42, v8 seeds 42 and 7) join and the answer is the
#   mean of them all (`sonicsight ensemble --cascade 2`).
#   Chosen on fold 4 (the GPU sweep, each recipe trained on folds 1-3 for 60 epochs): the x2 recipe 91.5 % against
#   88.5 % for v4's, the one lever measured well above the seed noise; it costs about 4x v4 an answer, so it answers
#   only the clips where v6's pair disagrees.
# Steps: train each x2 network on folds 1-4 (v4's recipe plus the flag; about 4 min an epoch on 2 fast cores, some
#   4 h in all: run the script again after a stop and it goes on from the last epoch), take v5 and v4 from git
#   history (the learners v6 joins: the sha256s on its card), join them with the x2 networks, score fold 5 once, bench
#   twice (`esc50-cascade-check.sh`).
# More seeds, more x2 networks in the tie stage, each trained the same way with its own seed (`RUN_DIR/x2-seedN`; seed
#   42 is v7's `RUN_DIR/x2`): `esc50-x2tie.sh runs/x2tie ../shared/data/esc50 42 7` is v8 (sessions 26-27).
# Usage: scripts/esc50-x2tie.sh RUN_DIR [ESC50_DIR [SEED...]]   (ESC50_DIR default ../shared/data/esc50; SEED default 42)
set -euo pipefail
out=${1:?usage: esc50-x2tie.sh RUN_DIR [ESC50_DIR [SEED...]]}; esc=${2:-../shared/data/esc50}; seeds=("${@:3}")
[[ ${#seeds[@]} -gt 0 ]] || seeds=(42)
here=$(cd "$(dirname "$0")" && pwd); mkdir -p "$out"; x2s=()
for s in "${seeds[@]}"; do
  d=$out/x2; [[ $s == 42 ]] || d=$out/x2-seed$s
  [[ -f $d/model.pkl ]] || sonicsight train esc50 --arch efficientnet_lite0 --epochs 60 --lr-find-iters 0 \
    --no-onnx --esc50 "$esc" --valid none --schedule one_cycle --lr 2e-3 --input-scale 2 --seed "$s" \
    --run-dir "$d" --out "$d/model.pkl" --resume
  x2s+=("$d/model.pkl")
done
"$here/esc50-cascade-check.sh" "$out" "$esc" v5 v4 "${x2s[@]}"
