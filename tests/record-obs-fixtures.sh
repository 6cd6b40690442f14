#!/usr/bin/env bash
# tests/record-obs-fixtures.sh [OUTDIR]: record real Prometheus and
# Alertmanager responses for the decoders' unit tests into
# tests/fixtures/prom/ (or OUTDIR). Starts its own API double (kcp scenario,
# --live) and observability stack (tests/stack/obs.sh), waits until the
# manual's alerts fire and reach Alertmanager, adds one silence and one
# inhibited alert, records every body raw (as the server sent it) and writes
# README.md there with the request, HTTP status and content type of each file
# and the servers' versions. Not run by the suite: run it by hand (~1 minute).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/tests/fixtures/prom}
NS=soundcore-kcp-prod
tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-obs.XXXXXX")
cleanup() {
	"$top/tests/stack/obs.sh" down "$tmp/obs" > /dev/null 2>&1 || true
	"$top/tests/kube-double/down.sh" "$tmp/double" > /dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
say() { printf '==> %s\n' "$*" >&2; }

# wait_until SECONDS WHAT CMD...: poll CMD every half second, or give up.
wait_until() {
	local end=$(($(date +%s) + $1)) what=$2; shift 2
	until "$@" > /dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || { say "gave up waiting for $what"; exit 1; }
		sleep 0.5
	done
}

say "starting the API double and the observability stack"
"$top/tests/kube-double/up.sh" "$tmp/double" --scenario kcp --live --ready-delay 0.3 > /dev/null
. "$tmp/double/env"
dctl() {
	curl -fsS --cacert "$KUBE_DOUBLE_CA" -H "Authorization: Bearer $KUBE_DOUBLE_ADMIN_TOKEN" \
		-H 'Content-Type: application/json' -X "$1" ${3:+--data "$3"} "$KUBE_DOUBLE_SERVER$2"
}
dctl POST /_double/usage '{"deployment":"content-service","cpu":0.9}' > /dev/null
"$top/tests/stack/obs.sh" up "$tmp/obs" --double "$tmp/double" --for 2s --range 20s > /dev/null
. "$tmp/obs/env"
P=$PROMETHEUS_URL A=$ALERTMANAGER_URL

firing() {
	curl -fsS "$P/api/v1/alerts" |
		jq -e --arg n "$1" 'any(.data.alerts[]; .labels.alertname == $n and .state == "firing")' > /dev/null
}
in_am() { curl -fsS "$A/api/v2/alerts" | jq -e --arg n "$1" 'any(.[]; .labels.alertname == $n)' > /dev/null; }
for a in HighMemoryUsage HighCPUUsage PodPending PodRestarting; do
	wait_until 60 "$a firing" firing "$a"
	wait_until 30 "$a in Alertmanager" in_am "$a"
done
pods=$(dctl GET "/api/v1/namespaces/$NS/pods")
loop_pod=$(jq -r '.items[] | select(.metadata.labels.app == "knowledge-service" and
    .status.containerStatuses[0].restartCount > 0) | .metadata.name' <<< "$pods" | head -n 1)

rm -rf "$out"
mkdir -p "$out"
index=$tmp/index
: > "$index"

# get FILE URL [CURL ARGS...]: record one response body raw, and its status.
get() {
	local file=$1 url=$2 meta; shift 2
	meta=$(curl -sS --max-time 10 -o "$out/$file" -w '%{http_code}\t%{content_type}' "$@" "$url")
	printf '%s\t%s\t%s\n' "$file" "$(describe "$url" "$@")" "$meta" >> "$index"
}

# describe URL [CURL ARGS...]: "METHOD /path?query" for the README.
describe() {
	local url=$1 method=GET data='' as=form; shift
	while [ $# -gt 0 ]; do
		case $1 in
		-X) method=$2; shift ;;
		-G) as=query ;;
		--data-urlencode) data="$data&$2"; [ "$as" = query ] || [ "$method" != GET ] || method=POST ;;
		--data) [ "$method" != GET ] || method=POST ;;
		esac
		shift
	done
	printf '%s /%s%s' "$method" "${url#http://127.0.0.1:*/}" "${data:+ ($as: ${data#&})}"
}

q() { local file=$1 expr=$2; shift 2; get "$file" "$P/api/v1/query" --data-urlencode "query=$expr" "$@"; }

say "recording Prometheus into $out"
now=$(date +%s)
q query_vector.json 'up'
q query_vector_cpu_percent.json 'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[20s])) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="cpu", unit="core"}) * 100'
q query_scalar.json 'scalar(count(up))'
q query_string.json '"warroom"'
q query_empty.json 'up{job="no-such-job"}'
q query_nan_inf.json 'label_replace(vector(0/0), "v", "nan", "", "") or label_replace(vector(1/0), "v", "+inf", "", "") or label_replace(vector(-1/0), "v", "-inf", "", "")'
q query_scalar_nan.json '0/0'
q query_scalar_inf.json '1/0'
q query_matrix_instant.json 'up{job="kube-double"}[5s]'
get query_range_matrix.json "$P/api/v1/query_range" --data-urlencode 'query=sum by (pod) (kube_pod_container_status_restarts_total{namespace="soundcore-kcp-prod"})' \
	--data-urlencode "start=$((now - 20))" --data-urlencode "end=$now" --data-urlencode 'step=5'
q error_400_bad_data.json 'sum(up'
q error_422_execution.json 'vector(1) + on() up'
get error_400_range_too_many_points.json "$P/api/v1/query_range" --data-urlencode 'query=up' \
	--data-urlencode "start=$((now - 86400))" --data-urlencode "end=$now" --data-urlencode 'step=1'
q error_503_timeout.json 'count(up)' --data-urlencode 'timeout=0.000001'
get error_404_unknown_path.txt "$P/api/v1/no-such-endpoint"
get rules.json "$P/api/v1/rules"
get alerts.json "$P/api/v1/alerts"
get targets.json "$P/api/v1/targets"
get buildinfo.json "$P/api/v1/status/buildinfo"

say "recording Alertmanager"
# One silence (HighCPUUsage of the hot pod) and one inhibited alert (a
# warning for the crash-looping pod, muted by its PodRestarting).
start=$(date -u +%Y-%m-%dT%H:%M:%SZ) end=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
get silence_create.json "$A/api/v2/silences" -H 'Content-Type: application/json' --data \
	"{\"matchers\":[{\"name\":\"alertname\",\"value\":\"HighCPUUsage\",\"isRegex\":false,\"isEqual\":true},{\"name\":\"namespace\",\"value\":\"soundcore-.*\",\"isRegex\":true}],\"startsAt\":\"$start\",\"endsAt\":\"$end\",\"createdBy\":\"record-obs-fixtures\",\"comment\":\"recorded fixture\"}"
silence_id=$(jq -r .silenceID "$out/silence_create.json")
curl -fsS -H 'Content-Type: application/json' -X POST "$A/api/v2/alerts" --data \
	"[{\"labels\":{\"alertname\":\"TestWarning\",\"severity\":\"warning\",\"namespace\":\"$NS\",\"pod\":\"$loop_pod\"},\"annotations\":{\"summary\":\"a warning for an inhibited pod\"},\"startsAt\":\"$start\"}]" > /dev/null
silenced() { curl -fsS "$A/api/v2/alerts" | jq -e 'any(.[]; .labels.alertname == "HighCPUUsage" and .status.silencedBy != [])'; }
inhibited() { curl -fsS "$A/api/v2/alerts" | jq -e 'any(.[]; .labels.alertname == "TestWarning" and .status.inhibitedBy != [])'; }
wait_until 20 "the silence to apply" silenced
wait_until 20 "the inhibition to apply" inhibited
get am_alerts.json "$A/api/v2/alerts"
get am_alerts_groups.json "$A/api/v2/alerts/groups"
get am_alerts_filtered.json "$A/api/v2/alerts" -G --data-urlencode 'filter=severity="critical"' --data-urlencode 'silenced=false'
get am_silences.json "$A/api/v2/silences"
get am_silence.json "$A/api/v2/silence/$silence_id"
get am_status.json "$A/api/v2/status"
get am_receivers.json "$A/api/v2/receivers"
get am_error_422_no_comment.json "$A/api/v2/silences" -H 'Content-Type: application/json' --data \
	"{\"matchers\":[{\"name\":\"alertname\",\"value\":\"X\",\"isRegex\":false}],\"startsAt\":\"$start\",\"endsAt\":\"$end\",\"createdBy\":\"record-obs-fixtures\"}"
get am_error_400_bad_filter.json "$A/api/v2/alerts" -G --data-urlencode 'filter=alertname=~('
get am_silence_delete.txt "$A/api/v2/silence/$silence_id" -X DELETE
get am_silence_expired.json "$A/api/v2/silence/$silence_id"

pversion=$(jq -r .data.version "$out/buildinfo.json")
aversion=$(jq -r .versionInfo.version "$out/am_status.json")
{
	cat <<-EOF
	# Prometheus and Alertmanager responses, recorded

	Raw response bodies from the real servers of the observability test stack,
	for the decoders' unit tests. Recorded by \`tests/record-obs-fixtures.sh\`
	on $(date -u +%Y-%m-%d) against Debian 12's packages: Prometheus $pversion,
	Alertmanager $aversion, node_exporter $(prometheus-node-exporter --version 2>&1 | awk 'NR==1 {print $3}'),
	scraping the Kubernetes API double's simulated cAdvisor and kube-state-metrics
	series (\`tests/kube-double/metrics.py\`, kcp scenario with \`--live\`, the
	content-service pod pushed to 90 % CPU) with the seed manual's alert rules
	(\`for:\` 2 s, ranges 20 s) and Alertmanager configuration.

	When they were recorded: HighMemoryUsage (critical, the OOMKilled pod),
	HighCPUUsage (warning, the hot pod; silenced by the one silence),
	PodPending, DeploymentReplicasMismatch and PodRestarting were firing, and
	TestWarning (posted by the script for the crash-looping pod) was inhibited by
	PodRestarting. Bodies are exactly as sent (not pretty-printed). The silence is
	deleted at the end: \`am_silence_expired.json\` shows it expired.

	| file | request | HTTP status | content type |
	| --- | --- | --- | --- |
	EOF
	awk -F'\t' '{ printf "| `%s` | `%s` | %s | %s |\n", $1, $2, $3, $4 }' "$index"
} > "$out/README.md"
say "recorded $(wc -l < "$index") responses into $out"
