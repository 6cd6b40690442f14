#!/usr/bin/env bash
# tests/bench/soak.sh [BUILDDIR]: the dashboard for a long time against the
# sandbox while things break, printing its memory and descriptors every
# minute (issue 11, "soak"). Not part of the test suite.
#
# Method.
#  - The sandbox of tests/stack/demo.sh: the API double (kcp scenario, --live)
#    with POST /_double/churn at RATE pod changes a second (default 100),
#    real Prometheus and Alertmanager (tests/stack/obs.sh) and real
#    PostgreSQL and Redis with the health endpoints (tests/stack/db.sh) under
#    db-load.py's demo load.
#  - warroom runs in a detached tmux session of 120x40 (private socket),
#    started directly so that the pane's process is warroom itself.
#  - Every KILL_EVERY seconds (default 180) one server is killed and, DOWN_S
#    seconds later (default 20), started again, in turn: the API server,
#    Prometheus, PostgreSQL. The churn is asked for again after the API
#    server returns (its state survives the restart).
#  - Every minute: RSS (VmRSS) and open descriptors of the warroom process,
#    and the status line. At the end: whether it still runs, RSS at minute
#    WARM (default 10) against the last minute, and the descriptors at the
#    end against the baseline of minute 1 (all servers up at both points:
#    the last sample is taken after every server has been back for DOWN_S).
#  - SOAK_MIN minutes (default 60). Exit 1 if warroom died, its RSS grew by
#    more than 10 % after WARM, or the descriptors did not return to the
#    baseline; the figures are printed either way.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
SOAK_MIN=${SOAK_MIN:-60}
KILL_EVERY=${KILL_EVERY:-180}
DOWN_S=${DOWN_S:-20}
RATE=${RATE:-100}
WARM=${WARM:-10}
NS=soundcore-kcp-prod
. "$top/tests/lib.sh"
command -v tmux >/dev/null || { echo "tmux is missing" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warroom-soak.XXXXXX")
export HOME=$tmp/home; mkdir -p "$HOME"
cp "$build/warroom" "$tmp/warroom"	# a rebuild during the run changes nothing
load_pid=
cleanup() {
	tui_kill_all
	[ -z "$load_pid" ] || kill "$load_pid" 2>/dev/null || true
	"$top/tests/stack/db.sh" down "$tmp/db" >/dev/null 2>&1 || true
	"$top/tests/stack/obs.sh" down "$tmp/obs" >/dev/null 2>&1 || true
	double_down "$tmp/double"
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "starting the sandbox ..." >&2
kc=$(double_up "$tmp/double" --scenario kcp --live)
conf=$tmp/warroom.conf
: > "$conf"
"$top/tests/stack/obs.sh" up "$tmp/obs" --double "$tmp/double" --for 10s > /dev/null
. "$tmp/obs/env"
printf 'prometheus %s\nalertmanager %s\n' "$PROMETHEUS_URL" "$ALERTMANAGER_URL" >> "$conf"
"$top/tests/stack/db.sh" up "$tmp/db" --rows 20000 > /dev/null
. "$tmp/db/env"
echo "source-file '$tmp/db/warroom.conf'" >> "$conf"
python3 "$top/tests/stack/db-load.py" demo --env "$tmp/db/env" --quiet > "$tmp/load.log" 2>&1 &
load_pid=$!

churn() {
	double_ctl "$kc" POST /_double/churn \
	    "{\"rate\":$RATE,\"seconds\":$(( SOAK_MIN * 60 + 120 )),\"namespace\":\"$NS\"}" > /dev/null
}
churn

tui_start soak 120x40 env TERM=xterm-256color WARROOM_DATADIR="$top" \
    "$tmp/warroom" -c "$conf" --kubeconfig "$kc" -n "$NS"
pid=$(tui_pid soak)
tui_wait soak 60 'kube live' || { echo "warroom did not come up" >&2; tui_screen soak >&2; exit 1; }

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo -; }
fds() { ls "/proc/$pid/fd" 2>/dev/null | wc -l; }
status() { tui_screen soak | grep -E '^ctx ' | tr -s ' ' | cut -c1-100; }

victims=(kube prometheus postgres)
kill_one() {
	case $1 in
	kube) double_down "$tmp/double" ;;
	prometheus) "$top/tests/stack/obs.sh" stop "$tmp/obs" prometheus > /dev/null ;;
	postgres) "$top/tests/stack/db.sh" stop "$tmp/db" postgres > /dev/null ;;
	esac
}
start_one() {
	case $1 in
	kube) double_up "$tmp/double" --scenario kcp --live > /dev/null; churn ;;
	prometheus) "$top/tests/stack/obs.sh" start "$tmp/obs" prometheus > /dev/null ;;
	postgres) "$top/tests/stack/db.sh" start "$tmp/db" postgres > /dev/null ;;
	esac
}

printf '%-6s %10s %5s  %s\n' minute rss_kb fds status
start=$(date +%s)
next_kill=$(( start + KILL_EVERY ))
down_name= up_at=0 k=0
declare -a RSS FDS
for ((m = 1; m <= SOAK_MIN; m++)); do
	until_s=$(( start + m * 60 ))
	while [ "$(date +%s)" -lt "$until_s" ]; do
		now=$(date +%s)
		if [ -n "$down_name" ] && [ "$now" -ge "$up_at" ]; then
			start_one "$down_name"; echo "       started $down_name again" >&2
			down_name=
		elif [ -z "$down_name" ] && [ "$now" -ge "$next_kill" ] &&
		    [ $(( until_s - now )) -gt "$DOWN_S" ] && [ "$m" -lt "$SOAK_MIN" ]; then
			down_name=${victims[k % ${#victims[@]}]}; k=$((k + 1))
			kill_one "$down_name"; echo "       killed $down_name" >&2
			up_at=$(( now + DOWN_S )); next_kill=$(( now + KILL_EVERY ))
		fi
		kill -0 "$pid" 2>/dev/null || break 2
		sleep 1
	done
	RSS[m]=$(rss); FDS[m]=$(fds)
	printf '%-6s %10s %5s  %s\n' "$m" "${RSS[m]}" "${FDS[m]}" "$(status)"
done

alive=yes; kill -0 "$pid" 2>/dev/null || alive=no
last=$(( m > SOAK_MIN ? SOAK_MIN : m - 1 ))
warm=$(( WARM <= last ? WARM : 1 ))
echo
echo "$("$tmp/warroom" --version 2>/dev/null | head -1), $SOAK_MIN min, churn $RATE/s, a server killed every ${KILL_EVERY}s for ${DOWN_S}s"
echo "alive at the end: $alive (restarts done: $k)"
echo "RSS: minute 1 ${RSS[1]:-?} kB, minute $warm ${RSS[warm]:-?} kB, minute $last ${RSS[last]:-?} kB"
echo "descriptors: minute 1 ${FDS[1]:-?}, minute $last ${FDS[last]:-?}"
bad=0
[ "$alive" = yes ] || bad=1
if [ "${RSS[warm]:-}" != "" ] && [ "${RSS[last]:-}" != "" ] && [ "${RSS[last]}" != - ]; then
	[ "${RSS[last]}" -le $(( RSS[warm] * 110 / 100 )) ] || { echo "RSS grew more than 10 % after minute $warm"; bad=1; }
fi
[ "${FDS[last]:-x}" = "${FDS[1]:-y}" ] || { echo "descriptors did not return to the baseline"; bad=1; }
exit $bad
