#!/usr/bin/env bash
# tests/stack/demo.sh WARROOM: the local sandbox. Starts the Kubernetes API
# double seeded with the soundcore-kcp-prod namespace of the operations
# manual (changing over time) and the observability stack scraping it (real
# Prometheus with the manual's alert rules, `for:` cut to 10 s, and
# Alertmanager: the OOM and crash-looping pods fire real alerts), then opens
# the dashboard on it. Everything stops when the dashboard quits.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
warroom=${1:-$top/build/warroom}
state=$(mktemp -d "${TMPDIR:-/tmp}/warroom-demo.XXXXXX")

cleanup() {
	"$top/tests/stack/obs.sh" down "$state/obs" >/dev/null 2>&1 || true
	"$top/tests/kube-double/down.sh" "$state" >/dev/null 2>&1 || true
	rm -rf "$state"
}
trap cleanup EXIT INT TERM

echo "==> starting the Kubernetes API double (soundcore-kcp-prod)" >&2
kc=$("$top/tests/kube-double/up.sh" "$state" --scenario kcp --live)
echo "==> kubeconfig: $kc (try: KUBECONFIG=$kc kubectl get pods)" >&2
echo "==> starting Prometheus, Alertmanager and node_exporter" >&2
if "$top/tests/stack/obs.sh" up "$state/obs" --double "$state" --for 10s > /dev/null; then
	. "$state/obs/env"
	echo "==> Prometheus: $PROMETHEUS_URL  Alertmanager: $ALERTMANAGER_URL  (alerts fire within a minute)" >&2
else
	echo "==> no Prometheus/Alertmanager (see above); the dashboard runs without them" >&2
fi
if [ ! -t 0 ] || [ ! -t 1 ]; then
	echo "==> no terminal: printing one snapshot instead of the dashboard" >&2
	WARROOM_DATADIR=$top "$warroom" --kubeconfig "$kc" snapshot --json
	exit 0
fi
WARROOM_DATADIR=$top "$warroom" --kubeconfig "$kc"
