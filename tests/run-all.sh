#!/usr/bin/env bash
# tests/run-all.sh BUILDDIR: the whole suite. Unit tests (plain and under
# ASan+UBSan), integration tests against the API double and a real
# kube-apiserver, TUI tests through tmux. Ends with "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
log=$(mktemp -d "${TMPDIR:-/tmp}/warroom-tests.XXXXXX")
results=$log/results
: > "$results"
export TEST_SRCDIR=$top/tests WARROOM=$build/warroom WARROOM_DATADIR=$top
export WARROOM_TOP=$top WARROOM_BUILD=$build
started=$(date +%s)

say() { printf '==> %s\n' "$*"; }

# run NAME CMD...: run a test program or script; keep its PASS/FAIL lines.
# A program that dies without saying so is a failure of its own.
run() {
	local name=$1; shift
	local out=$log/$name.out rc
	say "$name"
	"$@" > "$out" 2>&1; rc=$?
	grep -E '^(PASS|FAIL): ' "$out" | sed "s|^\(PASS\|FAIL\): |\1: $name: |" | tee -a "$results"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
		echo "FAIL: $name: exited $rc without a failing case; last lines:" | tee -a "$results"
		tail -n 15 "$out" | sed 's/^/    /'
	fi
	if ! grep -qE '^(PASS|FAIL): ' "$out" && [ $rc -eq 0 ]; then
		echo "FAIL: $name: ran no test case" | tee -a "$results"
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
echo
if [ "$failed" -gt 0 ]; then
	echo "failed cases:"
	grep '^FAIL: ' "$results" | sed 's/^/  /'
fi
echo "logs: $log; took $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
