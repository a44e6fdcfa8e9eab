#!/usr/bin/env bash
# The runs behind esc50 v4 and the teachers of v5: choose the recipe on fold 4, then train the chosen ones on folds 1-4.
#   1. every variant below trains on folds 1-3 and is scored on fold 4, side by side (one GPU holds them all);
#   2. the fold-4 probabilities of each are saved, to choose an ensemble on validation (scripts/choose_ensemble.py);
#   3. the three best variants by fold-4 accuracy (and the best with a second seed) train on folds 1-4 (--valid none,
#      the last epoch kept). Fold 5 chooses nothing: it is scored afterwards, by `sonicsight evaluate`.
# Usage: scripts/esc50-sweep.sh OUT_DIR [EPOCHS]
# Needs the rendered ESC-50 cache in $SONICSIGHT_CACHE/esc50 (`sonicsight spectrograms`); ESC50=folder with meta/esc50.csv
# if the data folder is elsewhere. On 2 CPU cores each run takes hours; on one GPU, minutes.
set -euo pipefail
out=${1:?usage: esc50-sweep.sh OUT_DIR [EPOCHS]}; epochs=${2:-60}; workers=${WORKERS:-3}
mkdir -p "$out"
source "$(dirname "$0")/side-by-side.sh"
common=(esc50 --cached --arch efficientnet_lite0 --epochs "$epochs" --lr-find-iters 0 --workers "$workers" --no-onnx ${ESC50:+--esc50 "$ESC50"})
declare -A variant=(
  [ft]='--schedule fine_tune --lr 4e-3 --lr-mult 10'
  [oc]='--schedule one_cycle --lr 2e-3'
  [ft-x2]='--schedule fine_tune --lr 4e-3 --lr-mult 10 --input-scale 2'
  [oc-x2]='--schedule one_cycle --lr 2e-3 --input-scale 2')

t0=$SECONDS
for v in "${!variant[@]}"; do echo "fold4-$v --valid fold4 ${variant[$v]}"; done | side_by_side
echo "fold-4 runs: $((SECONDS-t0)) s"
python3 scripts/esc50_fold_probs.py "$out"/fold4-*/model.pkl --fold 4 --out "$out/fold4-probs.npz" ${ESC50:+--esc50 "$ESC50"}
runs=(); for v in "${!variant[@]}"; do runs+=("fold4-$v"); done
read -r -a top < <(fold4_accuracy "${runs[@]}" | head -3 | sed 's/^fold4-//; s/ .*//' | paste -sd' ' -)
echo "fold-4 ranking (best 3): ${top[*]}"
t1=$SECONDS
{ for v in "${top[@]}"; do echo "final-$v --valid none ${variant[$v]}"; done
  echo "final-${top[0]}-seed7 --valid none --seed 7 ${variant[${top[0]}]}"; } | side_by_side
echo "final runs: $((SECONDS-t1)) s"
