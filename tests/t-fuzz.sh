#!/usr/bin/env bash
# The fuzz targets' smoke run: build every tests/fuzz/fuzz-*.c with clang
# under ASan+UBSan (tests/fuzz/build.sh), run each once over every saved
# regression input (tests/fuzz/regressions/TARGET/) and then for
# FUZZ_SECONDS (10) over its seeds, two at a time. One case per target; no
# clang is a failure, as every skip is. Longer runs: tests/fuzz/run.sh.
. "$(dirname "$0")/lib.sh"

out=${WARROOM_BUILD:-$T_TOP/build}/fuzz
secs=${FUZZ_SECONDS:-10}
targets=()
for f in "$T_TOP"/tests/fuzz/fuzz-*.c; do
	targets+=("$(basename "${f%.c}")")
done

if ! command -v clang >/dev/null 2>&1; then
	for t in "${targets[@]}"; do
		skip "$t" "clang is not installed (./bootstrap installs clang and libclang-rt-14-dev)"
	done
	t_done
	exit
fi
mkdir -p "$out"
if ! nice "$T_TOP/tests/fuzz/build.sh" "$out" > "$out/build.log" 2>&1; then
	fail fuzz-build "$(grep -m 3 -E 'error|not found' "$out/build.log" | tr '\n' ' ')"
	t_done
	exit
fi
pass fuzz-build

# smoke TARGET: the regressions once each, then a bounded run from the
# seeds in a fresh corpus; the verdict in $out/TARGET.smoke.
smoke() {
	local t=$1 log=$out/$1.smoke.log reg=$T_TOP/tests/fuzz/regressions/$1
	local corpus=$out/smoke-corpus/$1 n
	rm -rf "$corpus" "$out/smoke-crash/$1"
	mkdir -p "$corpus" "$out/smoke-crash/$1"
	: > "$log"
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
		if ! nice "$out/$t" -rss_limit_mb=2048 -timeout=10 \
		    "$reg"/* < /dev/null >> "$log" 2>&1; then
			echo "regression input fails" > "$out/$t.smoke"
			return
		fi
	fi
	if ! nice "$out/$t" -max_total_time="$secs" -rss_limit_mb=2048 \
	    -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$out/smoke-crash/$1/" "$corpus" "$out/seeds/$t" \
	    < /dev/null >> "$log" 2>&1; then
		echo "fuzzing found $(ls "$out/smoke-crash/$1" | head -n 1)" \
		    > "$out/$t.smoke"
		return
	fi
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "${n:-0}" -gt 0 ]; then
		echo ok > "$out/$t.smoke"
	else
		echo "ran no input" > "$out/$t.smoke"
	fi
}

i=0
for t in "${targets[@]}"; do
	rm -f "$out/$t.smoke"
	smoke "$t" &
	i=$((i + 1))
	[ $((i % 2)) -eq 0 ] && wait
done
wait
for t in "${targets[@]}"; do
	v=$(cat "$out/$t.smoke" 2>/dev/null || echo "no verdict")
	if [ "$v" = ok ]; then
		pass "$t"
	else
		fail "$t" "$v; $(grep -m 3 -E 'ERROR|SUMMARY|invariant' \
		    "$out/$t.smoke.log" | tr '\n' ' ') (log $out/$t.smoke.log)"
	fi
done
t_done
