#!/usr/bin/env bash
# t-db.sh: warroom against real PostgreSQL 15 and Redis 7 and the health
# endpoints of tests/stack/db.sh: the slowest statement on top, idle-in-
# transaction sessions shown, pg-terminate-idle ending exactly the sessions
# it listed (and none when answered No), a permission error shown as such, a
# slow Redis command with its arguments, MEMORY PURGE, escape sequences in
# query text shown as text, servers stopped and started (DOWN meanwhile),
# the health strip, and 'warroom check' (exit codes, --json, --notify).
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
DB=$T_TOP/tests/stack/db.sh
LOAD=$T_TOP/tests/stack/db-load.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-db.XXXXXX")
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state
mkdir -p "$HOME"
unset XDG_CONFIG_HOME NO_COLOR
bg=()
cleanup() {
	tui_kill_all
	[ -n "${sink:-}" ] && bg+=("$sink")
	for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	"$DB" down "$tmp/db" >/dev/null 2>&1
	double_down "$tmp/dbl"
	rm -rf "$tmp"
}
trap cleanup EXIT
NS=soundcore-kcp-prod

KC=$(double_up "$tmp/dbl" --scenario kcp) || { fail double-up "did not start"; exit 1; }
if ! "$DB" up "$tmp/db" --rows 20000 > "$tmp/db.out" 2>&1; then
	fail db-up "$(tail -n 5 "$tmp/db.out" | tr '\n' ' ')"
	exit 1
fi
. "$tmp/db/env"
pass db-up
{ cat "$tmp/db/warroom.conf"; echo "set refresh 1s"; } > "$tmp/conf"
WW() { "$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS "$@"; }
snap() { WW snapshot --json 2>/dev/null; }
psql_super() { PGCONNECT_TIMEOUT=5 /usr/lib/postgresql/15/bin/psql "$PG_SUPER_CONNINFO" -XAtqc "$1" 2>/dev/null ||
	psql "$PG_SUPER_CONNINFO" -XAtqc "$1"; }
load() { python3 "$LOAD" --env "$tmp/db/env" --quiet "$@"; }

# --- the slowest statement on top ------------------------------------------------
load slow-queries --seconds 6 >/dev/null 2>&1
top() { snap | jq -r '.postgres.statements[0].query // ""'; }
check slow-query-on-top bash -c "'$W' -c '$tmp/conf' --kubeconfig '$KC' -n $NS snapshot --json |
    jq -r '.postgres.statements[0].query' | grep -qi 'ilike'"
expect_eq snapshot-pg-ok ok "$(snap | jq -r .sources.pg.state)"
check pg-max-connections jq -e '.postgres.max_connections == 100 and .postgres.connections >= 1' <<<"$(snap)"

# --- idle-in-transaction sessions, and pg-terminate-idle --------------------------------
load sessions --idle-in-tx 2 --idle 1 --seconds 120 --pid-file "$tmp/pids" >/dev/null 2>&1 &
bg+=($!)
wait_for 20 test -s "$tmp/pids"
sleep 2
iit=$(awk '$2 == "idle-in-tx" {print $1}' "$tmp/pids" | sort -n | tr '\n' ' ')
all=$(awk '{print $1}' "$tmp/pids" | sort -n | tr '\n' ' ')
shown() { snap | jq -r '[.postgres.sessions[] | select(.state == "idle in transaction") | .pid] | sort | map(tostring) | join(" ")'; }
expect_eq idle-in-tx-shown "${iit% }" "$(shown)"
out=$(echo n | WW do pg-terminate-idle --older-than 1s 2>&1); rc=$?
expect_eq terminate-idle-no-exit 1 "$rc"
listed=$(grep -o 'pid [0-9]*' <<<"$out" | awk '{print $2}' | sort -n | tr '\n' ' ')
expect_eq terminate-idle-lists-them "${all% }" "${listed% }"
still() { psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid IN ($(tr ' ' ',' <<<"${all% }"))"; }
expect_eq terminate-idle-no-ends-none 3 "$(still)"
out=$(WW do pg-terminate-idle --older-than 1s --yes 2>&1); rc=$?
expect_eq terminate-idle-exit 0 "$rc"
check terminate-idle-says grep -q '3 sessions ended' <<<"$out"
expect_eq terminate-idle-ended-exactly 0 "$(still)"
check terminate-idle-audited bash -c "'$W' audit --json | jq -e -s 'map(select(.action == \"pg-terminate-idle\" and .phase == \"done\")) | length == 1' >/dev/null"
out=$(WW do pg-terminate-idle --older-than 1s --yes 2>&1); rc=$?
expect_eq terminate-idle-none-left "0" "$rc"
check terminate-idle-none-msg grep -q 'no session idle for more than 1s' <<<"$out"
out=$(WW do pg-terminate-idle --older-than 5x 2>&1); rc=$?
expect_eq terminate-idle-bad-duration 2 "$rc"

# A permission error from the server, said as such: the viewer role.
sed "s|^postgres .*|postgres \"$PG_VIEWER_CONNINFO\"|" "$tmp/conf" > "$tmp/conf-viewer"
load sessions --idle 1 --seconds 60 --pid-file "$tmp/pids2" >/dev/null 2>&1 &
bg+=($!)
wait_for 20 test -s "$tmp/pids2"
vpid=$(awk '{print $1}' "$tmp/pids2" | head -n 1)
out=$("$W" -c "$tmp/conf-viewer" --kubeconfig "$KC" -n $NS do pg-terminate "$vpid" --yes 2>&1); rc=$?
expect_eq viewer-terminate-refused 1 "$rc"
check viewer-terminate-permission grep -qi 'must be a member of the role\|permission denied' <<<"$out"
check viewer-terminate-audited-denied bash -c "'$W' audit --json | jq -e -s 'map(select(.action == \"pg-terminate\")) | last | .phase == \"denied\"' >/dev/null"
expect_eq viewer-terminate-session-alive 1 "$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $vpid")"
out=$(WW do pg-terminate "$vpid" --yes 2>&1); rc=$?
expect_eq terminate-pid-exit 0 "$rc"
expect_eq terminate-pid-gone 0 "$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $vpid")"
out=$(WW do pg-terminate 0 2>&1); rc=$?
expect_eq terminate-bad-pid 2 "$rc"
out=$(WW do pg-cancel 999999 --yes 2>&1); rc=$?
check cancel-unknown-pid grep -q 'no session with pid 999999' <<<"$out"

# The session previewed, not another that got its pid in between: during
# the pause after the preview the session ends and a new one of the
# application's is made to take its pid (the kernel's ns_last_pid, then a
# psql that is already running reconnects, so that nothing forks between;
# tried again while another process takes the pid first). The apply matches
# pid and backend_start, so it signals nothing and the new session lives.
PSQL=$(command -v /usr/lib/postgresql/15/bin/psql || command -v psql)
pid_is() { [ "$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 $2")" = "$3" ]; }
# take_pid PID: a session that has PID, busy for 30 s; 1 if none got it.
take_pid() {
	local want=$1 i got
	coproc HOLD { exec "$PSQL" "$PG_APP_CONNINFO" -XAtq 2>/dev/null; }
	bg+=("$HOLD_PID")
	for ((i = 0; i < 40; i++)); do
		wait_for 2 test ! -e "/proc/$want"	# reaped: its pid is free
		echo $((want - 1)) > /proc/sys/kernel/ns_last_pid || return 1
		printf '%s\n' '\connect' 'SELECT pg_backend_pid();' >&"${HOLD[1]}"
		read -r -t 5 got <&"${HOLD[0]}" || return 1
		if [ "$got" = "$want" ]; then
			printf '%s\n' 'SELECT pg_sleep(30.5);' >&"${HOLD[1]}"
			return 0
		fi
	done
	return 1
}
reuse_case() {
	local act=$1 rpid wpid rc
	load sessions --idle 1 --seconds 60 --pid-file "$tmp/pids-$act" >/dev/null 2>&1 &
	bg+=($!)
	wait_for 20 test -s "$tmp/pids-$act"
	rpid=$(awk '{print $1}' "$tmp/pids-$act" | head -n 1)
	WARROOM_TEST_PAUSE_BEFORE_APPLY=10 "$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS \
	    do "$act" "$rpid" --yes > "$tmp/reuse-$act.out" 2>&1 &
	wpid=$!
	wait_for 10 grep -q "pid $rpid (" "$tmp/reuse-$act.out"
	sleep 0.5
	psql_super "SELECT pg_terminate_backend($rpid)" >/dev/null
	wait_for 5 pid_is "$rpid" "" 0
	if ! take_pid "$rpid" || ! wait_for 3 pid_is "$rpid" "AND query LIKE '%pg_sleep(30.5)%'" 1; then
		skip "$act-reused-pid" "no new session took pid $rpid (ns_last_pid)"
		wait $wpid
		kill "$HOLD_PID" 2>/dev/null
		return
	fi
	wait $wpid; rc=$?
	expect_eq "$act-reused-pid-refused" 1 "$rc"
	check "$act-reused-pid-msg" grep -q "^error: postgres: pid $rpid is not the session previewed any more (it ended, or its pid was reused); nothing was signalled$" "$tmp/reuse-$act.out"
	check "$act-reused-pid-other-alive" pid_is "$rpid" "AND query LIKE '%pg_sleep(30.5)%' AND state = 'active'" 1
	kill "$HOLD_PID" 2>/dev/null
	wait "$HOLD_PID" 2>/dev/null
}
reuse_case pg-terminate
reuse_case pg-cancel

# --- Redis: a slow command with its arguments; MEMORY PURGE ------------------------------
load redis-slow --rounds 1 >/dev/null 2>&1
slow_seen() { snap | jq -e '.redis.slowlog | map(.command) | any(test("SORT|EVAL|DEBUG"))' >/dev/null; }
check redis-slowlog-shown wait_for 10 slow_seen
check redis-slowlog-args jq -e '.redis.slowlog | any(.command | test("^DEBUG SLEEP [0-9.]+$|^SORT .+ ALPHA"))' <<<"$(snap)"
check redis-maxmemory jq -e '.redis.maxmemory > 0 and .redis.memory_percent != null' <<<"$(snap)"
out=$(WW do redis-purge --yes 2>&1); rc=$?
expect_eq redis-purge-exit 0 "$rc"
check redis-purge-ok grep -q 'MEMORY PURGE done' <<<"$out"

# --- slow_queries: every database's slow statements in one list -------------------------
check snapshot-slow-queries jq -e '(.slow_queries | map(.source) | unique) == ["postgres", "redis"] and
    all(.slow_queries[]; (keys - ["calls", "mean_ms", "query", "source", "total_ms"]) == [] and
    (.query | type) == "string" and .calls >= 1 and .mean_ms >= 0 and .total_ms >= .mean_ms) and
    ([.slow_queries[] | select(.source == "postgres") | .query] == [.postgres.statements[].query])' <<<"$(snap)"

# --- no Kubernetes at all (no kubeconfig, not in a cluster): the databases alone --------
mkdir -p "$tmp/nohome"
nokube() { env -u KUBERNETES_SERVICE_HOST -u KUBERNETES_SERVICE_PORT HOME="$tmp/nohome" \
    KUBECONFIG="$tmp/nohome/none" "$W" -c "$tmp/conf" "$@"; }
out=$(nokube snapshot --json 2>"$tmp/nokube.err"); rc=$?
expect_eq nokube-snapshot-exit 0 "$rc"
check nokube-snapshot-says grep -q '^warroom: Kubernetes: not configured: no kubeconfig found' "$tmp/nokube.err"
check nokube-snapshot-sources jq -e '.sources.kube.state == "not configured" and .sources.pg.state == "ok" and
    .sources.redis.state == "ok" and .pods == [] and .deployments == []' <<<"$out"
check nokube-snapshot-slow-queries jq -e '(.slow_queries | length) > 0 and (.postgres.statements | length) > 0 and
    (.redis | has("slowlog"))' <<<"$out"
out=$(nokube do scale x 1 --yes 2>&1); rc=$?
expect_eq nokube-do-needs-kube 2 "$rc"
check nokube-do-says grep -q 'kubeconfig: no kubeconfig found' <<<"$out"
out=$(nokube --context prod snapshot --json 2>&1); rc=$?
expect_eq nokube-context-asked-is-an-error 2 "$rc"
tui_start nokube 120x30 env -u LC_ALL -u LC_CTYPE -u KUBERNETES_SERVICE_HOST -u KUBERNETES_SERVICE_PORT \
    LANG=C.UTF-8 TERM=xterm-256color WARROOM_DATADIR="$T_TOP" HOME="$tmp/nohome" \
    KUBECONFIG="$tmp/nohome/none" XDG_STATE_HOME="$XDG_STATE_HOME" "$W" -c "$tmp/conf"
check nokube-dashboard-not-configured tui_wait nokube 10 'Kubernetes: not configured'
check nokube-dashboard-pg-live tui_wait nokube 10 'pg (live|ok)'
tui_keys nokube 4
check nokube-dashboard-db-view tui_wait nokube 10 'postgres 15\.[0-9]+ +[0-9]+/100 connections'
tui_keys nokube q
check nokube-dashboard-quits wait_for 5 tui_dead nokube
tui_start nokube-wall 120x30 env -u LC_ALL -u LC_CTYPE -u KUBERNETES_SERVICE_HOST -u KUBERNETES_SERVICE_PORT \
    LANG=C.UTF-8 TERM=xterm-256color WARROOM_DATADIR="$T_TOP" HOME="$tmp/nohome" \
    KUBECONFIG="$tmp/nohome/none" XDG_STATE_HOME="$XDG_STATE_HOME" "$W" --wall -c "$tmp/conf"
check nokube-wall-not-configured tui_wait nokube-wall 10 'Kubernetes: not configured'
check nokube-wall-sources tui_wait nokube-wall 10 'pg live +redis live'
tui_keys nokube-wall q

# --- on screen: view 4, escape sequences as text, the health strip ---------------------
export WARROOM_DATADIR=$T_TOP
load slow-queries --seconds 3 >/dev/null 2>&1
tui_start db 160x45 env -u LC_ALL -u LC_CTYPE LANG=C.UTF-8 TERM=xterm-256color \
    WARROOM_DATADIR="$T_TOP" HOME="$HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
    "$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS
tui_wait db 10 'kube live' >/dev/null
tui_keys db 4
check tui-db-view tui_wait db 10 'postgres 15\.[0-9]+ +[0-9]+/100 connections'
check tui-slowest-statement tui_wait db 10 'slowest statements by mean time'
tui_keys db o
check tui-order-by-total tui_wait db 5 'slowest statements by total time'
tui_keys db o
check tui-ilike-shown tui_wait db 5 '[Ii][Ll][Ii][Kk][Ee]'
check tui-redis-line tui_wait db 5 'redis +memory .* of .*hit ratio'
check tui-slowlog tui_wait db 5 'slowlog \([0-9]+\)'
tui_keys db / w r - e v i l Enter
# The statement row shows ESC and BEL as visible \xNN escapes next to the
# marker: the status bar's "filter: wr-evil" cannot match this.
check tui-evil-query-as-text tui_wait db 10 'wr-evil \\x1b\]2;pwned\\x07'
title=$(tmux -L "$T_TMUX_SOCK" display-message -p -t db '#{pane_title}')
check tui-pane-title-untouched bash -c "! grep -q pwned <<<'$title'"
tui_keys db Escape
# Y on a statement copies its whole text, newlines kept, as one shell word:
# in the one-line form the -- comment would swallow the WHERE.
psql_super "CREATE TABLE IF NOT EXISTS wr_jobs (done boolean)" >/dev/null
psql_super $'DELETE FROM wr_jobs -- wr-old\nWHERE done' >/dev/null
tmux -L "$T_TMUX_SOCK" set-option -s set-clipboard on
tui_keys db / w r - o l d Enter
tui_wait db 10 'DELETE FROM wr_jobs' >/dev/null
tui_keys db Y
want=$'psql -X -c \'DELETE FROM wr_jobs -- wr-old\nWHERE done\''
stmt_got() { [ "$(tmux -L "$T_TMUX_SOCK" show-buffer 2>/dev/null)" = "$want" ]; }
check tui-copy-statement-whole wait_for 5 stmt_got
tui_keys db Escape
check tui-health-strip tui_wait db 10 'health .*knowledge-service (✓|ok) [0-9]+ms'
curl -fsS -X POST "$HEALTH_CONTROL_URL/state/content-service?state=down" >/dev/null 2>&1 ||
    fail health-control "no HEALTH_CONTROL_URL"
check tui-health-down tui_wait db 15 'content-service ✗ DOWN HTTP 503'

# The keys on a session: K asks, n keeps it, y ends it; I lists first.
load sessions --idle-in-tx 1 --seconds 90 --pid-file "$tmp/pids3" >/dev/null 2>&1 &
bg+=($!)
wait_for 20 test -s "$tmp/pids3"
kpid=$(awk '{print $1}' "$tmp/pids3" | head -n 1)
tui_keys db / i d l e Space i n Space t r a n s Enter
check tui-session-row tui_wait db 10 "pid $kpid +idle in transaction"
tui_keys db K
check tui-terminate-preview tui_wait db 10 "terminate pid $kpid"
tui_keys db n
check tui-terminate-no tui_wait db 5 'cancelled'
expect_eq tui-terminate-no-alive 1 "$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $kpid")"
tui_keys db I
check tui-idle-lists tui_wait db 10 "terminate [0-9]+ sessions? idle for more than 300s|no session idle for more than 300s"
tui_keys db n
tui_keys db K
tui_wait db 10 "terminate pid $kpid" >/dev/null
tui_keys db y
gone() { [ "$(psql_super "SELECT count(*) FROM pg_stat_activity WHERE pid = $kpid")" = 0 ]; }
check tui-terminate-yes wait_for 15 gone
check tui-terminate-logged tui_wait db 10 "pg-terminate $kpid +done"
tui_keys db Escape

# Server restarts: DOWN meanwhile, back by itself.
"$DB" stop "$tmp/db" postgres >/dev/null 2>&1
check pg-down-on-screen tui_wait db 25 'pg (STALE|DOWN)'
check pg-down-strip tui_wait db 10 'postgres ✗ DOWN'
check pg-down-kube-live tui_wait db 3 'kube live'
"$DB" start "$tmp/db" postgres >/dev/null 2>&1
check pg-recovers tui_wait db 40 'pg (live|ok)'
"$DB" stop "$tmp/db" redis >/dev/null 2>&1
check redis-down-on-screen tui_wait db 25 'redis (STALE|DOWN)'
"$DB" start "$tmp/db" redis >/dev/null 2>&1
check redis-recovers tui_wait db 40 'redis (live|ok)'
tui_keys db q

# --- warroom check ----------------------------------------------------------------
curl -fsS -X POST "$HEALTH_CONTROL_URL/state?state=up" >/dev/null 2>&1
"$W" -c "$tmp/conf" check > "$tmp/check.out" 2>&1; rc=$?
expect_eq check-all-up 0 "$rc"
check check-table grep -q '^postgres .* up ' "$tmp/check.out"
curl -fsS -X POST "$HEALTH_CONTROL_URL/state/auth-service?state=down" >/dev/null 2>&1
"$W" -c "$tmp/conf" check --json > "$tmp/check.json" 2>&1; rc=$?
expect_eq check-one-down 1 "$rc"
check check-json jq -e '.healthy == false and ([.checks[] | select(.up == false) | .name] == ["auth-service"])' "$tmp/check.json"
python3 "$T_TOP/tests/stack/webhook-sink.py" --out "$tmp/hook.jsonl" --port-file "$tmp/hook.port" &
sink=$!
wait_for 10 test -s "$tmp/hook.port"
"$W" -c "$tmp/conf" check --notify "http://127.0.0.1:$(cat "$tmp/hook.port")/slack" >/dev/null 2>&1; rc=$?
expect_eq check-notify-exit 1 "$rc"
check check-notify-payload jq -e -s '.[0].failures[0].name == "auth-service" and (.[0].text | test("1 of [0-9]+ failing"))' "$tmp/hook.jsonl"
printf 'health broken not-a-url\n' > "$tmp/conf-bad"
"$W" -c "$tmp/conf-bad" check > /dev/null 2>&1; rc=$?
expect_eq check-bad-config 2 "$rc"
t0=$(date +%s)
printf 'health blackhole http://10.255.255.1:9/health\n' > "$tmp/conf-hole"
"$W" -c "$tmp/conf-hole" check > /dev/null 2>&1; rc=$?
expect_eq check-unreachable 1 "$rc"
check check-bounded-time test $(( $(date +%s) - t0 )) -le 15

# --- memory: the database sources, check and an action under valgrind ------------
if command -v valgrind >/dev/null; then
	vg() { valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	    --error-exitcode=9 "$W" "$@"; }
	vg -c "$tmp/conf" --kubeconfig "$KC" -n $NS snapshot --json > "$tmp/vg1.json" 2> "$tmp/vg1"; rc=$?
	got="$rc $(grep -c '==[0-9]*==' "$tmp/vg1")"
	[ "$rc" = 1 ] && got="$got; not ok: $(snap_not_ok "$tmp/vg1.json")"
	expect_eq valgrind-snapshot-with-databases "0 0" "$got"
	vg -c "$tmp/conf" check > /dev/null 2> "$tmp/vg2"; rc=$?
	expect_eq valgrind-check "1 0" "$rc $(grep -c '==[0-9]*==' "$tmp/vg2")"
	vg -c "$tmp/conf" --kubeconfig "$KC" -n $NS do pg-terminate-idle --older-than 1h --dry-run \
	    > /dev/null 2> "$tmp/vg3"; rc=$?
	expect_eq valgrind-pg-terminate-idle "0 0" "$rc $(grep -c '==[0-9]*==' "$tmp/vg3")"
	vg -c "$tmp/conf" --kubeconfig "$KC" -n $NS do redis-purge --dry-run > /dev/null 2> "$tmp/vg4"; rc=$?
	expect_eq valgrind-redis-purge "0 0" "$rc $(grep -c '==[0-9]*==' "$tmp/vg4")"
else
	fail valgrind "not installed (bootstrap installs it)"
fi
t_done
