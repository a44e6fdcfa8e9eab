#!/usr/bin/env bash
# What esc50-cascade.sh and esc50-x2tie.sh do once their new network is trained: take v4 and v5 from git history (the
# learners esc50 v6 joins: the sha256s on its card) into RUN_DIR, join the members given as a cascade whose first two
# answer (`sonicsight ensemble --cascade 2`), score fold 5 once, bench twice, then the Pi site's cost against the shipped model's.
# Usage: scripts/esc50-cascade-check.sh RUN_DIR ESC50_DIR MEMBER...   (MEMBER: v4, v5, or a learner's path; in order)
set -euo pipefail
out=$1; esc=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
for v in v4:274eeb9 v5:ae4f0f5; do  # the commits that shipped them as esc50
  for e in pkl json; do git -C "$here/.." show "${v#*:}:sonicsight/models/esc50.$e" > "$out/${v%%:*}.$e"; done
done
members=(); for m in "$@"; do case $m in v4|v5) members+=("$out/$m.pkl");; *) members+=("$m");; esac; done
sonicsight ensemble "${members[@]}" --cascade 2 --out "$out/esc50.pkl"
sonicsight evaluate --model "$out/esc50.pkl" --data "$esc" --fold 5 --threshold 0.3 --out "$out/fold5"
for i in 1 2; do python "$here/../bench/predict_speed.py" --n 50 --model "$out/esc50.pkl"; done
for m in "$out/esc50.pkl" esc50; do python "$here/../bench/pi_local.py" --model "$m"; done
