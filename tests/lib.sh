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

# --- the Kubernetes API double ---------------------------------------------

# double_up STATEDIR ARGS...: start the double, print its kubeconfig path.
double_up() {
	"$T_TOP/tests/kube-double/up.sh" "$@"
}

double_down() {
	"$T_TOP/tests/kube-double/down.sh" "$1" >/dev/null 2>&1 || true
}

# double_ctl KUBECONFIG METHOD PATH [JSON]: the double's control API, as admin.
double_ctl() {
	local kc=$1 method=$2 path=$3 body=${4:-}
	local server ca token
	server=$(kubectl --kubeconfig "$kc" config view --raw --context admin --minify \
		-o jsonpath='{.clusters[0].cluster.server}')
	ca=$(kubectl --kubeconfig "$kc" config view --raw --context admin --minify \
		-o jsonpath='{.clusters[0].cluster.certificate-authority}')
	token=$(kubectl --kubeconfig "$kc" config view --raw --context admin --minify \
		-o jsonpath='{.users[0].user.token}')
	curl -sS --max-time 10 --cacert "$ca" -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' -X "$method" ${body:+--data "$body"} "$server$path"
}

# double_last_seq KUBECONFIG: the sequence number of the double's last logged
# request; double_mutations_since KUBECONFIG SEQ: the requests after it that
# change something (dry runs and access reviews excluded), one per line.
# A control API that fails (or answers without a request list) prints a
# line saying so, which no expected list matches: "nothing sent" must not
# pass because nothing could be read.
double_last_seq() { double_ctl "$1" GET /_double/requests | jq '.items[-1].seq // 0'; }
double_mutations_since() {
	local out
	if ! out=$(double_ctl "$1" GET "/_double/requests?since=$2" 2>&1) ||
	    ! out=$(jq -r '.items | if type != "array" then error("no request list") else .[] end |
	    select(.method != "GET" and (.path | startswith("/_double") | not)
	    and (.path | test("dryRun=All|selfsubjectaccessreviews") | not)) |
	    "\(.method) \(.path)"' <<<"$out" 2>&1); then
		echo "double control API failed: $(printf '%s' "$out" | head -c 200)"
		return 1
	fi
	printf '%s' "$out"
	[ -z "$out" ] || echo
}

# --- tmux ------------------------------------------------------------------

T_TMUX_SOCK=warroom-test-$$

# tui_start SESSION COLSxROWS CMD...: run CMD in a detached tmux session.
tui_start() {
	local s=$1 size=$2; shift 2
	tmux -L "$T_TMUX_SOCK" -f /dev/null new-session -d -s "$s" \
		-x "${size%x*}" -y "${size#*x}" "$@"
	tmux -L "$T_TMUX_SOCK" set-option -t "$s" remain-on-exit on >/dev/null
}
tui_screen() { tmux -L "$T_TMUX_SOCK" capture-pane -p -t "$1"; }
tui_keys() { local s=$1; shift; tmux -L "$T_TMUX_SOCK" send-keys -t "$s" "$@"; }
tui_resize() { tmux -L "$T_TMUX_SOCK" resize-window -t "$1" -x "${2%x*}" -y "${2#*x}"; }
tui_pid() { tmux -L "$T_TMUX_SOCK" display-message -p -t "$1" '#{pane_pid}'; }
tui_dead() { [ "$(tmux -L "$T_TMUX_SOCK" display-message -p -t "$1" '#{pane_dead}')" = 1 ]; }
tui_kill_all() { tmux -L "$T_TMUX_SOCK" kill-server >/dev/null 2>&1 || true; }

# tui_wait SESSION SECONDS REGEX: wait until the screen matches REGEX.
tui_wait() {
	local s=$1 re=$3 end
	end=$(( $(date +%s%N) + $2 * 1000000000 ))
	while :; do
		tui_screen "$s" 2>/dev/null | grep -qE -- "$re" && return 0
		# Text wrapped over lines (a long preview) matches joined.
		tui_screen "$s" 2>/dev/null | tr '\n' ' ' | grep -qE -- "$re" && return 0
		if [ "$(date +%s%N)" -ge "$end" ]; then
			# For the failure's reason: the bottom of the screen.
			tui_screen "$s" 2>/dev/null | grep -v '^ *$' | tail -n 3
			return 1
		fi
		sleep 0.05
	done
}

# snap_not_ok FILE: the sources of a snapshot's JSON that are neither ok nor
# off, as "name=state(error)" words; what to say when a snapshot exits 1.
snap_not_ok() {
	jq -r '.sources | to_entries[] | select(.value.state != "ok" and .value.state != "off") |
	    "\(.key)=\(.value.state)(\(.value.error // ""))"' "$1" 2>/dev/null | tr '\n' ' '
}
