#!/usr/bin/env bash
# Watches cut right after one event, or answered 410 every time: warroom
# backs off per resource (about 0.8 s doubling to 30 s, with jitter), at most
# about one request a second per resource once the first few seconds are
# over, and the screen says why; a healthy stream brings it back.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-watch-backoff.XXXXXX")
state=$tmp/double
export HOME=$tmp/home; mkdir -p "$HOME"
cleanup() { tui_kill_all; double_down "$state"; rm -rf "$tmp"; }
trap cleanup EXIT

kc=$(double_up "$state" --scenario kcp --ready-delay 0.3) || { fail double-up "the double did not start"; exit 1; }

export WARROOM_DATADIR=$T_TOP TERM=xterm-256color
tui_start dash 160x40 "$W" --kubeconfig "$kc"
check tui-live-before tui_wait dash 10 '[Ll][Ii][Vv][Ee]'

# From now on every watch gets one event and ends; end the open ones.
seq=$(double_last_seq "$kc")
double_ctl "$kc" POST /_double/fault '{"mode":"cut-watches","events":1}' > /dev/null
t0=$(date +%s.%N)
double_ctl "$kc" POST /_double/fault '{"mode":"close-streams"}' > /dev/null
check screen-says-why tui_wait dash 10 'watch [a-z]+: cut after [0-9.]+ s, retrying in [0-9.]+ s'
sleep $(python3 -c "import time; print(max(0, 14 - (time.time() - $t0)))")
double_ctl "$kc" GET "/_double/requests?since=$seq" > "$tmp/reqs.json"

# Per resource: watches in all, and in the window from 4 s to 14 s.
python3 - "$tmp/reqs.json" "$t0" > "$tmp/counts" <<'EOF'
import json, sys
reqs = json.load(open(sys.argv[1]))["items"]
t0 = float(sys.argv[2])
for res in ("pods", "deployments", "replicasets", "horizontalpodautoscalers"):
    w = [r for r in reqs if "/" + res + "?" in r["path"] and "watch=" in r["path"]]
    late = [r for r in w if r["time"] >= t0 + 4]
    print(res, len(w), len(late))
EOF
cat "$tmp/counts" | sed 's/^/# watches (all, after 4 s): /'
while read -r res all late; do
	if [ "$all" -ge 2 ] && [ "$late" -le 10 ]; then
		pass "backoff-$res"
	else
		fail "backoff-$res" "$all watch requests in 14 s, $late in the last 10 s (want at least 2, then at most 10)"
	fi
done < "$tmp/counts"

# The fault gone, the next watch lasts: a change reaches the screen (within
# the longest wait the backoff has reached by now), the notice is gone.
double_ctl "$kc" POST /_double/fault '{"mode":"none"}' > /dev/null
NS=soundcore-kcp-prod
pod=$(kubectl --kubeconfig "$kc" -n $NS get pods -o name | sed 's|pod/||' | grep '^auth-service' | head -n 1)
double_ctl "$kc" POST /_double/pod-status "{\"namespace\":\"$NS\",\"name\":\"$pod\",\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"auth-service\",\"ready\":false,\"restartCount\":2,\"state\":{\"waiting\":{\"reason\":\"ErrImageNeverPull\"}}}]}}" > /dev/null
check change-seen-after-the-fault tui_wait dash 40 'ErrImageNeverPull'
check live-again tui_wait dash 5 '[Ll][Ii][Vv][Ee]'
check notice-gone python3 -c 'import sys; sys.exit(1 if "cut after" in sys.stdin.read() else 0)' < <(tui_screen dash)
# Every watch answered 410 Expired: relisted at once the first times, then
# with backoff too, at most about one list a second per resource.
sleep 11	# the streams since the fault are healthy now
seq=$(double_last_seq "$kc")
double_ctl "$kc" POST /_double/fault '{"mode":"status","code":410,"paths":"watch=1"}' > /dev/null
t0=$(date +%s.%N)
double_ctl "$kc" POST /_double/fault '{"mode":"close-streams"}' > /dev/null
check screen-says-expired tui_wait dash 10 'watch [a-z]+: expired again after [0-9.]+ s, relisting in [0-9.]+ s'
sleep $(python3 -c "import time; print(max(0, 14 - (time.time() - $t0)))")
double_ctl "$kc" GET "/_double/requests?since=$seq" > "$tmp/reqs.json"
double_ctl "$kc" POST /_double/fault '{"mode":"none"}' > /dev/null
python3 - "$tmp/reqs.json" "$t0" > "$tmp/counts" <<'EOF'
import json, sys
reqs = json.load(open(sys.argv[1]))["items"]
t0 = float(sys.argv[2])
for res in ("pods", "deployments", "replicasets", "horizontalpodautoscalers"):
    l = [r for r in reqs if "/" + res + "?" in r["path"] and "watch=" not in r["path"]]
    late = [r for r in l if r["time"] >= t0 + 4]
    print(res, len(l), len(late))
EOF
cat "$tmp/counts" | sed 's/^/# lists after 410s (all, after 4 s): /'
while read -r res all late; do
	if [ "$all" -ge 3 ] && [ "$late" -le 10 ]; then
		pass "relist-backoff-$res"
	else
		fail "relist-backoff-$res" "$all lists in 14 s, $late in the last 10 s (want at least 3, then at most 10)"
	fi
done < "$tmp/counts"
check live-after-410s tui_wait dash 40 '[Ll][Ii][Vv][Ee]'

tui_keys dash q
wait_for 5 tui_dead dash && pass quit-with-q || fail quit-with-q "still running"
t_done
