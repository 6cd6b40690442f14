#!/usr/bin/env bash
# tests/bench/bench.sh [BUILDDIR]: warroom against kubectl on the same API
# double holding 10,000 pods in 1,000 deployments, side by side in one run.
#  1. time and peak RSS of `warroom -A snapshot --json` vs `kubectl get pods -A`
#     (RUNS alternating runs each, medians);
#  2. CPU of the running dashboard (and of `kubectl get pods -A -w`) while the
#     double changes 100 pods a second.
# Not part of the test suite: it prints figures, it does not judge them.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
W=$build/warroom
RUNS=${RUNS:-7}
CHURN_S=${CHURN_S:-25}
. "$top/tests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warroom-bench.XXXXXX")
state=$tmp/double
export HOME=$tmp/home; mkdir -p "$HOME"
cleanup() { tui_kill_all; [ -n "${kw:-}" ] && kill "$kw" 2>/dev/null; double_down "$state"; rm -rf "$tmp"; }
trap cleanup EXIT

echo "starting the double with 10000 pods / 1000 deployments ..."
kc=$(double_up "$state" --scenario empty --scale-pods 10000 --scale-deploys 1000 --ready-delay 0)
# Warm up the double's caches and kubectl's discovery cache once.
kubectl --kubeconfig "$kc" --cache-dir "$tmp/kcache" get pods -A > /dev/null

python3 - "$W" "$kc" "$tmp/kcache" "$RUNS" <<'PY'
import os, statistics, subprocess, sys, time
w, kc, cache, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cmds = {
    "warroom -A snapshot --json": [w, "--kubeconfig", kc, "-A", "snapshot", "--json"],
    "kubectl get pods -A":        ["kubectl", "--kubeconfig", kc, "--cache-dir", cache, "get", "pods", "-A"],
}
res = {k: ([], []) for k in cmds}
for i in range(runs):
    for name, cmd in cmds.items():
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out = p.stdout.read()
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.monotonic() - t0
        if status != 0 or len(out) < 100000:
            sys.exit("%s failed (status %d, %d bytes)" % (name, status, len(out)))
        res[name][0].append(dt)
        res[name][1].append(ru.ru_maxrss / 1024.0)
print("\n10,000 pods, %d runs each, medians:" % runs)
print("%-30s %10s %12s" % ("command", "time (s)", "peak RSS (MiB)"))
med = {}
for name, (t, m) in res.items():
    med[name] = (statistics.median(t), statistics.median(m))
    print("%-30s %10.3f %12.1f" % (name, med[name][0], med[name][1]))
a, b = med["warroom -A snapshot --json"], med["kubectl get pods -A"]
print("ratio warroom/kubectl: time %.2f, memory %.2f" % (a[0] / b[0], a[1] / b[1]))
PY

cpu_of() {	# cpu_of PID SECONDS: percent of one core, median of 5 windows
	python3 - "$1" "$2" <<'PY'
import os, statistics, sys, time
pid, secs = sys.argv[1], float(sys.argv[2])
hz = os.sysconf("SC_CLK_TCK")
def ticks():
    f = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
samples = []
for _ in range(5):
    t0, c0 = time.monotonic(), ticks()
    time.sleep(secs / 5)
    t1, c1 = time.monotonic(), ticks()
    samples.append(100.0 * (c1 - c0) / hz / (t1 - t0))
print("%.1f (windows: %s)" % (statistics.median(samples), " ".join("%.1f" % x for x in samples)))
PY
}

echo
echo "dashboard CPU while the double changes 100 pods/s for ${CHURN_S}s:"
export WARROOM_DATADIR=$top TERM=xterm-256color
tui_start bench 200x50 "$W" --kubeconfig "$kc" -A
tui_wait bench 60 '[Ll][Ii][Vv][Ee]' || { echo "dashboard did not sync"; exit 1; }
kubectl --kubeconfig "$kc" --cache-dir "$tmp/kcache" get pods -A -w > /dev/null 2>&1 &
kw=$!
sleep 5
wpid=$(pgrep -P "$(tui_pid bench)" -x warroom || tui_pid bench)
idle=$(cpu_of "$wpid" 5)
double_ctl "$kc" POST /_double/churn "{\"rate\":100,\"seconds\":$((CHURN_S + 5))}" > /dev/null
sleep 2
cpu_of "$wpid" "$CHURN_S" > "$tmp/ours" &
cw=$!
cpu_of "$kw" "$CHURN_S" > "$tmp/theirs"
wait "$cw"
ours=$(cat "$tmp/ours") theirs=$(cat "$tmp/theirs")
printf '%-34s %6s %% of one core\n' "warroom dashboard, idle" "$idle"
printf '%-34s %6s %% of one core\n' "warroom dashboard, 100 changes/s" "$ours"
printf '%-34s %6s %% of one core\n' "kubectl get pods -A -w, 100/s" "$theirs"
double_ctl "$kc" GET /_double/stats | python3 -c 'import json,sys; d=json.load(sys.stdin); print("double stats:", {k: d[k] for k in list(d)[:6]})' || true
