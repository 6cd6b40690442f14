#!/usr/bin/env bash
# tests/fuzz/run.sh TARGET SECONDS [OUTDIR]: build the targets (into OUTDIR,
# default build-fuzz at the top of the tree, gitignored) and fuzz TARGET
# ("fuzz-prom" or "prom") for SECONDS, its growing corpus in
# OUTDIR/corpus/TARGET (never committed), crashes in OUTDIR/findings/TARGET.
# Prints execs, time, corpus size and findings. FUZZ_NOBUILD=1 skips the
# build; FUZZ_ARGS adds libFuzzer flags (-jobs=2, -dict=...).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
t=${1:?usage: run.sh TARGET SECONDS [OUTDIR]}
t=fuzz-${t#fuzz-}
secs=${2:?usage: run.sh TARGET SECONDS [OUTDIR]}
out=${3:-$top/build-fuzz}

if [ -z "${FUZZ_NOBUILD:-}" ]; then
	"$top/tests/fuzz/build.sh" "$out" >/dev/null || exit 1
fi
[ -x "$out/$t" ] || { echo "run.sh: no target $t in $out" >&2; exit 1; }
corpus=$out/corpus/$t
findings=$out/findings/$t
mkdir -p "$corpus" "$findings"
dirs=("$corpus" "$out/seeds/$t")
[ -d "$top/tests/fuzz/regressions/$t" ] && dirs+=("$top/tests/fuzz/regressions/$t")
log=$out/$t.log
start=$(date +%s)
# shellcheck disable=SC2086
"$out/$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$findings/" ${FUZZ_ARGS:-} \
    "${dirs[@]}" \
    < /dev/null > "$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
printf '%s: execs %s, time %s s, corpus %s files, findings %s, exit %s (log %s)\n' \
    "$t" "${execs:-?}" "$(( $(date +%s) - start ))" \
    "$(find "$corpus" -type f | wc -l)" "$(find "$findings" -type f | wc -l)" \
    "$rc" "$log"
[ "$rc" -eq 0 ]
