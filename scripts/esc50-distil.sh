#!/usr/bin/env bash
# Distilling the input-x2 networks into the one fast network (#11), chosen on fold 4 like the shipped recipe:
#   1. two teachers, the fold-4 winner (one-cycle, input x2) with seeds 42 and 7, train on folds 1-3;
#   2. side by side on folds 1-3, scored on fold 4: the shipped recipe without a teacher (the baseline, in the same run)
#      and students of the same recipe taught by both teachers at two teacher shares;
#   3. only if a student beats the baseline on fold 4: that student on folds 1-4 (--valid none), taught by the final
#      x2 networks (FINAL_TEACHERS, e.g. the final-oc-x2 and final-oc-x2-seed7 learners the sweep made).
# Fold 5 chooses nothing: score the result with `sonicsight evaluate` afterwards.
# Usage: FINAL_TEACHERS="a.pkl b.pkl" scripts/esc50-distil.sh OUT_DIR [EPOCHS]   (needs the ESC-50 spectrogram cache)
set -euo pipefail
out=${1:?usage: esc50-distil.sh OUT_DIR [EPOCHS]}; epochs=${2:-60}; workers=${WORKERS:-3}
mkdir -p "$out"
source "$(dirname "$0")/side-by-side.sh"
common=(esc50 --cached --arch efficientnet_lite0 --epochs "$epochs" --lr-find-iters 0 --workers "$workers" --no-onnx
        --schedule one_cycle --lr 2e-3 --bs "${BS:-32}" ${ESC50:+--esc50 "$ESC50"})

t0=$SECONDS
printf '%s\n' "teacher --valid fold4 --input-scale 2" "teacher-seed7 --valid fold4 --input-scale 2 --seed 7" | side_by_side
echo "fold-4 teachers: $((SECONDS-t0)) s"; t1=$SECONDS
taught="--teacher $out/teacher/model.pkl --teacher $out/teacher-seed7/model.pkl"
printf '%s\n' "baseline --valid fold4" "student-a0.5 --valid fold4 $taught --distil-alpha 0.5" \
              "student-a0.9 --valid fold4 $taught --distil-alpha 0.9" | side_by_side
echo "fold-4 students: $((SECONDS-t1)) s"
fold4_accuracy baseline student-a0.5 student-a0.9 teacher teacher-seed7 | tee "$out/fold4.txt"
read -r best _ < <(fold4_accuracy baseline student-a0.5 student-a0.9)
if [[ $best == baseline ]]; then echo "no student beat the baseline on fold 4: nothing to train on folds 1-4"; exit 0; fi
[[ -n ${FINAL_TEACHERS:-} ]] || { echo "$best won on fold 4; set FINAL_TEACHERS to the folds 1-4 x2 learners to train it"; exit 0; }
alpha=${best#student-a}; final=""; for t in $FINAL_TEACHERS; do final+=" --teacher $t"; done
t2=$SECONDS
echo "final-$best --valid none $final --distil-alpha $alpha" | side_by_side
echo "final student: $((SECONDS-t2)) s"
