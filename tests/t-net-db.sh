#!/usr/bin/env bash
# t-net-db.sh: net-pg.c and net-redis.c against the real PostgreSQL 15 and
# Redis 7 of tests/stack/db.sh: tests/test-net-pg and tests/test-net-redis
# from the build, then the same programs from the ASan+UBSan build (when
# tests/run-all.sh made one), then once more under valgrind, where any leak
# or memory error fails.
. "$(dirname "$0")/lib.sh"
build=${WARROOM_BUILD:-$T_TOP/build}
progs=(test-net-pg test-net-redis)
DB=$T_TOP/tests/stack/db.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-net-db.XXXXXX")
cleanup() {
	"$DB" down "$tmp/db" > /dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

for p in "${progs[@]}"; do
	if [ ! -x "$build/tests/$p" ]; then
		fail net-db-built "no $build/tests/$p (make tests in $build)"
		exit 1
	fi
done
# Few rows: these tests need the servers, not the data.
if ! "$DB" up "$tmp/db" --rows 100 --no-health > "$tmp/up.out" 2>&1; then
	fail db-stack-up "$(tail -n 5 "$tmp/up.out" | tr '\n' ' ')"
	exit 1
fi
pass db-stack-up
. "$tmp/db/env"
export WARROOM_TEST_PG_CONNINFO=$PG_CONNINFO WARROOM_TEST_PG_URL=$PG_URL \
	WARROOM_TEST_PG_PORT=$PG_PORT WARROOM_TEST_PG_SOCKET_DIR=$PG_SOCKET_DIR \
	WARROOM_TEST_REDIS_URL=$REDIS_URL WARROOM_TEST_REDIS_PORT=$REDIS_PORT \
	WARROOM_TEST_REDIS_PASSWORD=$REDIS_PASSWORD \
	WARROOM_TEST_DB_SH=$DB WARROOM_TEST_DB_STATE=$tmp/db

# run_prog LABEL PREFIX CMD...: the program's cases, renamed PREFIX-case;
# dying without a failing case is a failure of its own.
run_prog() {
	local label=$1 prefix=$2 out=$tmp/$1.out rc start
	shift 2
	start=$(date +%s)
	"$@" > "$out" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL): ' "$out" | sed "s/^\(PASS\|FAIL\): /\1: $prefix/"
	grep '^# ' "$out" | sed "s/^# /# $label: /"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
		fail "$label-exit" "exited $rc without a failing case: $(tail -n 5 "$out" | tr '\n' ' ')"
	fi
	grep -q '^PASS: ' "$out" || fail "$label-ran" "no case passed"
	echo "# $label: $(( $(date +%s) - start )) s"
	return $rc
}

for p in "${progs[@]}"; do
	run_prog "plain-${p#test-}" "" "$build/tests/$p"
done

asan=
[ -z "${WARROOM_ASAN:-}" ] || asan=${WARROOM_ASAN%/warroom}/tests
for p in "${progs[@]}"; do
	if [ -n "$asan" ] && [ -x "$asan/$p" ]; then
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
			run_prog "asan-${p#test-}" asan- "$asan/$p"
	fi
done

for p in "${progs[@]}"; do
	if ! command -v valgrind > /dev/null 2>&1; then
		skip "valgrind-$p" "valgrind is not installed"
		continue
	fi
	vg=$tmp/valgrind-$p.log
	out=$tmp/vg-$p.out
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		--log-file="$vg" "$build/tests/$p" > "$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$vg" ] && ! grep -q '^FAIL: ' "$out" &&
	    grep -q '^PASS: ' "$out"; then
		pass "valgrind-$p"
	else
		fail "valgrind-$p" "exit $rc, $(grep -c '^FAIL: ' "$out") failed: $(grep '^FAIL: ' "$out" | head -n 3 | tr '\n' ' ') $(head -c 800 "$vg" | tr '\n' ' ')"
	fi
done
t_done
