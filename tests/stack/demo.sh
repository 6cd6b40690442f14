#!/usr/bin/env bash
# tests/stack/demo.sh WARROOM: the local sandbox. Starts the Kubernetes API
# double seeded with the soundcore-kcp-prod namespace of the operations
# manual (changing over time) and the observability stack scraping it (real
# Prometheus with the manual's alert rules, `for:` cut to 10 s, and
# Alertmanager: the OOM and crash-looping pods fire real alerts) and the
# database stack (real PostgreSQL 15 with the soundcore_kcp data and Redis 7,
# under a light load from tests/stack/db-load.py demo: slow queries, idle and
# idle-in-transaction sessions, lock waits, Redis slow commands; and the six
# services' health endpoints), then opens the dashboard on it with a config
# naming them all (after the user's own, if any). Everything stops when the
# dashboard quits.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
warroom=${1:-$top/build/warroom}
state=$(mktemp -d "${TMPDIR:-/tmp}/warroom-demo.XXXXXX")

load_pid=''
cleanup() {
	if [ -n "$load_pid" ]; then
		kill -TERM "$load_pid" 2>/dev/null || true
		wait "$load_pid" 2>/dev/null || true
	fi
	"$top/tests/stack/db.sh" down "$state/db" >/dev/null 2>&1 || true
	"$top/tests/stack/obs.sh" down "$state/obs" >/dev/null 2>&1 || true
	"$top/tests/kube-double/down.sh" "$state" >/dev/null 2>&1 || true
	rm -rf "$state"
}
trap cleanup EXIT INT TERM

echo "==> starting the Kubernetes API double (soundcore-kcp-prod)" >&2
kc=$("$top/tests/kube-double/up.sh" "$state" --scenario kcp --live)
echo "==> kubeconfig: $kc (try: KUBECONFIG=$kc kubectl get pods)" >&2
echo "==> starting Prometheus, Alertmanager and node_exporter" >&2
# The dashboard's config: the user's own first, then the sandbox's servers.
conf=$state/warroom.conf
echo "source-file -q ~/.config/warroom/config" > "$conf"
if "$top/tests/stack/obs.sh" up "$state/obs" --double "$state" --for 10s > /dev/null; then
	. "$state/obs/env"
	printf 'prometheus %s\nalertmanager %s\n' "$PROMETHEUS_URL" "$ALERTMANAGER_URL" >> "$conf"
	echo "==> Prometheus: $PROMETHEUS_URL  Alertmanager: $ALERTMANAGER_URL  (alerts fire within a minute)" >&2
else
	echo "==> no Prometheus/Alertmanager (see above); the dashboard runs without them" >&2
fi
echo "==> starting PostgreSQL, Redis and the services' health endpoints" >&2
if "$top/tests/stack/db.sh" up "$state/db" --rows 100000 > /dev/null; then
	. "$state/db/env"
	echo "source-file '$state/db/warroom.conf'" >> "$conf"
	python3 "$top/tests/stack/db-load.py" demo --env "$state/db/env" --quiet > "$state/db/load.log" 2>&1 &
	load_pid=$!
	echo "==> PostgreSQL: psql '$PG_CONNINFO'  Redis: $REDIS_URL" >&2
	echo "==> a light load runs (slow queries, idle sessions, lock waits); switch a health endpoint:" >&2
	echo "    curl -X POST '$HEALTH_CONTROL_URL/state/auth-service?state=down'" >&2
else
	echo "==> no PostgreSQL/Redis (see above); the dashboard runs without them" >&2
fi
if [ ! -t 0 ] || [ ! -t 1 ]; then
	echo "==> no terminal: printing one snapshot instead of the dashboard" >&2
	WARROOM_DATADIR=$top "$warroom" -c "$conf" --kubeconfig "$kc" snapshot --json
	exit 0
fi
WARROOM_DATADIR=$top "$warroom" -c "$conf" --kubeconfig "$kc"
