# Sourced by the GPU run scripts: `ss` is `sonicsight` from this checkout; `side_by_side` reads lines "NAME ARGS..." and
# runs `sonicsight train ${common[@]} ARGS` for each at once (one GPU holds several), logs in $out/NAME.log, the model in
# $out/NAME/model.pkl; it fails if any run failed. The caller sets `out` and the array `common`.
ss() { python3 -c 'import sys; from sonicsight.cli import main; sys.exit(main())' "$@"; }

side_by_side() {
  local pids=() names=()
  while read -r name args; do
    # shellcheck disable=SC2086
    ss train "${common[@]}" $args --run-dir "$out/$name" --out "$out/$name/model.pkl" > "$out/$name.log" 2>&1 &
    pids+=($!); names+=("$name")
  done
  local failed=0
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || { echo "${names[$i]} failed:"; tail -20 "$out/${names[$i]}.log"; failed=1; }; done
  return $failed
}

fold4_accuracy() {  # NAME...: "NAME ACCURACY" per line, best first (the best epoch on fold 4, as each card records)
  python3 -c "
import json, sys
acc = {n: json.load(open(f'$out/{n}/model.json'))['best_valid_accuracy'] for n in sys.argv[1:]}
for n in sorted(acc, key=acc.get, reverse=True): print(n, acc[n])" "$@"
}
