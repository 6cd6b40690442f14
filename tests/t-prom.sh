#!/usr/bin/env bash
# t-prom.sh: warroom against the real Prometheus and Alertmanager of
# tests/stack/obs.sh, scraping the API double's simulated pods (kcp scenario,
# --live): thresholds (a pod pushed over 85 % CPU is critical, one at 75 %
# a warning), a query Prometheus refuses shown for its metric only, alerts
# on screen within two evaluation intervals of firing, silence and unsilence
# from the dashboard with Alertmanager agreeing, the rules view, Enter on an
# alert jumping to its pods, and each server stopped (DOWN with its age,
# the rest still live) and started again (recovered by itself).
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
OBS=$T_TOP/tests/stack/obs.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-prom.XXXXXX")
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state
mkdir -p "$HOME"
unset XDG_CONFIG_HOME NO_COLOR
cleanup() {
	tui_kill_all
	"$OBS" down "$tmp/obs" >/dev/null 2>&1
	double_down "$tmp/dbl"
	rm -rf "$tmp"
}
trap cleanup EXIT
NS=soundcore-kcp-prod
INTERVAL=2	# Prometheus's scrape and evaluation interval, seconds

KC=$(double_up "$tmp/dbl" --scenario kcp --live) || { fail double-up "did not start"; exit 1; }
if ! "$OBS" up "$tmp/obs" --double "$tmp/dbl" --interval ${INTERVAL}s --for 2s \
    --range 20s > "$tmp/obs.out" 2>&1; then
	fail obs-up "$(tail -n 5 "$tmp/obs.out" | tr '\n' ' ')"
	exit 1
fi
. "$tmp/obs/env"
pass obs-up

cat > "$tmp/conf" <<EOF
prometheus $PROMETHEUS_URL
alertmanager $ALERTMANAGER_URL
set prom-range 20s
set refresh 1s
EOF
snap() { "$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS snapshot --json 2>/dev/null; }
level_of() { snap | jq -r --arg p "$1" --arg m "$2" '.resources[] | select(.name == $p) | .[$m].level'; }

# --- thresholds: 90 % CPU is critical, 75 % a warning ------------------------
hot=$(double_ctl "$KC" POST /_double/usage '{"deployment":"content-service","cpu":0.9}' |
    jq -r '.usage[0].pod // empty')
warm=$(kubectl --kubeconfig "$KC" -n $NS get pods -o name | sed 's|pod/||' | grep '^auth-service' | head -n 1)
double_ctl "$KC" POST /_double/usage "{\"pod\":\"$warm\",\"cpu\":0.75,\"memory\":0.4}" >/dev/null
hot_critical() { [ "$(level_of "$hot" cpu)" = critical ]; }
warm_warn() { [ "$(level_of "$warm" cpu)" = warn ]; }
check threshold-90-is-critical wait_for 60 hot_critical
check threshold-75-is-warning wait_for 30 warm_warn
expect_eq threshold-75-memory-ok ok "$(level_of "$warm" memory)"
expect_eq snapshot-prom-ok ok "$(snap | jq -r .sources.prom.state)"
check snapshot-has-a-node bash -c "'$W' -c '$tmp/conf' --kubeconfig '$KC' -n $NS snapshot --json |
    jq -e '[.resources[] | select(.scope == \"node\")] | length >= 1' >/dev/null"

export WARROOM_DATADIR=$T_TOP TERM=xterm-256color
dash() {
	local s=$1; shift
	tui_start "$s" 140x40 env -u LC_ALL -u LC_CTYPE LANG=C.UTF-8 TERM=xterm-256color \
	    WARROOM_DATADIR="$T_TOP" HOME="$HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
	    "$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS "$@"
	tui_wait "$s" 10 'kube live' >/dev/null
}
dash res
tui_keys res 2
check tui-resources-view tui_wait res 5 '▶ Resources'
check tui-hot-row-marked tui_wait res 10 "✗ $hot +9[0-9]%✗"
check tui-warm-row-marked tui_wait res 10 "\\* $warm +7[0-9]%\\*"
check tui-hpa-beside-pods tui_wait res 5 '▾ frontend +3 pods +hpa 3 → [0-9]+ \(min 3, max 10'
check tui-node-row tui_wait res 5 '▾ nodes'
check tui-sparkline tui_wait res 5 '[▁▂▃▄▅▆▇█]{3}'

# --- an alert on screen within two evaluation intervals ------------------------
tui_keys res 3
tui_keys res / H i g h C P U Enter
firing() {
	curl -fsS --max-time 3 "$PROMETHEUS_URL/api/v1/alerts" | jq -e --arg p "$hot" \
	    '.data.alerts[] | select(.labels.alertname == "HighCPUUsage" and .labels.pod == $p and .state == "firing")' >/dev/null
}
if wait_for 60 firing; then
	t0=$(date +%s%N)
	if tui_wait res 10 "HighCPUUsage +active .*$hot"; then
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		echo "# HighCPUUsage firing in Prometheus -> on warroom's screen: $ms ms"
		if [ $ms -le $((2 * INTERVAL * 1000)) ]; then pass alert-on-screen-within-2-intervals
		else fail alert-on-screen-within-2-intervals "$ms ms (> $((2 * INTERVAL)) s)"; fi
	else
		fail alert-on-screen-within-2-intervals "not on screen after 10 s"
	fi
else
	fail alert-fires-in-prometheus "HighCPUUsage for $hot not firing after 60 s"
fi
check alerts-grouped-by-severity tui_wait res 3 'WARNING [0-9]+'
check alert-detail-summary tui_wait res 3 'CPU usage is'
check alert-badge tui_wait res 3 'ALERTS [0-9]+ crit'

# --- silence it from warroom; Alertmanager agrees; then unsilence -------------
# am_state: the states of the hot pod's HighCPUUsage alerts in Alertmanager
# (the manual's rule fires twice per pod: its container and pod series).
am_state() {
	curl -fsS --max-time 3 "$ALERTMANAGER_URL/api/v2/alerts" | jq -r --arg p "$hot" \
	    '[.[] | select(.labels.alertname == "HighCPUUsage" and .labels.pod == $p) | .status.state] | sort | join(",")'
}
tui_keys res M
check silence-asks-duration tui_wait res 5 'silence [0-9a-f]+: DURATION'
tui_keys res '30m tui test' Enter
check silence-preview tui_wait res 10 'matchers \{alertname="HighCPUUsage".*pod="'"$hot"'"'
tui_keys res y
check silence-on-screen tui_wait res 15 "HighCPUUsage +silenced"
check silence-by-whom tui_wait res 5 "silenced by $(id -un) \\(warroom\\) until [0-9:]+: tui test"
# The selected alert (by its fingerprint), not its twin.
expect_eq silence-alertmanager-agrees active,suppressed "$(am_state)"
check silence-createdBy bash -c "curl -fsS '$ALERTMANAGER_URL/api/v2/silences' | jq -e '.[] |
    select(.status.state == \"active\" and .createdBy == \"$(id -un) (warroom)\" and .comment == \"tui test\")' >/dev/null"
check silence-audited bash -c "jq -s -e 'map(select(.action == \"silence\" and .phase == \"done\")) | length == 1' '$XDG_STATE_HOME/warroom/audit.log' >/dev/null"
tui_keys res N
check unsilence-preview tui_wait res 10 'expire 1 silence'
tui_keys res y
check unsilence-on-screen tui_wait res 15 "HighCPUUsage +active"
expect_eq unsilence-alertmanager-agrees active,active "$(am_state)"

# The CLI and bad words: nothing sent, clear errors.
out=$("$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS do silence NoSuchAlert --yes 2>&1); rc=$?
expect_eq silence-unknown-alert "1" "$rc"
check silence-unknown-alert-msg grep -q 'no alert "NoSuchAlert" is firing' <<<"$out"
out=$("$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS do silence HighCPUUsage 3x --yes 2>&1); rc=$?
expect_eq silence-bad-duration "2" "$rc"
out=$("$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS do silence HighCPUUsage pod="$hot" 20m --dry-run 2>&1); rc=$?
expect_eq silence-dry-run "0 active,active" "$rc $(am_state)"
check silence-dry-run-preview grep -q "silence 2 alerts for 20m" <<<"$out"
# No audit line, no silence: with the log unwritable (a directory) the
# action is refused after its preview and Alertmanager gets nothing.
mkdir -p "$tmp/state-bad/warroom/audit.log"
nsil() { curl -fsS --max-time 3 "$ALERTMANAGER_URL/api/v2/silences" | jq length; }
n0=$(nsil)
check silence-count-read test "${n0:-0}" -ge 1
out=$(XDG_STATE_HOME=$tmp/state-bad "$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS \
    do silence HighCPUUsage pod="$hot" 20m --yes 2>&1); rc=$?
expect_eq silence-audit-unwritable "1 active,active $n0" "$rc $(am_state) $(nsil)"
check silence-audit-unwritable-previewed grep -q "silence 2 alerts for 20m" <<<"$out"
check silence-audit-unwritable-msg grep -q '^error: the action could not be recorded in the audit log; nothing was sent$' <<<"$out"

# --- Enter on an alert: its pods ------------------------------------------------
tui_keys res Escape / H i g h C P U Enter
tui_wait res 5 'HighCPUUsage' >/dev/null
tui_keys res Down Enter
check enter-jumps-to-pods tui_wait res 5 'Pods [0-9]+ .*\(deployment content-service\)'
# The hot pod is on screen anyway (the list is its deployment's): the
# selection is what y copies.
tui_keys res y
check enter-selects-pod tui_wait res 3 "copied: $hot( |$)"

# --- the rules view -----------------------------------------------------------
tui_keys res 3 r
check rules-view tui_wait res 5 'Alerting rules [0-9]+'
check rules-firing tui_wait res 5 'FIRING [0-9]+'
check rules-row tui_wait res 5 'HighCPUUsage +firing'
tui_keys res r

# --- a query Prometheus refuses: that metric says why, the rest goes on --------
cp "$tmp/conf" "$tmp/conf-bad"
echo "query pod disk 'sum(container_fs_usage_bytes'" >> "$tmp/conf-bad"
bad=$("$W" -c "$tmp/conf-bad" --kubeconfig "$KC" -n $NS snapshot --json 2>/dev/null)
check bad-query-error-shown jq -e '.resource_errors["pod disk"] | startswith("bad_data:")' <<<"$bad"
check bad-query-others-go-on jq -e '[.resources[] | select(.cpu.percent != null)] | length > 5' <<<"$bad"
expect_eq bad-query-source-ok ok "$(jq -r .sources.prom.state <<<"$bad")"

# --- Prometheus stopped: DOWN with its age, the rest live; back by itself ------
tui_keys res 2
"$OBS" stop "$tmp/obs" prometheus >/dev/null 2>&1
check prom-down-on-screen tui_wait res 20 'prometheus DOWN, data [0-9]+s old'
check prom-down-status tui_wait res 3 'prom DOWN'
check prom-down-kube-live tui_wait res 3 'kube live'
check prom-down-alerts-live tui_wait res 3 'alerts (live|ok)'
tui_keys res 1 Escape
pod=$(kubectl --kubeconfig "$KC" -n $NS get pods -o name | sed 's|pod/||' | grep '^frontend' | head -n 1)
double_ctl "$KC" POST /_double/pod-status "{\"namespace\":\"$NS\",\"name\":\"$pod\",\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"frontend\",\"ready\":false,\"restartCount\":1,\"state\":{\"waiting\":{\"reason\":\"CreateContainerError\"}}}]}}" >/dev/null
check prom-down-pods-still-update tui_wait res 10 'CreateContainerError'
"$OBS" start "$tmp/obs" prometheus >/dev/null 2>&1
check prom-recovers tui_wait res 30 'prom (live|ok)'

# --- Alertmanager stopped and started ------------------------------------------
tui_keys res 3
"$OBS" stop "$tmp/obs" alertmanager >/dev/null 2>&1
check am-down-on-screen tui_wait res 20 'alertmanager DOWN, data [0-9]+s old'
check am-down-prom-live tui_wait res 3 'prom (live|ok)'
"$OBS" start "$tmp/obs" alertmanager >/dev/null 2>&1
check am-recovers tui_wait res 30 'alerts (live|ok)'
# The alert names stay on screen through the outage (its last data, with
# its age): back means the outage notice gone and an active alert listed.
am_back() {
	! tui_screen res | grep -q 'alertmanager DOWN' &&
	    tui_screen res | grep -qE '(HighCPUUsage|HighMemoryUsage) +active'
}
check am-recovers-alerts-back wait_for 30 am_back
tui_keys res q
check quits wait_for 5 tui_dead res

# --- the wall takes turns with the views that have a source -------------------
{ cat "$tmp/conf"; echo "set wall-cycle 2s"; } > "$tmp/conf-wall"
tui_start wall 120x40 env -u LC_ALL -u LC_CTYPE LANG=C.UTF-8 TERM=xterm-256color \
    WARROOM_DATADIR="$T_TOP" HOME="$HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
    "$W" -c "$tmp/conf-wall" --kubeconfig "$KC" -n $NS --wall
check wall-critical-alert-in-band tui_wait wall 15 'CRITICAL +HighMemoryUsage'
check wall-turns-to-resources tui_wait wall 10 '▶ Resources [0-9]+'
check wall-turns-to-alerts tui_wait wall 10 '▶ Alerts [0-9]+'
check wall-summary-lines tui_wait wall 5 '\[1\] kube +[0-9]+ deployments'
tui_keys wall q

# --- memory: the new sources and the silence steps under valgrind ---------------
if command -v valgrind >/dev/null; then
	vg() { valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	    --error-exitcode=9 "$W" -c "$tmp/conf" --kubeconfig "$KC" -n $NS "$@"; }
	vg snapshot --json > "$tmp/vg1.json" 2> "$tmp/vg1"; rc=$?
	got="$rc $(grep -c '==[0-9]*==' "$tmp/vg1")"
	[ "$rc" = 1 ] && got="$got; not ok: $(snap_not_ok "$tmp/vg1.json")"
	expect_eq valgrind-snapshot-with-prom-and-alerts "0 0" "$got"
	# Alertmanager was restarted: wait until Prometheus has sent it again.
	am_has_cpu() { [ -n "$(am_state)" ]; }
	wait_for 30 am_has_cpu
	vg do silence HighCPUUsage 10m --dry-run > /dev/null 2> "$tmp/vg2"; rc=$?
	expect_eq valgrind-silence-dry-run "0 0" "$rc $(grep -c '==[0-9]*==' "$tmp/vg2")"
else
	fail valgrind "not installed (bootstrap installs it)"
fi
t_done
