#!/usr/bin/env bash
# tests/stack/obs.sh: the observability test stack. Real Prometheus,
# Alertmanager and node_exporter (Debian's prometheus, prometheus-alertmanager
# and prometheus-node-exporter) and the webhook sink, all on 127.0.0.1 with
# free ports chosen at start, their configuration and data in STATEDIR; never
# the system services, their /etc files or their default ports.
#
#   obs.sh up STATEDIR [options]    start all four, wait until they are ready,
#                                   print shell lines (also in STATEDIR/env):
#                                     PROMETHEUS_URL=http://127.0.0.1:PORT
#                                     ALERTMANAGER_URL=...  NODE_EXPORTER_URL=...
#                                     WEBHOOK_URL=...  WEBHOOK_LOG=FILE
#   obs.sh down STATEDIR            stop what "up" started (STATEDIR/pids)
#   obs.sh stop STATEDIR NAME       stop one of prometheus, alertmanager,
#   obs.sh start STATEDIR NAME      node-exporter, webhook; start it again on
#                                   the same port with the same configuration
#
# Options of "up" (each also as an environment variable):
#   --double DIR          also scrape GET /metrics of the Kubernetes API double
#                         started by tests/kube-double/up.sh DIR (KUBE_DOUBLE_DIR)
#   --interval DUR        scrape and evaluation interval, and the `interval:` of
#                         every rule group (OBS_INTERVAL; default 1s; the manual
#                         has 15s and 30s)
#   --for DUR             replace every rule's `for:` (OBS_FOR; default: keep the
#                         manual's, mostly 5m); e.g. --for 2s in tests
#   --range DUR           replace the range of every range selector in the
#                         rules' expressions ([5m], [15m]) (OBS_RANGE; default:
#                         keep the manual's). A rate over [5m] of a series only
#                         seconds old is extrapolated over the whole 5 minutes,
#                         so 90 % CPU reads 9 % in the first 30 s: tests that
#                         need HighCPUUsage to fire use e.g. --range 20s
#   --resend-delay DUR    Prometheus --rules.alert.resend-delay: how often firing
#                         alerts are sent again to Alertmanager (OBS_RESEND_DELAY;
#                         default 5s, Prometheus' own default is 1m)
#   --rules DIR           rule files to load (OBS_RULES_DIR; default
#                         tests/stack/prometheus/rules)
# OBS_START_TIMEOUT (seconds, default 60) bounds the wait for each server.
#
# The rule files and tests/stack/prometheus/alertmanager.yml keep the manual's
# values; "up" works on copies in STATEDIR, checks them with promtool check
# rules, promtool check config and amtool check-config, and stops with the
# checker's message before starting anything when one fails. Logs are in
# STATEDIR/NAME.log; webhook notifications in STATEDIR/webhook.jsonl.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Debian's Python for the sink and port picking, as the API double uses.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
prog=obs.sh
# The components, in start order; "down" stops them in the reverse order.
components=(webhook alertmanager node-exporter prometheus)

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

# A Prometheus duration, the simple kind: 500ms, 1s, 2m, 1h.
is_duration() { [[ $1 =~ ^[0-9]+(ms|s|m|h|d|w|y)$ ]]; }

# --- state ---------------------------------------------------------------

# load_env: the ports of a stack that "up" set up (STATEDIR/env).
load_env() {
	[ -f "$S/env" ] || die "no stack set up in $S (run: $prog up $S)"
	# shellcheck disable=SC1091
	. "$S/env"
	prom_port=${PROMETHEUS_URL##*:}
	am_port=${ALERTMANAGER_URL##*:}
	ne_port=${NODE_EXPORTER_URL##*:}
	wh_port=${WEBHOOK_URL##*:}
}

write_env() {
	{
		printf 'PROMETHEUS_URL=%q\n' "http://127.0.0.1:$prom_port"
		printf 'ALERTMANAGER_URL=%q\n' "http://127.0.0.1:$am_port"
		printf 'NODE_EXPORTER_URL=%q\n' "http://127.0.0.1:$ne_port"
		printf 'WEBHOOK_URL=%q\n' "http://127.0.0.1:$wh_port"
		printf 'WEBHOOK_LOG=%q\n' "$S/webhook.jsonl"
		printf 'OBS_STATEDIR=%q\n' "$S"
	} > "$S/env.tmp"
	mv "$S/env.tmp" "$S/env"
}

# marker_of NAME: one argument of the component's command line that names
# this STATEDIR, so that a recorded pid is only trusted while it is ours.
marker_of() {
	case $1 in
	webhook) echo "$S/webhook.jsonl" ;;
	alertmanager) echo "--config.file=$S/alertmanager/alertmanager.yml" ;;
	node-exporter) echo "--collector.textfile.directory=$S/node-exporter" ;;
	prometheus) echo "--config.file=$S/prometheus/prometheus.yml" ;;
	*) die "unknown component $1 (prometheus, alertmanager, node-exporter, webhook)" ;;
	esac
}

# pid_of NAME: the recorded pid of a component, if that process still runs
# and really is ours; else nothing.
pid_of() {
	local name=$1 marker n p
	marker=$(marker_of "$name")
	[ -f "$S/pids" ] || return 0
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
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${st%% *}" != Z ]
}

# stop_one NAME: SIGTERM, then SIGKILL after 10 s; only our own process.
stop_one() {
	local name=$1 pid i
	pid=$(pid_of "$name")
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 100; i++)); do
			alive "$pid" || break
			sleep 0.1
		done
		if alive "$pid"; then
			say "$name (pid $pid) ignored SIGTERM for 10 s; killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	forget_pid "$name"
}

# --- the components ------------------------------------------------------

# command_of NAME: the command line of a component, into the array CMD.
command_of() {
	case $1 in
	webhook)
		CMD=("$py" "$here/webhook-sink.py" --out "$S/webhook.jsonl" --port "${wh_port:-0}"
			--port-file "$S/webhook.port") ;;
	alertmanager)
		CMD=(prometheus-alertmanager --config.file="$S/alertmanager/alertmanager.yml"
			--storage.path="$S/alertmanager/data" --web.listen-address="127.0.0.1:$am_port"
			--web.external-url="http://127.0.0.1:$am_port/" --cluster.listen-address=) ;;
	node-exporter)
		# (no systemd collector: there may be no systemd to ask)
		CMD=(prometheus-node-exporter --web.listen-address="127.0.0.1:$ne_port"
			--collector.textfile.directory="$S/node-exporter" --no-collector.systemd) ;;
	prometheus)
		CMD=(prometheus --config.file="$S/prometheus/prometheus.yml"
			--storage.tsdb.path="$S/prometheus/data" --storage.tsdb.retention.time=1d
			--web.listen-address="127.0.0.1:$prom_port" --web.external-url="http://127.0.0.1:$prom_port/"
			--web.enable-lifecycle --rules.alert.resend-delay="$(cat "$S/prometheus/resend-delay")") ;;
	*) die "unknown component $1 (prometheus, alertmanager, node-exporter, webhook)" ;;
	esac
}

# ready_url NAME: what answers 200 once the component serves.
ready_url() {
	case $1 in
	webhook) echo "http://127.0.0.1:$wh_port/" ;;
	alertmanager) echo "http://127.0.0.1:$am_port/-/ready" ;;
	node-exporter) echo "http://127.0.0.1:$ne_port/metrics" ;;
	prometheus) echo "http://127.0.0.1:$prom_port/-/ready" ;;
	esac
}

# launch NAME: start a component in the background and wait until it is
# ready. Returns 0 when ready, 1 when it failed (message said), 3 when it
# died because its port was taken meanwhile (the caller may pick another).
launch() {
	local name=$1 pid deadline
	command_of "$name"
	[ "$name" != webhook ] || rm -f "$S/webhook.port"
	nohup "${CMD[@]}" > "$S/$name.log" 2>&1 < /dev/null &
	pid=$!
	echo "$name $pid" >> "$S/pids"
	deadline=$(($(date +%s) + ${OBS_START_TIMEOUT:-60}))
	while :; do
		if [ "$name" = webhook ] && [ -s "$S/webhook.port" ]; then
			wh_port=$(cat "$S/webhook.port")
		fi
		if [ "$name" != webhook ] || [ "$wh_port" != 0 ]; then
			curl -fsS -o /dev/null --max-time 2 "$(ready_url "$name")" 2>/dev/null && return 0
		fi
		if ! alive "$pid"; then
			forget_pid "$name"
			if grep -qi 'address already in use' "$S/$name.log"; then return 3; fi
			say "$name exited during start-up; the end of $S/$name.log:"
			tail -n 15 "$S/$name.log" >&2
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			say "$name not ready after ${OBS_START_TIMEOUT:-60} s; the end of $S/$name.log:"
			tail -n 15 "$S/$name.log" >&2
			stop_one "$name"
			return 1
		fi
		sleep 0.1
	done
}

# --- configuration -------------------------------------------------------

# The rule files, as loaded: the group intervals and (with --for, --range)
# every rule's `for:` and the range selectors of its `expr:` rewritten;
# everything else as in the originals.
copy_rules() {
	local f n=0
	rm -rf "$S/prometheus/rules"
	mkdir -p "$S/prometheus/rules"
	for f in "$rules_dir"/*.yml; do
		[ -e "$f" ] || continue
		sed -E -e "s/^([[:space:]]*)interval:[[:space:]].*/\1interval: $interval/" \
			${for_dur:+-e "s/^([[:space:]]*)for:[[:space:]].*/\1for: $for_dur/"} \
			${range:+-e "/^[[:space:]]*expr:/s/\[[0-9]+[smhdwy]\]/[$range]/g"} \
			"$f" > "$S/prometheus/rules/$(basename "$f")"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || die "no rule files (*.yml) in $rules_dir"
}

# The Prometheus configuration, from the template and the ports now chosen.
write_prometheus_config() {
	local out=$S/prometheus/prometheus.yml
	sed -e "s|@INTERVAL@|$interval|g" -e "s|@RULES_DIR@|$S/prometheus/rules|g" \
		-e "s|@ALERTMANAGER@|127.0.0.1:$am_port|g" -e "s|@PROMETHEUS@|127.0.0.1:$prom_port|g" \
		-e "s|@NODE_EXPORTER@|127.0.0.1:$ne_port|g" "$here/prometheus/prometheus.yml.in" > "$out"
	if [ -n "$double_dir" ]; then
		cat >> "$out" <<-EOF

		  # The Kubernetes API double's simulated cAdvisor and kube-state-metrics
		  # series (tests/kube-double/metrics.py), over its HTTPS port.
		  - job_name: 'kube-double'
		    scheme: https
		    tls_config:
		      ca_file: '$double_ca'
		    metrics_path: /metrics
		    static_configs:
		      - targets: ['$double_addr']
		EOF
	fi
}

write_alertmanager_config() {
	sed "s|http://webhook-sink.invalid|http://127.0.0.1:$wh_port|g" \
		"$here/prometheus/alertmanager.yml" > "$S/alertmanager/alertmanager.yml"
}

# check NAME CMD...: run a config checker; on failure show its words and stop.
check_with() {
	local what=$1 out; shift
	if ! out=$("$@" 2>&1); then
		say "$what failed:"
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		return 1
	fi
}

# --- commands --------------------------------------------------------------

cmd_up() {
	double_dir=${KUBE_DOUBLE_DIR:-} interval=${OBS_INTERVAL:-1s} for_dur=${OBS_FOR:-} range=${OBS_RANGE:-}
	resend=${OBS_RESEND_DELAY:-5s} rules_dir=${OBS_RULES_DIR:-$here/prometheus/rules}
	while [ $# -gt 0 ]; do
		case $1 in
		--double) double_dir=${2:?--double needs a directory}; shift 2 ;;
		--interval) interval=${2:?--interval needs a duration}; shift 2 ;;
		--for) for_dur=${2:?--for needs a duration}; shift 2 ;;
		--range) range=${2:?--range needs a duration}; shift 2 ;;
		--resend-delay) resend=${2:?--resend-delay needs a duration}; shift 2 ;;
		--rules) rules_dir=${2:?--rules needs a directory}; shift 2 ;;
		*) say "unknown option $1"; usage ;;
		esac
	done
	is_duration "$interval" || die "--interval $interval is not a duration such as 1s"
	[ -z "$for_dur" ] || is_duration "$for_dur" || die "--for $for_dur is not a duration such as 2s"
	[ -z "$range" ] || is_duration "$range" || die "--range $range is not a duration such as 20s"
	is_duration "$resend" || die "--resend-delay $resend is not a duration such as 5s"
	[ -d "$rules_dir" ] || die "no rules directory $rules_dir"
	local b
	for b in prometheus promtool prometheus-alertmanager prometheus-node-exporter "$py" curl; do
		command -v "$b" > /dev/null 2>&1 ||
			die "$b not found (apt-get install prometheus prometheus-alertmanager prometheus-node-exporter)"
	done
	if [ -n "$(pid_of prometheus)$(pid_of alertmanager)$(pid_of node-exporter)$(pid_of webhook)" ]; then
		die "a stack already runs for $S; run: $prog down $S"
	fi
	double_ca='' double_addr=''
	if [ -n "$double_dir" ]; then
		[ -f "$double_dir/env" ] || die "no API double in $double_dir (no $double_dir/env)"
		local KUBE_DOUBLE_SERVER='' KUBE_DOUBLE_CA=''
		# shellcheck disable=SC1091
		. "$double_dir/env"
		double_addr=${KUBE_DOUBLE_SERVER#https://} double_ca=$KUBE_DOUBLE_CA
		if [ -z "$double_addr" ] || [ ! -f "$double_ca" ]; then
			die "$double_dir/env names no server and CA"
		fi
	fi

	rm -f "$S/pids" "$S/env"
	mkdir -p "$S/prometheus/data" "$S/alertmanager/data" "$S/node-exporter"
	echo "$resend" > "$S/prometheus/resend-delay"
	prom_port=$(free_port) am_port=$(free_port) ne_port=$(free_port) wh_port=0

	# Every configuration is written and checked before anything starts.
	copy_rules
	write_prometheus_config
	write_alertmanager_config
	check_with "promtool check rules" promtool check rules "$S"/prometheus/rules/*.yml || exit 1
	check_with "promtool check config" promtool check config "$S/prometheus/prometheus.yml" || exit 1
	if command -v amtool > /dev/null 2>&1; then
		check_with "amtool check-config" amtool check-config "$S/alertmanager/alertmanager.yml" || exit 1
	fi

	# A port taken between choosing it and binding it: choose again (3 tries).
	local name rc
	for name in "${components[@]}"; do
		for _ in 1 2 3; do
			rc=0
			launch "$name" || rc=$?
			[ "$rc" -eq 3 ] || break
			say "$name: port taken meanwhile; trying another"
			case $name in
			alertmanager) am_port=$(free_port) ;;
			node-exporter) ne_port=$(free_port) ;;
			prometheus) prom_port=$(free_port) ;;
			esac
			write_prometheus_config
		done
		if [ "$rc" -ne 0 ]; then
			[ "$rc" -ne 3 ] || say "$name: no free port after 3 tries"
			say "start-up failed; stopping what started"
			cmd_down
			exit 1
		fi
		# The sink's port is known once it listens; Alertmanager sends there.
		[ "$name" != webhook ] || write_alertmanager_config
	done
	write_env
	cat "$S/env"
}

cmd_down() {
	local i
	for ((i = ${#components[@]} - 1; i >= 0; i--)); do
		stop_one "${components[i]}"
	done
	rm -f "$S/pids"
}

cmd_stop() {
	local name=${1:?usage: $prog stop STATEDIR NAME}
	marker_of "$name" > /dev/null
	[ -n "$(pid_of "$name")" ] || say "$name is not running for $S"
	stop_one "$name"
}

cmd_start() {
	local name=${1:?usage: $prog start STATEDIR NAME} rc=0
	marker_of "$name" > /dev/null
	load_env
	[ -z "$(pid_of "$name")" ] || die "$name already runs for $S (pid $(pid_of "$name"))"
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
