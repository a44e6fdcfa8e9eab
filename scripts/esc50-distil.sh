#!/usr/bin/env bash
# Distilling the input-x2 networks into one fast network (#11), chosen on fold 4 as esc50 v4's recipe was:
#   1. two teachers, the fold-4 winner (one-cycle, input x2) with seeds 42 and 7, train on folds 1-3;
#   2. side by side on folds 1-3, scored on fold 4: v4's recipe without a teacher (the baseline, in the same run),
#      the same with output stride 16 (finer last feature maps at the cost of one input, not four), and students of
#      both taught by both teachers;
#   3. only if a variant beats the baseline on fold 4: that variant on folds 1-4 (--valid none), a student taught by the
#      final x2 networks: FINAL_TEACHERS (e.g. the final-oc-x2 and final-oc-x2-seed7 learners the sweep made) or, when
#      it is unset, the same two recipes on folds 1-4, trained in step 1 beside the fold-4 teachers (runs/ is not kept
#      from one checkout to the next: the teachers of esc50 v5 are gone).
# Fold 5 chooses nothing: score the result with `sonicsight evaluate` afterwards.
# Usage: [FINAL_TEACHERS="a.pkl b.pkl"] scripts/esc50-distil.sh OUT_DIR [EPOCHS]   (needs the ESC-50 spectrogram cache)
set -euo pipefail
out=${1:?usage: esc50-distil.sh OUT_DIR [EPOCHS]}; epochs=${2:-60}; workers=${WORKERS:-3}
mkdir -p "$out"
source "$(dirname "$0")/side-by-side.sh"
common=(esc50 --cached --arch efficientnet_lite0 --epochs "$epochs" --lr-find-iters 0 --workers "$workers" --no-onnx
        --schedule one_cycle --lr 2e-3 --bs "${BS:-32}" ${ESC50:+--esc50 "$ESC50"})
declare -A extra=([baseline]='' [baseline-os16]='--output-stride 16' [student-a0.5]='' [student-a0.9]=''
                  [student-os16-a0.5]='--output-stride 16' [student-os16-a0.9]='--output-stride 16')
declare -A alpha=([student-a0.5]=0.5 [student-a0.9]=0.9 [student-os16-a0.5]=0.5 [student-os16-a0.9]=0.9)
teachers() { local t=""; for p in "$@"; do t+=" --teacher $p"; done; echo "$t"; }

t0=$SECONDS
{ printf '%s\n' "teacher --valid fold4 --input-scale 2" "teacher-seed7 --valid fold4 --input-scale 2 --seed 7"
  if [[ -z ${FINAL_TEACHERS:-} ]]; then
    printf '%s\n' "final-teacher --valid none --input-scale 2" "final-teacher-seed7 --valid none --input-scale 2 --seed 7"; fi
} | side_by_side
FINAL_TEACHERS=${FINAL_TEACHERS:-"$out/final-teacher/model.pkl $out/final-teacher-seed7/model.pkl"}
echo "teachers: $((SECONDS-t0)) s"; t1=$SECONDS
taught=$(teachers "$out/teacher/model.pkl" "$out/teacher-seed7/model.pkl")
for v in "${!extra[@]}"; do echo "$v --valid fold4 ${extra[$v]} ${alpha[$v]:+$taught --distil-alpha ${alpha[$v]}}"; done | side_by_side
echo "fold-4 variants: $((SECONDS-t1)) s"
fold4_accuracy "${!extra[@]}" teacher teacher-seed7 | tee "$out/fold4.txt"
variants=(baseline); for v in "${!extra[@]}"; do [[ $v == baseline ]] || variants+=("$v"); done  # a tie keeps the baseline first
ranking=$(fold4_accuracy "${variants[@]}"); best=${ranking%% *}
if [[ $best == baseline ]]; then echo "nothing beat the baseline on fold 4: nothing to train on folds 1-4"; exit 0; fi
# shellcheck disable=SC2086
final=${alpha[$best]:+$(teachers $FINAL_TEACHERS) --distil-alpha ${alpha[$best]}}
t2=$SECONDS
echo "final-$best --valid none ${extra[$best]} $final" | side_by_side
echo "final: $((SECONDS-t2)) s"
