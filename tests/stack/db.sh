#!/usr/bin/env bash
# tests/stack/db.sh: the database test stack. Real PostgreSQL 15 (Debian's
# postgresql-15) with pg_stat_statements preloaded and the soundcore_kcp
# database, real Redis 7 (Debian's redis-server) with a password, maxmemory
# and a low slowlog threshold, and the health endpoints of the manual's six
# services (tests/stack/health-server.py); all on 127.0.0.1 with free ports
# chosen at start, their data and configuration in STATEDIR; never the system
# services, their /etc files or their default ports.
#
#   db.sh up STATEDIR [options]     set up and start all three, wait until they
#                                   are ready, print shell lines (also in
#                                   STATEDIR/env), e.g.
#                                     PG_CONNINFO='host=127.0.0.1 port=P dbname=soundcore_kcp user=warroom password=...'
#                                     REDIS_URL='redis://:PASSWORD@127.0.0.1:P/0'
#                                     HEALTH_URLS='frontend=http://127.0.0.1:P/ knowledge-service=...'
#                                   and write the warroom config lines
#                                   (postgres, redis, health) to
#                                   STATEDIR/warroom.conf
#   db.sh down STATEDIR             stop what "up" started (STATEDIR/pids)
#   db.sh stop STATEDIR NAME        stop one of postgres, redis, health; start
#   db.sh start STATEDIR NAME       it again on the same port with the same
#                                   data and configuration
#
# Options of "up" (each also as an environment variable):
#   --rows N              rows of knowledge_items (DB_ROWS; default 150000)
#   --max-connections N   PostgreSQL max_connections (DB_MAX_CONNECTIONS; 100)
#   --run-as USER         when run as root: the unprivileged user PostgreSQL
#                         runs as, since it refuses to run as root (DB_RUN_USER;
#                         default nobody); not needed otherwise
#   --maxmemory SIZE      Redis maxmemory (REDIS_MAXMEMORY; default 64mb)
#   --policy NAME         Redis maxmemory-policy (REDIS_POLICY; allkeys-lru)
#   --slowlog-us N        Redis slowlog-log-slower-than in microseconds
#                         (REDIS_SLOWLOG_US; default 1000)
#   --no-health           no health endpoints
# DB_START_TIMEOUT (seconds, default 60) bounds the wait for each server;
# PG_BINDIR (default /usr/lib/postgresql/15/bin) is where initdb and postgres are.
#
# Roles in PostgreSQL (passwords are made up at every "up" and are in the env
# file): warroom (pg_monitor and pg_signal_backend: reads all statistics, ends
# other roles' sessions; PG_CONNINFO), viewer (log in and read the table,
# nothing more: permission errors; PG_VIEWER_CONNINFO), kcp_app (the
# application, owns the data; the load generator's role; PG_APP_CONNINFO) and
# the superuser postgres (trusted on the unix socket in STATEDIR;
# PG_SUPER_CONNINFO). The schema and data are tests/stack/db-schema.sql; the
# load generator is tests/stack/db-load.py.
#
# When run as root, the PostgreSQL data directory and socket belong to the
# --run-as user. If that user cannot reach STATEDIR (a private parent
# directory) or the socket path would be too long for a unix socket, they go
# to a directory of their own under /tmp instead (STATEDIR/pg links to it),
# which "down" removes. Logs: STATEDIR/postgres.log, redis.log, health.log.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
prog=db.sh
# The components, in start order; "down" stops them in the reverse order.
components=(postgres redis health)
pg_bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { say "$*"; exit 1; }
usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

# free_port: an unused TCP port on 127.0.0.1 (the kernel's choice).
free_port() {
	"$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# secret: a fresh password; hex, so it needs no quoting in a conninfo, a URL
# or a config line.
secret() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

# q VALUE: VALUE single-quoted for the shell.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# --- who runs PostgreSQL -------------------------------------------------

# set_run_user [USER]: PostgreSQL refuses to run as root, so as root it runs
# as an unprivileged user through setpriv; otherwise as ourselves.
set_run_user() {
	local want=${1:-}
	if [ "$(id -u)" -eq 0 ]; then
		run_user=${want:-nobody}
		run_uid=$(id -u "$run_user" 2> /dev/null) || die "no user $run_user (--run-as)"
		[ "$run_uid" -ne 0 ] || die "--run-as $run_user: PostgreSQL does not run as root; name an unprivileged user"
		run_gid=$(id -g "$run_user")
		command -v setpriv > /dev/null 2>&1 || die "setpriv not found (util-linux)"
		switch_user=1
	else
		run_user=$(id -un)
		[ -z "$want" ] || [ "$want" = "$run_user" ] ||
			die "--run-as $want needs root (this is $run_user, who runs PostgreSQL itself)"
		switch_user=0
	fi
}

# as_run CMD...: CMD as the PostgreSQL user, from / (its cwd may be private).
as_run() {
	if [ "$switch_user" -eq 1 ]; then
		(cd / && exec setpriv --reuid="$run_uid" --regid="$run_gid" --clear-groups -- "$@")
	else
		(cd / && exec "$@")
	fi
}

# give PATH...: hand files to the PostgreSQL user.
give() { [ "$switch_user" -eq 0 ] || chown "$run_uid:$run_gid" "$@"; }

# choose_pgroot: where the data directory and the socket go (into pgroot):
# STATEDIR/pg when the PostgreSQL user can work there and the socket path
# fits in a sockaddr_un (107 bytes, with ".s.PGSQL.NNNNN"), else a fresh
# directory under /tmp that STATEDIR/pg links to.
choose_pgroot() {
	rm -rf "$S/pg"
	mkdir -m 700 "$S/pg"
	give "$S/pg"
	local why
	if [ ${#S} -gt 70 ]; then
		why="$S is too long a path for a unix socket"
	elif ! as_run test -w "$S/pg" -a -x "$S/pg"; then
		why="$run_user cannot reach $S"
	else
		pgroot=$S/pg
		return
	fi
	rmdir "$S/pg"
	pgroot=$(mktemp -d /tmp/warroom-pg.XXXXXX)
	give "$pgroot"
	as_run test -w "$pgroot" || die "$run_user cannot write $pgroot"
	ln -s "$pgroot" "$S/pg"
	say "PostgreSQL data in $pgroot ($why)"
}

# --- state ---------------------------------------------------------------

# shellcheck disable=SC2153 # PG_PORT and the others come from the env file
load_env() {
	[ -f "$S/env" ] || die "no stack set up in $S (run: $prog up $S)"
	# shellcheck disable=SC1091
	. "$S/env"
	pg_port=$PG_PORT pgroot=$PG_ROOT
	redis_port=$REDIS_PORT redis_pw=$REDIS_PASSWORD
	set_run_user "$PG_RUN_USER"
}

write_env() {
	local base="host=127.0.0.1 port=$pg_port dbname=soundcore_kcp" name urls=''
	for name in "${health_names[@]}"; do
		urls="${urls:+$urls }$name=$(health_url "$name")"
	done
	{
		echo "# the database test stack in $S (tests/stack/db.sh up)"
		echo "PG_CONNINFO=$(q "$base user=warroom password=$warroom_pw")"
		echo "PG_VIEWER_CONNINFO=$(q "$base user=viewer password=$viewer_pw")"
		echo "PG_APP_CONNINFO=$(q "$base user=kcp_app password=$app_pw")"
		echo "PG_SUPER_CONNINFO=$(q "host=$pgroot/sock port=$pg_port dbname=soundcore_kcp user=postgres")"
		echo "PG_URL=$(q "postgresql://warroom:$warroom_pw@127.0.0.1:$pg_port/soundcore_kcp")"
		echo "PG_HOST=127.0.0.1"
		echo "PG_PORT=$pg_port"
		echo "PG_SOCKET_DIR=$(q "$pgroot/sock")"
		echo "PG_DBNAME=soundcore_kcp"
		echo "PG_USER=warroom"
		echo "PG_PASSWORD=$warroom_pw"
		echo "PG_VIEWER_PASSWORD=$viewer_pw"
		echo "PG_APP_PASSWORD=$app_pw"
		echo "PG_SUPER_PASSWORD=$super_pw"
		echo "PG_MAX_CONNECTIONS=$max_conn"
		echo "PG_ROWS=$rows"
		echo "PG_BINDIR=$(q "$pg_bindir")"
		echo "PG_ROOT=$(q "$pgroot")"
		echo "PG_DATA=$(q "$pgroot/data")"
		echo "PG_LOG=$(q "$S/postgres.log")"
		echo "PG_RUN_USER=$(q "$run_user")"
		echo "REDIS_URL=$(q "redis://:$redis_pw@127.0.0.1:$redis_port/0")"
		echo "REDIS_HOST=127.0.0.1"
		echo "REDIS_PORT=$redis_port"
		echo "REDIS_PASSWORD=$redis_pw"
		echo "REDIS_MAXMEMORY=$maxmemory"
		echo "REDIS_LOG=$(q "$S/redis.log")"
		echo "HEALTH_URLS=$(q "$urls")"
		echo "HEALTH_CONTROL_URL=$(q "${health_ctl_port:+http://127.0.0.1:$health_ctl_port}")"
		echo "DB_STATEDIR=$(q "$S")"
		echo "WARROOM_CONF=$(q "$S/warroom.conf")"
	} > "$S/env.tmp"
	chmod 600 "$S/env.tmp"
	mv "$S/env.tmp" "$S/env"
}

# The warroom configuration for this stack: the dashboard's role, and the
# same with the viewer role (permission errors).
write_warroom_conf() {
	local role pw out name
	for role in warroom viewer; do
		case $role in
		warroom) pw=$warroom_pw out=$S/warroom.conf ;;
		viewer) pw=$viewer_pw out=$S/warroom-viewer.conf ;;
		esac
		{
			echo "# warroom configuration for the database test stack in $S"
			echo "# (written by tests/stack/db.sh up; the ports and passwords change at every up)"
			echo "postgres \"host=127.0.0.1 port=$pg_port dbname=soundcore_kcp user=$role password=$pw\""
			echo "redis redis://:$redis_pw@127.0.0.1:$redis_port/0"
			for name in "${health_names[@]}"; do
				echo "health $name $(health_url "$name")"
			done
		} > "$out.tmp"
		chmod 600 "$out.tmp"
		mv "$out.tmp" "$out"
	done
}

# marker_of NAME: one argument of the component's command line that names
# this STATEDIR, so that a recorded pid is only trusted while it is ours.
marker_of() {
	case $1 in
	postgres) echo "$pgroot/data" ;;
	redis) echo "$S/redis/redis.conf" ;;
	health) echo "$S/health/ports.json" ;;
	*) die "unknown component $1 (postgres, redis, health)" ;;
	esac
}

# pid_of NAME: the recorded pid of a component, if that process still runs
# and really is ours; else nothing.
pid_of() {
	local name=$1 marker n p
	[ -f "$S/pids" ] || return 0
	marker=$(marker_of "$name")
	while read -r n p; do
		[ "$n" = "$name" ] || continue
		if alive "$p" && tr '\0' '\n' < "/proc/$p/cmdline" | grep -qxF -- "$marker"; then
			echo "$p"
		fi
	done < "$S/pids"
}

forget_pid() {
	[ -f "$S/pids" ] || return 0
	grep -v "^$1 " "$S/pids" > "$S/pids.tmp" || true
	mv "$S/pids.tmp" "$S/pids"
}

# alive PID: the process runs (a zombie waiting for its reaper does not).
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2> /dev/null) || return 1
	[ "${st%% *}" != Z ]
}

# wait_gone PID TENTHS: wait up to TENTHS/10 s for PID to end.
wait_gone() {
	local i
	for ((i = 0; i < $2; i++)); do
		alive "$1" || return 0
		sleep 0.1
	done
	! alive "$1"
}

# stop_one NAME: only our own process. PostgreSQL gets SIGINT, its "fast"
# shutdown, which ends the sessions (SIGTERM would wait for every client to
# leave, and the load generator's idle sessions never do), then SIGQUIT
# (immediate) after 20 s; the others SIGTERM. SIGKILL after 10 s more.
stop_one() {
	local name=$1 pid sig=TERM
	pid=$(pid_of "$name")
	if [ -n "$pid" ]; then
		[ "$name" != postgres ] || sig=INT
		kill -"$sig" "$pid" 2> /dev/null || true
		if [ "$name" = postgres ] && ! wait_gone "$pid" 200; then
			say "postgres (pid $pid) still runs 20 s after a fast shutdown; immediate shutdown"
			kill -QUIT "$pid" 2> /dev/null || true
		fi
		if ! wait_gone "$pid" 100; then
			say "$name (pid $pid) ignored SIG$sig; killing it"
			kill -KILL "$pid" 2> /dev/null || true
			wait_gone "$pid" 50 || true
		fi
	fi
	forget_pid "$name"
}

# --- the components ------------------------------------------------------

# The health endpoints: the six services of the manual's health-check
# script, named as the API double's deployments. The frontend is checked at
# "/", the others at /health.
health_names=()
health_url() {
	local port
	port=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["services"][sys.argv[2]])' \
		"$S/health/ports.json" "$1")
	case $1 in
	frontend) echo "http://127.0.0.1:$port/" ;;
	*) echo "http://127.0.0.1:$port/health" ;;
	esac
}

# command_of NAME: the command line of a component, into the array CMD.
command_of() {
	case $1 in
	postgres)
		CMD=("$pg_bindir/postgres" -D "$pgroot/data" -p "$pg_port")
		[ "$switch_user" -eq 0 ] ||
			CMD=(setpriv --reuid="$run_uid" --regid="$run_gid" --clear-groups -- "${CMD[@]}") ;;
	redis) CMD=(redis-server "$S/redis/redis.conf") ;;
	health)
		CMD=("$py" "$here/health-server.py" --ports-file "$S/health/ports.json") ;;
	*) die "unknown component $1 (postgres, redis, health)" ;;
	esac
}

# ready NAME: the component answers.
ready() {
	case $1 in
	postgres) "$pg_bindir/pg_isready" -q -h "$pgroot/sock" -p "$pg_port" -d postgres -U postgres -t 2 ;;
	redis)
		[ "$(REDISCLI_AUTH=$redis_pw timeout 3 redis-cli -h 127.0.0.1 -p "$redis_port" --no-auth-warning PING 2> /dev/null)" = PONG ] ;;
	health)
		[ -s "$S/health/ports.json" ] || return 1
		health_ctl_port=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["control"])' "$S/health/ports.json")
		curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$health_ctl_port/state" 2> /dev/null ;;
	esac
}

# launch NAME: start a component in the background and wait until it is
# ready. Returns 0 when ready, 1 when it failed (message said), 3 when it
# died because its port was taken meanwhile (the caller may pick another).
launch() {
	local name=$1 pid deadline timeout=${DB_START_TIMEOUT:-60}
	command_of "$name"
	(cd / && exec nohup "${CMD[@]}") >> "$S/$name.log" 2>&1 < /dev/null &
	pid=$!
	echo "$name $pid" >> "$S/pids"
	deadline=$(($(date +%s) + timeout))
	while :; do
		ready "$name" && return 0
		if ! alive "$pid"; then
			forget_pid "$name"
			if tail -n 20 "$S/$name.log" | grep -qi 'address already in use'; then return 3; fi
			say "$name exited during start-up; the end of $S/$name.log:"
			tail -n 15 "$S/$name.log" >&2
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			say "$name not ready after $timeout s; the end of $S/$name.log:"
			tail -n 15 "$S/$name.log" >&2
			stop_one "$name"
			return 1
		fi
		sleep 0.1
	done
}

# --- configuration -------------------------------------------------------

# initdb as the PostgreSQL user: the superuser "postgres", trusted on the
# socket (which sits in a directory only that user may enter), passwords
# (SCRAM) over TCP; UTF-8 with the C locale, so messages are in English.
init_postgres() {
	local out
	mkdir -m 700 "$pgroot/data" "$pgroot/sock"
	give "$pgroot/data" "$pgroot/sock"
	if ! out=$(as_run "$pg_bindir/initdb" -D "$pgroot/data" -U postgres --no-locale -E UTF8 \
		--auth-local=trust --auth-host=scram-sha-256 --no-sync 2>&1); then
		say "initdb failed:"
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		return 1
	fi
	# Later lines of postgresql.conf win; ours come in at the end.
	cat > "$pgroot/data/warroom-test.conf" <<-EOF
	# tests/stack/db.sh: a throw-away test server (the port is on the command line).
	listen_addresses = '127.0.0.1'
	unix_socket_directories = '$pgroot/sock'
	max_connections = $max_conn
	shared_buffers = 64MB
	shared_preload_libraries = 'pg_stat_statements'
	pg_stat_statements.track = all
	pg_stat_statements.max = 5000
	track_activity_query_size = 4096
	lc_messages = 'C'
	# Logging: stderr, which db.sh sends to STATEDIR/postgres.log.
	logging_collector = off
	log_destination = 'stderr'
	log_line_prefix = '%m [%p] %q%u@%d/%a '
	log_min_duration_statement = 1000
	log_lock_waits = on
	# Speed over durability: the data is made up again at every "up".
	fsync = off
	synchronous_commit = off
	full_page_writes = off
	max_wal_size = 1GB
	EOF
	echo "include 'warroom-test.conf'" >> "$pgroot/data/postgresql.conf"
	give "$pgroot/data/warroom-test.conf"
}

# The roles, the database, the table and its rows (db-schema.sql).
load_schema() {
	local out
	if ! out=$("$pg_bindir/psql" -X -q -v ON_ERROR_STOP=1 -o /dev/null \
		-h "$pgroot/sock" -p "$pg_port" -U postgres -d postgres \
		-v rows="$rows" -v warroom_pw="$warroom_pw" -v viewer_pw="$viewer_pw" \
		-v app_pw="$app_pw" -v super_pw="$super_pw" -f "$here/db-schema.sql" 2>&1); then
		say "loading $here/db-schema.sql failed:"
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		return 1
	fi
}

write_redis_config() {
	mkdir -p "$S/redis"
	cat > "$S/redis/redis.conf.tmp" <<-EOF
	# tests/stack/db.sh: a throw-away test server.
	bind 127.0.0.1
	port $redis_port
	protected-mode yes
	requirepass $redis_pw
	maxmemory $maxmemory
	maxmemory-policy $policy
	slowlog-log-slower-than $slowlog_us
	slowlog-max-len 256
	latency-monitor-threshold 10
	# No persistence: nothing to save or load.
	save ""
	appendonly no
	dir $S/redis
	daemonize no
	supervised no
	logfile ""
	# Keep the command line as it was started (db.sh finds its pid by it).
	set-proc-title no
	# DEBUG SLEEP from loopback, for slow commands on demand (db-load.py).
	enable-debug-command local
	EOF
	chmod 600 "$S/redis/redis.conf.tmp"
	mv "$S/redis/redis.conf.tmp" "$S/redis/redis.conf"
}

# --- commands --------------------------------------------------------------

cmd_up() {
	local run_as=${DB_RUN_USER:-} with_health=1
	rows=${DB_ROWS:-150000} max_conn=${DB_MAX_CONNECTIONS:-100}
	maxmemory=${REDIS_MAXMEMORY:-64mb} policy=${REDIS_POLICY:-allkeys-lru}
	slowlog_us=${REDIS_SLOWLOG_US:-1000}
	while [ $# -gt 0 ]; do
		case $1 in
		--rows) rows=${2:?--rows needs a number}; shift 2 ;;
		--max-connections) max_conn=${2:?--max-connections needs a number}; shift 2 ;;
		--run-as) run_as=${2:?--run-as needs a user}; shift 2 ;;
		--maxmemory) maxmemory=${2:?--maxmemory needs a size}; shift 2 ;;
		--policy) policy=${2:?--policy needs a name}; shift 2 ;;
		--slowlog-us) slowlog_us=${2:?--slowlog-us needs a number}; shift 2 ;;
		--no-health) with_health=0; shift ;;
		*) say "unknown option $1"; usage ;;
		esac
	done
	if ! [[ $rows =~ ^[0-9]+$ ]] || [ "$rows" -lt 1 ]; then die "--rows $rows is not a positive number"; fi
	if ! [[ $max_conn =~ ^[0-9]+$ ]] || [ "$max_conn" -lt 10 ]; then
		die "--max-connections $max_conn: need a number, at least 10"
	fi
	[[ $maxmemory =~ ^[0-9]+([kmg]b?)?$ ]] || die "--maxmemory $maxmemory is not a size such as 64mb"
	[[ $slowlog_us =~ ^-?[0-9]+$ ]] || die "--slowlog-us $slowlog_us is not a number of microseconds"
	case $policy in
	noeviction | allkeys-lru | allkeys-lfu | allkeys-random | volatile-lru | volatile-lfu | volatile-random | volatile-ttl) ;;
	*) die "--policy $policy is not a Redis maxmemory-policy" ;;
	esac
	local b
	for b in "$pg_bindir/initdb" "$pg_bindir/postgres" "$pg_bindir/psql" "$pg_bindir/pg_isready"; do
		[ -x "$b" ] || die "$b not found (apt-get install postgresql-15, or set PG_BINDIR)"
	done
	"$pg_bindir/postgres" --version | grep -q ' 15\.' ||
		say "warning: $("$pg_bindir/postgres" --version) is not PostgreSQL 15"
	for b in redis-server redis-cli "$py" curl od; do
		command -v "$b" > /dev/null 2>&1 || die "$b not found (apt-get install redis-server python3 curl)"
	done
	set_run_user "$run_as"
	if [ -f "$S/pg.root" ]; then pgroot=$(cat "$S/pg.root"); else pgroot=$S/pg; fi
	if [ -n "$(pid_of postgres)$(pid_of redis)$(pid_of health)" ]; then
		die "a stack already runs for $S; run: $prog down $S"
	fi

	# A fresh start: remove what an earlier "up" left (an outside pgroot too).
	remove_outside_pgroot
	rm -rf "$S/pids" "$S/env" "$S/warroom.conf" "$S/warroom-viewer.conf" "$S/redis" "$S/health" \
		"$S"/postgres.log "$S"/redis.log "$S"/health.log
	mkdir -p "$S/health"
	warroom_pw=wr$(secret) viewer_pw=vw$(secret) app_pw=app$(secret)
	super_pw=su$(secret) redis_pw=rd$(secret)
	health_ctl_port=''
	health_names=()
	[ "$with_health" -eq 0 ] ||
		health_names=(frontend knowledge-service content-service support-service analytics-service auth-service)

	choose_pgroot
	echo "$pgroot" > "$S/pg.root"
	init_postgres || exit 1
	pg_port=$(free_port) redis_port=$(free_port)
	write_redis_config

	# A port taken between choosing it and binding it: choose again (3 tries).
	local name rc
	for name in "${components[@]}"; do
		[ "$name" != health ] || [ "$with_health" -eq 1 ] || continue
		for _ in 1 2 3; do
			rc=0
			launch "$name" || rc=$?
			[ "$rc" -eq 3 ] || break
			say "$name: port taken meanwhile; trying another"
			case $name in
			postgres) pg_port=$(free_port) ;;
			redis) redis_port=$(free_port); write_redis_config ;;
			esac
		done
		if [ "$rc" -eq 0 ] && [ "$name" = postgres ]; then
			load_schema || rc=1
		fi
		if [ "$rc" -ne 0 ]; then
			[ "$rc" -ne 3 ] || say "$name: no free port after 3 tries"
			say "start-up failed; stopping what started"
			cmd_down
			exit 1
		fi
	done
	write_env
	write_warroom_conf
	cat "$S/env"
}

# remove_outside_pgroot: the data directory "up" put under /tmp, if any.
remove_outside_pgroot() {
	local old
	[ -f "$S/pg.root" ] || return 0
	old=$(cat "$S/pg.root")
	case $old in
	/tmp/warroom-pg.*) [ ! -d "$old" ] || rm -rf "$old"; rm -f "$S/pg" ;;
	esac
	rm -f "$S/pg.root"
}

cmd_down() {
	local i
	if [ -f "$S/pg.root" ]; then pgroot=$(cat "$S/pg.root"); else pgroot=$S/pg; fi
	for ((i = ${#components[@]} - 1; i >= 0; i--)); do
		stop_one "${components[i]}"
	done
	rm -f "$S/pids"
	remove_outside_pgroot
}

cmd_stop() {
	local name=${1:?usage: $prog stop STATEDIR NAME}
	load_env
	marker_of "$name" > /dev/null
	[ -n "$(pid_of "$name")" ] || say "$name is not running for $S"
	stop_one "$name"
}

cmd_start() {
	local name=${1:?usage: $prog start STATEDIR NAME} rc=0
	load_env
	marker_of "$name" > /dev/null
	[ -z "$(pid_of "$name")" ] || die "$name already runs for $S (pid $(pid_of "$name"))"
	[ "$name" != postgres ] || [ -d "$pgroot/data" ] || die "no PostgreSQL data in $pgroot (run: $prog up $S)"
	[ "$name" != health ] || [ -s "$S/health/ports.json" ] || die "$S was set up without health endpoints"
	launch "$name" || rc=$?
	[ "$rc" -ne 3 ] || die "$name: its port is taken by another process now"
	[ "$rc" -eq 0 ] || exit 1
}

cmd=${1:-}
[ $# -ge 2 ] || usage
S=$2
shift 2
mkdir -p "$S"
S=$(cd "$S" && pwd)
case $cmd in
up) cmd_up "$@" ;;
down) cmd_down ;;
stop) cmd_stop "$@" ;;
start) cmd_start "$@" ;;
*) usage ;;
esac
