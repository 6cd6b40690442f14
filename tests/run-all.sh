#!/usr/bin/env bash
# tests/run-all.sh BUILDDIR: the whole suite. Unit tests (plain and under
# ASan+UBSan), integration tests against the API double and a real
# kube-apiserver, TUI tests through tmux. Ends with "N passed, N failed",
# warroom's own cases; the line before it counts the infrastructure apart.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
log=$(mktemp -d "${TMPDIR:-/tmp}/warroom-tests.XXXXXX")
results=$log/results
infra=$log/infra
: > "$results"
: > "$infra"
export TEST_SRCDIR=$top/tests WARROOM=$build/warroom WARROOM_DATADIR=$top
export WARROOM_TOP=$top WARROOM_BUILD=$build
started=$(date +%s)

say() { printf '==> %s\n' "$*"; }

# Infrastructure: cases that test the test servers or start them, not
# warroom. Whole scripts: the database and observability stacks, and the
# API double's fidelity to the real kubectl. Cases anywhere: a stack or
# double coming up, the test programs being built, and t-kube-real's
# comparison of the double with the real server. They are counted apart.
INFRA_SCRIPTS='^(t-db-stack|t-obs-stack|t-double-kubectl)$'
INFRA_CASES='^(double-up|db-up|db-stack-up|obs-up|real-server-up|net-db-built|double-vs-real-.+)$'

# run NAME CMD...: run a test program or script; keep its PASS/FAIL lines,
# warroom's own in $results, the infrastructure's in $infra.
# A program that dies without saying so is a failure of its own.
run() {
	local name=$1; shift
	local out=$log/$name.out rc to=$results
	say "$name"
	"$@" > "$out" 2>&1; rc=$?
	awk -v n="$name" -v s="$INFRA_SCRIPTS" -v c="$INFRA_CASES" \
	    -v res="$results" -v inf="$infra" '
	/^(PASS|FAIL): / {
		rest = substr($0, 7); cs = rest
		if ((i = index(rest, ": ")) > 0)
			cs = substr(rest, 1, i - 1)
		line = substr($0, 1, 4) ": " n ": " rest
		print line
		print line >> ((n ~ s || cs ~ c) ? inf : res)
	}' "$out"
	[[ $name =~ $INFRA_SCRIPTS ]] && to=$infra
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
		echo "FAIL: $name: exited $rc without a failing case; last lines:" | tee -a "$to"
		tail -n 15 "$out" | sed 's/^/    /'
	fi
	if ! grep -qE '^(PASS|FAIL): ' "$out" && [ $rc -eq 0 ]; then
		echo "FAIL: $name: ran no test case" | tee -a "$to"
	fi
}

# 1. Unit tests.
for t in "$build"/tests/test-*; do
	[ -x "$t" ] || continue
	run "$(basename "$t")" "$t"
done

# 2. The same under AddressSanitizer and UndefinedBehaviorSanitizer.
asan=${WARROOM_ASAN_BUILD:-$build-asan}
say "building with sanitizers in $asan"
mkdir -p "$asan"
if (cd "$asan" && { [ -f Makefile ] || "$top/configure" -q --enable-sanitizers; } &&
    make -j"$(nproc)" -s tests) > "$log/asan-build.out" 2>&1; then
	for t in "$asan"/tests/test-*; do
		[ -x "$t" ] || continue
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
			run "asan-$(basename "$t")" "$t"
	done
	export WARROOM_ASAN=$asan/warroom
else
	echo "FAIL: asan-build: $(tail -n 5 "$log/asan-build.out" | tr '\n' ' ')" | tee -a "$results"
fi

# 3. Layering, style and the real servers' tests.
for s in "$top"/tests/t-*.sh; do
	run "$(basename "$s" .sh)" bash "$s"
done

passed=$(grep -c '^PASS: ' "$results")
failed=$(grep -c '^FAIL: ' "$results")
ipassed=$(grep -c '^PASS: ' "$infra")
ifailed=$(grep -c '^FAIL: ' "$infra")
echo
if [ "$failed" -gt 0 ] || [ "$ifailed" -gt 0 ]; then
	echo "failed cases:"
	grep -h '^FAIL: ' "$results" | sed 's/^/  /'
	grep -h '^FAIL: ' "$infra" | sed 's/^/  (infrastructure) /'
fi
echo "logs: $log; took $(( $(date +%s) - started )) s"
echo "infrastructure: $ipassed passed, $ifailed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$ifailed" -eq 0 ] && [ "$passed" -gt 0 ]
