#!/usr/bin/env bash
# A stronger second network for esc50's pair (#11), chosen on fold 4, sized for one lent GPU session (two calls, run back
# to back on the same warm machine: runs/ stays there between them).
#   esc50 v6 is the mean of v5 (output stride 16, distilled from two input-x2 networks) and v4 (stride 32, no teacher).
#   The question: is a stride-32 network taught by the same teachers a better partner for v5 than v4's recipe?
#   phase 1: the two input-x2 teachers (seeds 42 and 7) on folds 1-3 and on folds 1-4, four side by side;
#   phase 2: on folds 1-3, v4's recipe (base32), the stride-32 student (student32) and v5's recipe (student16); on folds
#            1-4, the stride-32 student taught by the final teachers (final-student32); four side by side. Then the
#            fold-4 accuracy of each and of each mean (scripts/esc50_fold_probs.py, scripts/choose_ensemble.py) and the verdict:
#            final-student32 replaces v4 in the pair only if student16 + student32 beats student16 + base32 on fold 4
#            (a tie keeps v4). Fold 5 chooses nothing: score the new pair with `sonicsight evaluate` afterwards.
# With OUT set (the device tool's folder), phase 2 leaves there what a session needs back: final-student32's learner and
# card, the fold-4 probabilities, the pair table and the verdict.
# Usage: [OUT=dir] scripts/esc50-pair.sh RUN_DIR 1|2|all [EPOCHS]   (needs the ESC-50 spectrogram cache)
# On a lent GPU (docs/models.md, "A stronger second network"): folds 1-4 of the cache and their metadata in .gpu/, the wheels the
# device lacks in .whl/, both carried, the shipped model files moved out of the tree for the call (it may send 64 MiB), then
#   python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site:$PWD &&
#   SONICSIGHT_CACHE=.gpu/cache ESC50=.gpu/esc50 scripts/esc50-pair.sh runs/pair 1        (then the same with 2)
# A 1-epoch run on 80 ESC-10 clips of folds 1-4 (ESC50=a folder listing them, WORKERS=0 BS=8) checks the logic on 2 CPU
# cores in under 5 min.
set -euo pipefail
out=${1:?usage: esc50-pair.sh RUN_DIR 1|2|all [EPOCHS]}; phase=${2:?phase 1, 2 or all}; epochs=${3:-60}; workers=${WORKERS:-3}
mkdir -p "$out"
here=$(dirname "$0"); source "$here/side-by-side.sh"
common=(esc50 --cached --arch efficientnet_lite0 --epochs "$epochs" --lr-find-iters 0 --workers "$workers" --no-onnx
        --schedule one_cycle --lr 2e-3 --bs "${BS:-32}" ${ESC50:+--esc50 "$ESC50"})
taught() { echo "--teacher $out/$1/model.pkl --teacher $out/$1-seed7/model.pkl --distil-offline --distil-alpha 0.5"; }

if [[ $phase == 1 || $phase == all ]]; then
  t0=$SECONDS
  printf '%s\n' "teacher --valid fold4 --input-scale 2" "teacher-seed7 --valid fold4 --input-scale 2 --seed 7" \
                "final-teacher --valid none --input-scale 2" "final-teacher-seed7 --valid none --input-scale 2 --seed 7" | side_by_side
  echo "phase 1 (teachers): $((SECONDS-t0)) s"
fi
if [[ $phase == 2 || $phase == all ]]; then
  t0=$SECONDS
  printf '%s\n' "base32 --valid fold4" "student32 --valid fold4 $(taught teacher)" \
                "student16 --valid fold4 --output-stride 16 $(taught teacher)" "final-student32 --valid none $(taught final-teacher)" | side_by_side
  echo "phase 2 (students): $((SECONDS-t0)) s"
  python3 "$here/esc50_fold_probs.py" "$out"/{base32,student32,student16}/model.pkl --fold 4 --out "$out/fold4.npz" ${ESC50:+--esc50 "$ESC50"}
  python3 "$here/choose_ensemble.py" "$out/fold4.npz" | tee "$out/fold4-pairs.txt"
  python3 - "$here" "$out/fold4.npz" <<'EOF' | tee "$out/verdict.txt"
import sys; sys.path.insert(0, sys.argv[1]); from choose_ensemble import subset_scores
s = dict(subset_scores(sys.argv[2])); new, old = s[('student16', 'student32')], s[('base32', 'student16')]
print(f"fold 4: student16 + student32 {new:.4f}, student16 + base32 {old:.4f}:",
      'final-student32 replaces v4 in the pair' if new > old else 'v4 stays in the pair')
EOF
  if [[ -n ${OUT:-} ]]; then cp "$out/final-student32/model.pkl" "$OUT/final-student32.pkl"; cp "$out/final-student32/model.json" "$OUT/final-student32.json"
                             cp "$out"/{fold4.npz,fold4-pairs.txt,verdict.txt} "$OUT/"; fi
fi
