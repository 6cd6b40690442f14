#!/usr/bin/env bash
# The observability test stack (tests/stack/obs.sh): real Prometheus,
# Alertmanager and node_exporter on loopback, scraping the Kubernetes API
# double's /metrics; the seed manual's alert rules fire, go through the
# manual's Alertmanager routes and reach the webhook sink; Alertmanager can be
# stopped and started again; "down" leaves nothing running.
. "$(dirname "$0")/lib.sh"
OBS=$T_TOP/tests/stack/obs.sh
RULES=$T_TOP/tests/stack/prometheus/rules
NS=soundcore-kcp-prod
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-obs-stack.XXXXXX")
cleanup() {
	"$OBS" down "$tmp/obs" > /dev/null 2>&1 || true
	"$OBS" down "$tmp/bad" > /dev/null 2>&1 || true
	double_down "$tmp/double"
	rm -rf "$tmp"
}
trap cleanup EXIT

for b in prometheus promtool prometheus-alertmanager prometheus-node-exporter amtool jq; do
	if ! command -v "$b" > /dev/null 2>&1; then
		skip obs-stack "$b is not installed (./bootstrap installs it)"
		exit 1
	fi
done

# poll SECONDS CMD...: run CMD every half second until it succeeds.
poll() {
	local end=$(($(date +%s) + $1)); shift
	until "$@" > /dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.5
	done
}

# eventually SECONDS NAME WANT CMD...: one case, passing once CMD prints WANT
# (polled every half second), else failing with what it printed last.
eventually() {
	local end=$(($(date +%s) + $1)) name=$2 want=$3 got; shift 3
	while :; do
		got=$("$@" 2> /dev/null)
		[ "$got" != "$want" ] || { pass "$name"; return 0; }
		[ "$(date +%s)" -lt "$end" ] || { fail "$name" "want [$want] got [$got]"; return 1; }
		sleep 0.5
	done
}

# at_least X Y / below X Y: numeric comparisons of (possibly fractional) values.
at_least() { awk -v a="${1:-}" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }
below() { awk -v a="${1:-}" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }'; }

# prom_max EXPR: the largest value of an instant query now (empty: no series).
prom_max() {
	curl -fsS --max-time 5 --data-urlencode "query=$1" "$PROMETHEUS_URL/api/v1/query" |
		jq -r '[.data.result[].value[1] | tonumber] | max // empty'
}

# prom_alert_state ALERTNAME POD: the states of that alert in Prometheus (one a line).
prom_alert_state() {
	curl -fsS --max-time 5 "$PROMETHEUS_URL/api/v1/alerts" |
		jq -r --arg n "$1" --arg p "$2" '.data.alerts[] | select(.labels.alertname == $n and .labels.pod == $p) | .state'
}

# am_alert ALERTNAME POD: that alert in Alertmanager, as "STATE RECEIVER,..." lines.
am_alert() {
	curl -fsS --max-time 5 "$ALERTMANAGER_URL/api/v2/alerts" |
		jq -r --arg n "$1" --arg p "$2" '.[] | select(.labels.alertname == $n and .labels.pod == $p) |
		    "\(.status.state) \([.receivers[].name] | join(","))"'
}

# webhook_has RECEIVER ALERTNAME [POD]: the sink got a firing notification
# for that receiver naming that alert.
webhook_has() {
	[ -s "$WEBHOOK_LOG" ] &&
		jq -e -s --arg r "$1" --arg n "$2" --arg p "${3:-}" 'any(.[]; .receiver == $r and .status == "firing" and
		    any(.alerts[]; .labels.alertname == $n and ($p == "" or .labels.pod == $p)))' "$WEBHOOK_LOG" > /dev/null
}

# --- the rule and configuration files, as checked in ------------------------
check promtool-check-rules promtool check rules "$RULES"/*.yml
check amtool-check-config amtool check-config "$T_TOP/tests/stack/prometheus/alertmanager.yml"
expect_eq rules-keep-manual-for "6 6" "$(cat "$RULES"/*.yml | grep -cE '^ +for: 5m$') $(cat "$RULES"/*.yml | grep -cE '^ +- alert: ')"
expect_eq rules-keep-manual-interval 2 "$(cat "$RULES"/*.yml | grep -cE '^ +interval: 30s$')"

# "up" refuses a rule file that promtool rejects, and starts nothing.
mkdir -p "$tmp/badrules"
sed 's/> 85$/> (85/' "$RULES/resource_usage.yml" > "$tmp/badrules/resource_usage.yml"
"$OBS" up "$tmp/bad" --rules "$tmp/badrules" > "$tmp/bad.out" 2> "$tmp/bad.err"
expect_eq up-refuses-bad-rules-exit 1 $?
check up-refuses-bad-rules-says-why grep -q 'promtool check rules failed' "$tmp/bad.err"
expect_eq up-refuses-bad-rules-starts-nothing "" "$(cat "$tmp/bad/pids" "$tmp/bad.out" 2> /dev/null)"

# --- the double and the stack -------------------------------------------------
started=$(date +%s)
kc=$(double_up "$tmp/double" --scenario kcp --live --ready-delay 0.3) || { fail double-up "the double did not start"; exit 1; }
pods=$(double_ctl "$kc" GET "/api/v1/namespaces/$NS/pods")
oom_pod=$(jq -r '.items[] | select(.status.containerStatuses[0].state.terminated.reason == "OOMKilled") | .metadata.name' <<< "$pods" | head -n 1)
loop_pod=$(jq -r '.items[] | select(.metadata.labels.app == "knowledge-service" and .status.containerStatuses[0].restartCount > 0) | .metadata.name' <<< "$pods" | head -n 1)
front_pod=$(jq -r '.items[] | select(.metadata.labels.app == "frontend") | .metadata.name' <<< "$pods" | head -n 1)
# content-service (1-core limit, one pod running) at 90 % CPU from the first
# scrape on, so that HighCPUUsage's rate (over 20 s here) sees 90 from the start.
hot=$(double_ctl "$kc" POST /_double/usage '{"deployment":"content-service","cpu":0.9}')
hot_pod=$(jq -r '.usage[0].pod // empty' <<< "$hot")
expect_eq usage-control-sets-cpu 0.9 "$(jq -r '.usage[0].cpuFraction' <<< "$hot")"
usage_404() { double_ctl "$kc" POST /_double/usage '{"pod":"nope","cpu":0.5}' | grep -q '"code":404'; }
check usage-control-unknown-pod-404 usage_404

# `for:` 2 s, and rates over 20 s instead of 5 and 15 minutes (see obs.sh --range).
if ! "$OBS" up "$tmp/obs" --double "$tmp/double" --for 2s --range 20s > "$tmp/up.out" 2> "$tmp/up.err"; then
	fail obs-up "$(tail -n 5 "$tmp/up.err" | tr '\n' ' ')"
	exit 1
fi
pass obs-up
. "$tmp/up.out"
expect_eq obs-up-prints-env "PROMETHEUS_URL ALERTMANAGER_URL NODE_EXPORTER_URL WEBHOOK_URL" \
	"$(grep -oE '^(PROMETHEUS|ALERTMANAGER|NODE_EXPORTER|WEBHOOK)_URL=http://127\.0\.0\.1:[0-9]+$' "$tmp/up.out" | cut -d= -f1 | tr '\n' ' ' | sed 's/ $//')"
check obs-env-file cmp "$tmp/up.out" "$tmp/obs/env"
echo "up in $(($(date +%s) - started)) s: $PROMETHEUS_URL $ALERTMANAGER_URL $NODE_EXPORTER_URL $WEBHOOK_URL"

# --- the double's /metrics ----------------------------------------------------
. "$tmp/double/env"
curl -fsS --max-time 10 --cacert "$KUBE_DOUBLE_CA" "$KUBE_DOUBLE_SERVER/metrics" > "$tmp/metrics.txt"
expect_eq double-metrics-no-token 0 $?
check double-metrics-promtool-lint promtool check metrics < "$tmp/metrics.txt"
missing=
for m in container_cpu_usage_seconds_total container_memory_working_set_bytes container_fs_usage_bytes \
	container_fs_limit_bytes container_network_receive_bytes_total container_network_transmit_bytes_total \
	kube_pod_container_resource_limits kube_pod_container_resource_requests kube_pod_status_phase \
	kube_pod_container_status_restarts_total kube_pod_container_status_waiting_reason \
	kube_pod_container_status_last_terminated_reason kube_deployment_spec_replicas \
	kube_deployment_status_replicas_available kube_horizontalpodautoscaler_spec_max_replicas; do
	grep -q "^$m{" "$tmp/metrics.txt" || missing="$missing $m"
done
expect_eq double-metrics-families "" "$missing"
check double-metrics-oomkilled grep -qE "^kube_pod_container_status_last_terminated_reason\{[^}]*pod=\"$oom_pod\"[^}]*reason=\"OOMKilled\"\} 1$" "$tmp/metrics.txt"
check double-metrics-limits-ksm-units grep -qE "^kube_pod_container_resource_limits\{[^}]*pod=\"$hot_pod\"[^}]*resource=\"cpu\",unit=\"core\"\} 1$" "$tmp/metrics.txt"
expect_eq api-still-needs-token 401 "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$KUBE_DOUBLE_CA" "$KUBE_DOUBLE_SERVER/api/v1/pods")"

# Prometheus' own view: every target scraped and healthy.
all_up() { [ "$(prom_max 'count(up == 1)')" = 4 ]; }
if poll 30 all_up; then pass scrape-all-targets-up; else
	fail scrape-all-targets-up "$(curl -s "$PROMETHEUS_URL/api/v1/targets" | jq -c '[.data.activeTargets[] | {job: .labels.job, health, lastError}]')"
fi
eventually 10 scrape-kube-double-up 1 prom_max 'up{job="kube-double"}'

# The rules as loaded: the manual's six, `for:` shortened to 2 s by obs.sh.
expect_eq rules-loaded "DeploymentReplicasMismatch:2 DiskSpaceLow:2 HighCPUUsage:2 HighMemoryUsage:2 PodPending:2 PodRestarting:2" \
	"$(curl -fsS "$PROMETHEUS_URL/api/v1/rules" | jq -r '[.data.groups[].rules[] | "\(.name):\(.duration)"] | sort | join(" ")')"

# --- thresholds: CPU and memory as a percentage of the limit ---------------------
CPU_PCT='sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[%s]))
  / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="cpu", unit="core"}) * 100'
# shellcheck disable=SC2059
hot_q="max($(printf "$CPU_PCT" 20s) and on (pod) kube_pod_info{pod=\"$hot_pod\"})"
hot_over() { v=$(prom_max "$hot_q"); at_least "$v" 85; }
if poll 30 hot_over; then pass cpu-90-percent-over-85; else fail cpu-90-percent-over-85 "last value [${v:-}]"; fi
if below "$v" 95; then pass cpu-90-percent-not-over-95; else fail cpu-90-percent-not-over-95 "value [$v]"; fi

# A pod pushed to 75 % CPU and memory while the stack runs: in the manual's
# warning band, 70 to 85 % (a 10 s window, so the earlier default drops out).
double_ctl "$kc" POST /_double/usage "{\"pod\":\"$front_pod\",\"cpu\":0.75,\"memory\":0.75}" > /dev/null
# shellcheck disable=SC2059
front_q="max($(printf "$CPU_PCT" 10s) and on (pod) kube_pod_info{pod=\"$front_pod\"})"
front_75() { v=$(prom_max "$front_q"); at_least "$v" 70 && below "$v" 85; }
if poll 30 front_75; then pass cpu-75-percent-warning-band; else fail cpu-75-percent-warning-band "last value [${v:-}]"; fi
mem_q="max(container_memory_working_set_bytes{container!=\"\", pod=\"$front_pod\"} / on (pod, container) group_left kube_pod_container_resource_limits{resource=\"memory\", unit=\"byte\"} * 100)"
mem_75() { v=$(prom_max "$mem_q"); at_least "$v" 74.9 && below "$v" 75.1; }
if poll 15 mem_75; then pass memory-75-percent-of-limit; else fail memory-75-percent-of-limit "last value [${v:-}]"; fi

# --- the manual's alerts: Prometheus -> Alertmanager -> webhook ------------------
firing() { prom_alert_state "$1" "$2" | grep -qx firing; }
if poll 30 firing HighMemoryUsage "$oom_pod"; then pass oom-pod-fires-HighMemoryUsage; else
	fail oom-pod-fires-HighMemoryUsage "states: $(prom_alert_state HighMemoryUsage "$oom_pod" | tr '\n' ' ')"
fi
if poll 30 firing HighCPUUsage "$hot_pod"; then pass hot-pod-fires-HighCPUUsage; else
	fail hot-pod-fires-HighCPUUsage "states: $(prom_alert_state HighCPUUsage "$hot_pod" | tr '\n' ' ')"
fi
high_cpu_pods() {
	curl -fsS --max-time 5 "$PROMETHEUS_URL/api/v1/alerts" |
		jq -r '[.data.alerts[] | select(.labels.alertname == "HighCPUUsage") | .labels.pod] | unique | join(" ")'
}
eventually 10 HighCPUUsage-only-for-hot-pod "$hot_pod" high_cpu_pods
if poll 40 firing PodRestarting "$loop_pod"; then pass crashloop-pod-fires-PodRestarting; else
	fail crashloop-pod-fires-PodRestarting "states: $(prom_alert_state PodRestarting "$loop_pod" | tr '\n' ' ')"
fi

am_critical() { am_alert HighMemoryUsage "$oom_pod" | grep -q '^active critical-alerts$'; }
if poll 20 am_critical; then pass alertmanager-has-HighMemoryUsage-critical-route; else
	fail alertmanager-has-HighMemoryUsage-critical-route "got: $(am_alert HighMemoryUsage "$oom_pod" | tr '\n' ' ')"
fi
# Critical alerts wait the root route's group_wait (10 s) before notifying.
if poll 30 webhook_has critical-alerts HighMemoryUsage "$oom_pod"; then pass webhook-got-critical; else
	fail webhook-got-critical "$(wc -l < "$WEBHOOK_LOG" 2> /dev/null || echo 0) notifications, none for it"
fi

# The manual's second inhibition rule: a PodRestarting alert mutes the same
# pod's warnings. A warning for the crash-looping pod, posted to Alertmanager
# like Prometheus posts, comes out suppressed, inhibited by PodRestarting.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
curl -fsS --max-time 5 -H 'Content-Type: application/json' -X POST "$ALERTMANAGER_URL/api/v2/alerts" \
	--data "[{\"labels\":{\"alertname\":\"TestWarning\",\"severity\":\"warning\",\"namespace\":\"$NS\",\"pod\":\"$loop_pod\"},\"startsAt\":\"$now\"}]" > /dev/null
inhibited() { am_alert TestWarning "$loop_pod" | grep -q '^suppressed '; }
if poll 20 inhibited; then pass inhibition-PodRestarting-mutes-warnings; else
	fail inhibition-PodRestarting-mutes-warnings "got: $(am_alert TestWarning "$loop_pod" | tr '\n' ' ')"
fi

# --- Alertmanager stopped and started again ----------------------------------------
check alertmanager-stop "$OBS" stop "$tmp/obs" alertmanager
if curl -fsS --max-time 2 -o /dev/null "$ALERTMANAGER_URL/-/ready" 2> /dev/null; then
	fail alertmanager-stopped "still answers"
else
	pass alertmanager-stopped
fi
eventually 10 prometheus-works-without-alertmanager 1 prom_max 'up{job="kube-double"}'
check alertmanager-start "$OBS" start "$tmp/obs" alertmanager
# Its alerts come back with Prometheus' next resend (obs.sh --resend-delay, 5 s).
if poll 30 am_critical; then pass alertmanager-restart-gets-alerts-again; else
	fail alertmanager-restart-gets-alerts-again "got: $(am_alert HighMemoryUsage "$oom_pod" | tr '\n' ' ')"
fi

# Warning alerts wait the warning route's group_wait (30 s) before notifying.
if poll 60 webhook_has warning-alerts PodPending; then pass webhook-got-warning; else
	fail webhook-got-warning "receivers so far: $(jq -r .receiver "$WEBHOOK_LOG" 2> /dev/null | sort -u | tr '\n' ' ')"
fi

# --- down stops exactly what up started ----------------------------------------------
pids=$(cut -d' ' -f2 "$tmp/obs/pids" | tr '\n' ' ')
"$OBS" down "$tmp/obs"
expect_eq down-exit-0 0 $?
left=
for p in $pids; do
	[ -d "/proc/$p" ] && [ "$(sed 's/.*) //; s/ .*//' "/proc/$p/stat" 2> /dev/null)" != Z ] && left="$left $p"
done
expect_eq down-stops-everything "" "$left"
expect_eq down-frees-prometheus-port 000 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$PROMETHEUS_URL/-/ready")"
echo "took $(($(date +%s) - started)) s from the double's start"
t_done
