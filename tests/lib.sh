# tests/lib.sh: helpers for shell test scripts. Every test case prints exactly one
# line, "PASS: name" or "FAIL: name: why"; tests/run-all.sh counts those lines.
# Source it: . "$(dirname "$0")/lib.sh"

T_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_FAILED=0

pass() { printf 'PASS: %s\n' "$1"; }
fail() { printf 'FAIL: %s: %s\n' "$1" "$2"; T_FAILED=$((T_FAILED + 1)); }

# check NAME CMD...: one case, passing when CMD exits 0.
check() {
	local name=$1; shift
	local out
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(printf '%s' "$out" | tail -n 5 | tr '\n' ' ')"; fi
}

# expect_eq NAME WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want [$2] got [$3]"; fi
}

# skip NAME WHY: a case that could not run here; counted as failed, never hidden.
skip() { fail "$1" "not run: $2"; }

# free_port: an unused TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local t=$(( $1 * 10 )); shift
	while [ $t -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; t=$((t - 1)); done
	return 1
}

t_done() { [ "$T_FAILED" -eq 0 ]; }
