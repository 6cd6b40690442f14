#!/usr/bin/env bash
# The database test stack (tests/stack/db.sh, db-load.py, health-server.py):
# real PostgreSQL 15 with pg_stat_statements and the soundcore_kcp data, real
# Redis 7 with a password, maxmemory and a low slowlog threshold, and the six
# services' health endpoints. The load generator's slow query tops
# pg_stat_statements, its idle-in-transaction sessions and lock waits show in
# pg_stat_activity with the PIDs it wrote, the viewer role is refused
# pg_terminate_backend, Redis' SLOWLOG keeps the slow commands with their
# arguments (escape sequences intact), a health endpoint goes to 503 and back,
# PostgreSQL and Redis stop and start again, and "down" leaves nothing running.
. "$(dirname "$0")/lib.sh"
DB=$T_TOP/tests/stack/db.sh
LOAD=$T_TOP/tests/stack/db-load.py
PG_BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-db-stack.XXXXXX")
S=$tmp/db
bg_pids=()
cleanup() {
	local p
	for p in "${bg_pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
	"$DB" down "$S" > /dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

for b in "$PG_BIN/postgres" "$PG_BIN/psql" redis-server redis-cli python3 curl jq; do
	if ! command -v "$b" > /dev/null 2>&1; then
		skip db-stack "$b is not installed (./bootstrap installs it)"
		exit 1
	fi
done

# --- helpers -------------------------------------------------------------------

# q CONNINFO SQL: one value (or rows, "|"-separated) from PostgreSQL.
q() { "$PG_BIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
# super SQL: the same as the superuser, over the socket.
super() { q "$PG_SUPER_CONNINFO" "$1"; }
# rds CMD...: one Redis command through the load tool's client, as JSON.
rds() { python3 "$LOAD" redis --env "$S/env" --quiet -- "$@"; }
# load CMD...: the load generator on this stack.
load() { python3 "$LOAD" "$1" --env "$S/env" "${@:2}"; }
# bg_load CMD...: the same in the background, killed at exit; its pid in $!
# (python itself, not a subshell: a SIGTERM reaches it).
bg_load() { python3 "$LOAD" "$1" --env "$S/env" "${@:2}" & bg_pids+=($!); }
# wait_file SECONDS FILE: until FILE exists and is not empty.
wait_file() { wait_for "$1" test -s "$2"; }
# eventually SECONDS NAME WANT CMD...: one case, passing once CMD prints WANT
# (polled every 0.2 s), else failing with what it printed last.
eventually() {
	local end=$(($(date +%s) + $1)) name=$2 want=$3 got; shift 3
	while :; do
		got=$("$@" 2> /dev/null)
		[ "$got" != "$want" ] || { pass "$name"; return 0; }
		[ "$(date +%s)" -lt "$end" ] || { fail "$name" "want [$want] got [$got]"; return 1; }
		sleep 0.2
	done
}
# pids_of FILE KIND: the PIDs the load tool wrote for KIND, comma-separated.
pids_of() { awk -v k="$2" '$2 == k { print $1 }' "$1" | paste -sd, -; }
# at_least X Y: X >= Y (numbers, possibly fractional).
at_least() { awk -v a="${1:-}" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }
# http_code URL: the status of a GET (000: no answer).
http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true; }
# health_url NAME: that service's URL from HEALTH_URLS.
health_url() { tr ' ' '\n' <<< "$HEALTH_URLS" | sed -n "s|^$1=||p"; }
# ctl NAME STATE [ARGS]: switch a health endpoint.
ctl() { curl -fsS -m 5 -X POST "$HEALTH_CONTROL_URL/state/$1?state=$2${3:+&$3}" > /dev/null; }
# alive PID: the process runs (zombies do not count).
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2> /dev/null; }

# --- up ---------------------------------------------------------------------------

started=$(date +%s)
if ! "$DB" up "$S" --rows 100000 > "$tmp/up.out" 2> "$tmp/up.err"; then
	fail db-up "$(tail -n 8 "$tmp/up.err" | tr '\n' ' ')"
	exit 1
fi
pass db-up
echo "# up took $(($(date +%s) - started)) s"
. "$S/env"
expect_eq up-prints-env "$(cat "$S/env")" "$(cat "$tmp/up.out")"
check env-lines grep -q "^PG_CONNINFO='host=127.0.0.1 port=$PG_PORT dbname=soundcore_kcp user=warroom password=" "$S/env"
check env-redis-url grep -q "^REDIS_URL='redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0'" "$S/env"
expect_eq health-urls-six "6" "$(wc -w <<< "$HEALTH_URLS")"
expect_eq warroom-conf-lines "postgres redis health health health health health health" \
	"$(grep -v '^#' "$S/warroom.conf" | awk '{ print $1 }' | paste -sd' ' -)"
check warroom-conf-conninfo grep -qF "postgres \"$PG_CONNINFO\"" "$S/warroom.conf"
warroom=${WARROOM:-$T_TOP/build/warroom}
if [ -x "$warroom" ]; then
	# The config is read before the kubeconfig: an error naming the
	# kubeconfig (and not warroom.conf) means the config was accepted.
	out=$("$warroom" -c "$S/warroom.conf" --kubeconfig "$tmp/no-kubeconfig" snapshot --json 2>&1 || true)
	if grep -q 'warroom.conf' <<< "$out" || ! grep -q 'kubeconfig' <<< "$out"; then
		fail warroom-reads-conf "$out"
	else
		pass warroom-reads-conf
	fi
else
	skip warroom-reads-conf "no warroom binary at $warroom (make first)"
fi

# --- PostgreSQL ---------------------------------------------------------------------

check pg-answers q "$PG_CONNINFO" 'SELECT 1'
expect_eq pg-version-15 15 "$(q "$PG_CONNINFO" "SELECT current_setting('server_version_num')::int / 10000")"
expect_eq pg-preload pg_stat_statements "$(q "$PG_CONNINFO" 'SHOW shared_preload_libraries')"
expect_eq pg-track-all all "$(q "$PG_CONNINFO" 'SHOW pg_stat_statements.track')"
expect_eq pg-extension 1 "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")"
expect_eq pg-max-connections 100 "$(q "$PG_CONNINFO" 'SHOW max_connections')"
expect_eq pg-rows 100000 "$(q "$PG_CONNINFO" 'SELECT count(*) FROM knowledge_items')"
expect_eq pg-indexes 6 "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_indexes WHERE tablename = 'knowledge_items'")"
expect_eq pg-listens-loopback-only 127.0.0.1 "$(q "$PG_CONNINFO" 'SHOW listen_addresses')"
check pg-wrong-password-refused sh -c "! '$PG_BIN/psql' -X -d 'host=127.0.0.1 port=$PG_PORT dbname=soundcore_kcp user=warroom password=wrong' -c 'SELECT 1' 2> '$tmp/pw.err' && grep -q 'password authentication failed' '$tmp/pw.err'"
pg_pid=$(awk '$1 == "postgres" { print $2 }' "$S/pids")
if [ "$(id -u)" -eq 0 ]; then
	check pg-runs-unprivileged test "$(ps -o user= -p "$pg_pid")" != root
fi

# The query mix: the substring search tops pg_stat_statements by mean time,
# clearly ahead of the second, and the escape-sequence comment is stored raw.
super 'SELECT pg_stat_statements_reset()' > /dev/null
check load-slow-queries load slow-queries --seconds 5 --workers 2
top=$(q "$PG_CONNINFO" "SELECT s.query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE d.datname = 'soundcore_kcp' ORDER BY s.mean_exec_time DESC LIMIT 1")
if grep -q "WHERE body ILIKE" <<< "$top"; then pass pgss-slow-query-on-top; else fail pgss-slow-query-on-top "on top: $top"; fi
ratio=$(q "$PG_CONNINFO" "SELECT round((max(mean_exec_time) FILTER (WHERE r = 1) /
    max(mean_exec_time) FILTER (WHERE r = 2))::numeric, 1) FROM (SELECT mean_exec_time,
    row_number() OVER (ORDER BY mean_exec_time DESC) AS r FROM pg_stat_statements) x")
check pgss-clearly-slower at_least "$ratio" 3
expect_eq pgss-calls-counted t "$(q "$PG_CONNINFO" "SELECT min(calls) >= 3 FROM pg_stat_statements WHERE query LIKE '%body ILIKE%'")"
expect_eq pgss-escape-sequence-kept 1 "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_statements
    WHERE strpos(query, E'/* wr-evil \\x1b]2;pwned\\x07') > 0")"
expect_eq pgss-viewer-insufficient-privilege "0 true" "$(q "$PG_VIEWER_CONNINFO" "SELECT
    count(*) FILTER (WHERE query LIKE '%body ILIKE%') || ' ' ||
    (count(*) FILTER (WHERE query = '<insufficient privilege>') > 0) FROM pg_stat_statements")"

# Idle-in-transaction and idle sessions, with the PIDs the tool wrote.
bg_load idle-in-tx --count 3 --seconds 90 --evil --quiet > "$tmp/iit.out"
iit_job=$!
bg_load idle --count 2 --seconds 90 --quiet > "$tmp/idle.out"
idle_job=$!
wait_file 20 "$S/load-idle-in-tx.pids" && wait_file 20 "$S/load-idle.pids"
iit=$(pids_of "$S/load-idle-in-tx.pids" idle-in-tx)
idle=$(pids_of "$S/load-idle.pids" idle)
expect_eq sessions-pids-written "3 2" "$(tr ',' '\n' <<< "$iit" | grep -c .) $(tr ',' '\n' <<< "$idle" | grep -c .)"
expect_eq idle-in-tx-in-activity "3" "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_activity
    WHERE pid IN (${iit:-0}) AND state = 'idle in transaction' AND xact_start IS NOT NULL")"
expect_eq idle-in-activity "2" "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_activity WHERE pid IN (${idle:-0}) AND state = 'idle'")"
expect_eq idle-in-tx-query-escape 3 "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_activity
    WHERE pid IN (${iit:-0}) AND strpos(query, E'\\x1b]2;pwned\\x07') > 0")"
victim=${iit%%,*}

# The viewer may not end sessions: the server's own words.
if out=$(q "$PG_VIEWER_CONNINFO" "SELECT pg_terminate_backend($victim)" 2>&1); then
	fail viewer-terminate-refused "it was allowed: $out"
else
	check viewer-terminate-refused grep -q 'must be a member of the role whose process is being terminated or member of pg_signal_backend' <<< "$out"
fi
if out=$(q "$PG_VIEWER_CONNINFO" "SELECT pg_cancel_backend($victim)" 2>&1); then
	fail viewer-cancel-refused "it was allowed: $out"
else
	check viewer-cancel-refused grep -q 'must be a member of the role whose query is being canceled' <<< "$out"
fi
expect_eq viewer-sees-no-query '<insufficient privilege>' "$(q "$PG_VIEWER_CONNINFO" "SELECT query FROM pg_stat_activity WHERE pid = $victim")"
expect_eq victim-still-there 1 "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_activity WHERE pid = $victim")"

# warroom (pg_signal_backend) may: the manual's fault 2 query, parameterized,
# for one idle-in-transaction session, then for the idle ones.
expect_eq warroom-terminates-one "$victim|t" "$(q "$PG_CONNINFO" "SELECT pid, pg_terminate_backend(pid, 5000)
    FROM pg_stat_activity WHERE datname = 'soundcore_kcp' AND state = 'idle in transaction'
    AND state_change < now() - interval '0 seconds' AND pid = $victim")"
expect_eq terminated-gone-others-stay "0 2" "$(q "$PG_CONNINFO" "SELECT count(*) FILTER (WHERE pid = $victim) || ' ' ||
    count(*) FILTER (WHERE pid <> $victim) FROM pg_stat_activity WHERE pid IN ($iit)")"
# (On a busy machine the idle sessions may have gone idle less than a
# second ago: wait until both have, at most 15 s.)
idle_long() { [ "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_activity WHERE datname = 'soundcore_kcp'
    AND state = 'idle' AND state_change < now() - '1 second'::interval AND application_name = 'db-load:idle'")" = 2 ]; }
wait_for 15 idle_long
expect_eq fault2-idle-terminated 2 "$(q "$PG_CONNINFO" "SELECT count(pg_terminate_backend(pid, 5000))
    FROM pg_stat_activity WHERE datname = 'soundcore_kcp' AND state = 'idle'
    AND state_change < now() - '1 second'::interval AND application_name = 'db-load:idle'")"
# The tool, stopped, reports which of its sessions the server had ended.
kill -TERM "$iit_job" "$idle_job" 2> /dev/null
wait_file 15 "$S/load-idle-in-tx.pids.result" && wait_file 15 "$S/load-idle.pids.result"
expect_eq load-reports-terminated "$victim terminated" \
	"$(awk '$3 == "terminated" { print $1, $3 }' "$S/load-idle-in-tx.pids.result")"
expect_eq load-reports-ended 2 "$(grep -c ' ended$' "$S/load-idle-in-tx.pids.result" || true)"
expect_eq load-reports-idle-terminated 2 "$(grep -c ' terminated$' "$S/load-idle.pids.result" || true)"
eventually 10 sessions-closed 0 q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'db-load:%'"

# A waiting/blocking pair.
bg_load blocker --seconds 6 --quiet > "$tmp/blocker.out"
if wait_file 20 "$S/load-blocker.pids"; then
	blocker=$(pids_of "$S/load-blocker.pids" blocker) waiter=$(pids_of "$S/load-blocker.pids" waiter)
	expect_eq blocking-pids "{$blocker}" "$(q "$PG_CONNINFO" "SELECT pg_blocking_pids($waiter)")"
	expect_eq waiter-waits-on-lock "Lock|active" "$(q "$PG_CONNINFO" "SELECT wait_event_type, state FROM pg_stat_activity WHERE pid = $waiter")"
	expect_eq waiter-lock-not-granted 1 "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_locks WHERE pid = $waiter AND NOT granted")"
else
	fail blocking-pids "no $S/load-blocker.pids after 20 s: $(cat "$tmp/blocker.out")"
fi
wait_for 20 test -s "$S/load-blocker.pids.result"
expect_eq blocker-ends "blocker ended waiter cancelled" "$(awk '{ print $2, $3 }' "$S/load-blocker.pids.result" 2> /dev/null | paste -sd' ' -)"
# The cancelled wait is not counted: no update of that row took 3 s or more.
expect_eq lock-wait-not-in-pgss 0 "$(q "$PG_CONNINFO" "SELECT count(*) FROM pg_stat_statements
    WHERE query LIKE 'UPDATE knowledge_items SET view_count%' AND max_exec_time >= 3000")"

# --- Redis -------------------------------------------------------------------------

expect_eq redis-ping '"PONG"' "$(rds PING)"
check redis-needs-password sh -c "redis-cli -h 127.0.0.1 -p $REDIS_PORT PING 2>&1 | grep -q NOAUTH"
expect_eq redis-version-7 7 "$(rds INFO server | jq -r 'capture("redis_version:(?<v>[0-9]+)").v')"
expect_eq redis-maxmemory '["maxmemory","67108864"]' "$(rds CONFIG GET maxmemory | jq -c .)"
info=$(rds INFO memory | jq -r .)
check redis-info-maxmemory grep -q '^maxmemory:67108864' <<< "$info"
check redis-info-policy grep -q '^maxmemory_policy:allkeys-lru' <<< "$info"
rds SLOWLOG RESET > /dev/null
check redis-slow load redis-slow --quiet
slowlog=$(rds SLOWLOG GET 50)
# Each entry: [id, time, microseconds, argv, client, name]. (--argjson: an
# empty answer is an error, not an empty input that jq -e lets pass.)
check slowlog-debug-sleep jq -en --argjson s "$slowlog" '$s | any(.[]; .[3][0] == "DEBUG" and .[3][1] == "SLEEP" and .[2] >= 25000)'
check slowlog-eval-escape-args jq -en --argjson s "$slowlog" '$s | any(.[]; .[3][0] == "EVAL" and any(.[3][]; . == "\u001b]2;pwned\u0007") and
    any(.[3][]; . == "line1\r\nline2\ttab\u0000nul"))'
check slowlog-truncates-long-arg jq -en --argjson s "$slowlog" '$s | any(.[]; .[3][0] == "EVAL" and any(.[3][]; test("^long:.*more bytes\\)$")))'
check slowlog-sort-escape-key jq -en --argjson s "$slowlog" '$s | any(.[]; .[3][0] == "SORT" and .[3][1] == "kcp:cache:\u001b[31mhot\u001b[0m:items")'
odd='load"gen'"'"'%s%n<b>$(id)\x1b[31m;{}|'  # the load tool's CLIENT SETNAME
check slowlog-client-name jq -en --arg n "$odd" --argjson s "$slowlog" '$s | any(.[]; .[5] == $n and (.[4] | startswith("127.0.0.1:")))'
check redis-fill load redis-fill --percent 90 --quiet
used=$(rds INFO memory | jq -r 'capture("used_memory:(?<v>[0-9]+)").v')
check redis-memory-above-alert at_least "$(awk -v u="$used" 'BEGIN { print u / 67108864 * 100 }')" 85
expect_eq redis-memory-purge '"OK"' "$(rds MEMORY PURGE)"

# --- health endpoints ---------------------------------------------------------------

codes=''
for kv in $HEALTH_URLS; do codes="$codes ${kv%%=*}:$(http_code "${kv#*=}")"; done
expect_eq health-all-up " frontend:200 knowledge-service:200 content-service:200 support-service:200 analytics-service:200 auth-service:200" "$codes"
ku=$(health_url knowledge-service)
expect_eq health-json-status healthy "$(curl -fsS -m 5 "$ku" | jq -r .status)"
ctl knowledge-service down
expect_eq health-down-503 "503 200" "$(http_code "$ku") $(http_code "$(health_url auth-service)")"
expect_eq health-down-body unhealthy "$(curl -sS -m 5 "$ku" | jq -r .status)"
ctl knowledge-service slow delay=1.5
t=$(curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' "$ku")
check health-slow at_least "${t#* }" 1.4
ctl knowledge-service hang
expect_eq health-hang 000 "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$ku" || true)"
ctl knowledge-service closed
check health-closed-refused sh -c "curl -s -m 2 -o /dev/null '$ku'; [ \$? -eq 7 ]"
ctl knowledge-service up
expect_eq health-back-up 200 "$(http_code "$ku")"
check health-bad-state sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -X POST '$HEALTH_CONTROL_URL/state/knowledge-service?state=sideways')\" = 400 ]"

# --- stop and start -------------------------------------------------------------------

bg_load idle-in-tx --count 1 --seconds 90 --quiet --pid-file "$tmp/restart.pids" > /dev/null
restart_job=$!
wait_file 20 "$tmp/restart.pids"
check pg-stop "$DB" stop "$S" postgres
check pg-down-meanwhile sh -c "! '$PG_BIN/pg_isready' -q -h 127.0.0.1 -p $PG_PORT -t 2"
check pg-start "$DB" start "$S" postgres
expect_eq pg-data-after-restart 100000 "$(q "$PG_CONNINFO" 'SELECT count(*) FROM knowledge_items')"
# pg_stat_statements keeps its counts over a clean restart (saved at shutdown).
expect_eq pgss-after-restart t "$(q "$PG_CONNINFO" "SELECT count(*) > 0 FROM pg_stat_statements WHERE query LIKE '%body ILIKE%'")"
kill -TERM "$restart_job" 2> /dev/null
wait_file 15 "$tmp/restart.pids.result"
check load-sees-restart grep -q ' terminated$' "$tmp/restart.pids.result"
check redis-stop "$DB" stop "$S" redis
check redis-down-meanwhile sh -c "[ \"\$(REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p $REDIS_PORT PING 2>&1)\" != PONG ]"
check redis-start "$DB" start "$S" redis
expect_eq redis-after-restart '"PONG"' "$(rds PING)"
check start-twice-refused sh -c "! '$DB' start '$S' redis 2> '$tmp/twice.err' && grep -q 'already runs' '$tmp/twice.err'"

# --- down -------------------------------------------------------------------------------

running=$(cat "$S/pids")  # "NAME PID" lines
pgroot=$PG_ROOT
check db-down "$DB" down "$S"
left=''
while read -r n p; do
	! alive "$p" || left="$left $n:$p($(ps -o stat=,args= -p "$p" || true))"
done <<< "$running"
expect_eq down-stops-all '' "$left"
check down-ports-closed sh -c "! curl -s -m 2 -o /dev/null '$HEALTH_CONTROL_URL/state' && ! '$PG_BIN/pg_isready' -q -h 127.0.0.1 -p $PG_PORT -t 2"
case $pgroot in
/tmp/warroom-pg.*) check down-removes-outside-data test ! -e "$pgroot" ;;
esac
check bad-option sh -c "! '$DB' up '$tmp/bad' --rows many 2> '$tmp/bad.err' && grep -q 'not a positive number' '$tmp/bad.err'"
check load-without-stack sh -c "! python3 '$LOAD' slow-queries --env '$tmp/nothing/env' 2> '$tmp/load.err' && grep -q 'db.sh up' '$tmp/load.err'"
echo "# all took $(($(date +%s) - started)) s"
t_done
