#!/usr/bin/env bash
# Integration against the Kubernetes API double: snapshot, parity with
# kubectl, kubeconfig errors, live updates on screen, relist after 410,
# reconnect after the server dies, a hanging server shown as DOWN.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-kube-double.XXXXXX")
state=$tmp/double
export HOME=$tmp/home; mkdir -p "$HOME"
cleanup() { tui_kill_all; double_down "$state"; rm -rf "$tmp"; }
trap cleanup EXIT

kc=$(double_up "$state" --scenario kcp --ready-delay 0.3) || { fail double-up "the double did not start"; exit 1; }
NS=soundcore-kcp-prod
jq_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }

# --- snapshot ---------------------------------------------------------------
"$W" --kubeconfig "$kc" snapshot --json > "$tmp/snap.json" 2> "$tmp/snap.err"
expect_eq snapshot-exit-0 0 $?
expect_eq snapshot-kube-ok ok "$(jq_py "$tmp/snap.json" 'print(d["sources"]["kube"]["state"])')"
expect_eq snapshot-namespace "$NS" "$(jq_py "$tmp/snap.json" 'print(d["namespace"])')"
expect_eq snapshot-deployments 6 "$(jq_py "$tmp/snap.json" 'print(len(d["deployments"]))')"
for s in CrashLoopBackOff OOMKilled Pending ImagePullBackOff Running; do
	expect_eq "snapshot-has-$s" yes "$(jq_py "$tmp/snap.json" "print('yes' if any(p['status']=='$s' for p in d['pods']) else 'no')")"
done
expect_eq snapshot-pods-grouped yes "$(jq_py "$tmp/snap.json" "print('yes' if all(p['deployment'] for p in d['pods']) else 'no')")"
expect_eq snapshot-fields yes "$(jq_py "$tmp/snap.json" "
need_p={'namespace','name','ready','status','restarts','node','age_s'}
need_d={'namespace','name','desired','updated','ready','available','revision'}
print('yes' if all(need_p <= set(p) for p in d['pods']) and all(need_d <= set(x) for x in d['deployments']) else 'no')")"

# --- parity with kubectl ----------------------------------------------------
parity() {
	local args=("$@") i
	for i in 1 2; do	# once more if a pod changed between the two reads
		"$W" --kubeconfig "$kc" "${args[@]}" snapshot --json > "$tmp/p.json" 2>/dev/null
		kubectl --kubeconfig "$kc" --cache-dir "$tmp/kcache" get pods "${args[@]}" > "$tmp/p.txt" 2>&1
		python3 "$T_TOP/tests/parity.py" "$tmp/p.json" "$tmp/p.txt" > "$tmp/p.diff" && return 0
	done
	cat "$tmp/p.diff"; return 1
}
check parity-namespace parity
check parity-all-namespaces parity -A

# --- kubeconfig errors --------------------------------------------------------
printf 'apiVersion: v1\nclusters: [\n' > "$tmp/broken.yaml"
"$W" --kubeconfig "$tmp/broken.yaml" snapshot --json > /dev/null 2> "$tmp/err"; rc=$?
expect_eq broken-kubeconfig-exit-2 2 $rc
check broken-kubeconfig-names-file grep -q "broken.yaml" "$tmp/err"
"$W" --kubeconfig "$kc" --context nope snapshot --json > /dev/null 2> "$tmp/err"; rc=$?
expect_eq unknown-context-exit-2 2 $rc
check unknown-context-message grep -q 'nope' "$tmp/err"
sed 's/token: .*/token: not-a-valid-token/' "$kc" > "$tmp/badtoken.yaml"
"$W" --kubeconfig "$tmp/badtoken.yaml" snapshot --json > "$tmp/bad.json" 2>/dev/null; rc=$?
expect_eq bad-token-exit-1 1 $rc
check bad-token-401-shown grep -q '401' "$tmp/bad.json"
# TLS: the server name to verify, and verification turned off (with a warning).
sed 's|^\(    server: .*\)$|\1\n    tls-server-name: localhost|' "$kc" > "$tmp/sni-good.yaml"
sed 's|^\(    server: .*\)$|\1\n    tls-server-name: wrong.example|' "$kc" > "$tmp/sni-bad.yaml"
"$W" --kubeconfig "$tmp/sni-good.yaml" snapshot --json > "$tmp/sni.json" 2>/dev/null
expect_eq tls-server-name-verifies ok "$(jq_py "$tmp/sni.json" 'print(d["sources"]["kube"]["state"])')"
"$W" --kubeconfig "$tmp/sni-bad.yaml" snapshot --json > "$tmp/sni.json" 2>/dev/null
check tls-server-name-mismatch-refused grep -q "wrong.example" "$tmp/sni.json"
grep -v 'certificate-authority:' "$kc" | sed 's|^\(    server: .*\)$|\1\n    insecure-skip-tls-verify: true|' > "$tmp/insecure.yaml"
"$W" --kubeconfig "$tmp/insecure.yaml" snapshot --json > "$tmp/insecure.json" 2> "$tmp/insecure.err"
expect_eq insecure-skip-verify-works ok "$(jq_py "$tmp/insecure.json" 'print(d["sources"]["kube"]["state"])')"
check insecure-skip-verify-warns grep -q "TLS verification is off" "$tmp/insecure.err"
grep -v 'certificate-authority:' "$kc" > "$tmp/noca.yaml"
"$W" --kubeconfig "$tmp/noca.yaml" snapshot --json > "$tmp/noca.json" 2>/dev/null
check unknown-ca-refused grep -q "certificate" "$tmp/noca.json"

"$W" --kubeconfig "$kc" --context viewer snapshot --json > "$tmp/viewer.json" 2>/dev/null
expect_eq viewer-can-read ok "$(jq_py "$tmp/viewer.json" 'print(d["sources"]["kube"]["state"])')"

# --- the dashboard, live ------------------------------------------------------
export WARROOM_DATADIR=$T_TOP TERM=xterm-256color
tui_start dash 120x40 "$W" --kubeconfig "$kc"
check tui-shows-pods tui_wait dash 10 'CrashLoopBackOff'
check tui-shows-live tui_wait dash 5 '[Ll][Ii][Vv][Ee]'
pod=$(jq_py "$tmp/snap.json" "print([p['name'] for p in d['pods'] if p['name'].startswith('auth-service')][0])")
double_ctl "$kc" POST /_double/pod-status "{\"namespace\":\"$NS\",\"name\":\"$pod\",\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"auth-service\",\"ready\":false,\"restartCount\":3,\"state\":{\"waiting\":{\"reason\":\"CreateContainerConfigError\"}}}]}}" > /dev/null
t0=$(date +%s.%N)
if tui_wait dash 1 "CreateContainerConfigError"; then
	pass tui-live-change-within-1s
else
	fail tui-live-change-within-1s "not on screen 1 s after the change"
fi
echo "# live change on screen after $(python3 -c "import time;print(round(time.time()-$t0,3))") s"

# A 410 on the watch (in-band, as a real server sends it): warroom must list
# again, then keep watching. Two such answers are armed; both must be used
# and each followed by a list of the pods.
seq=$(double_last_seq "$kc")
double_ctl "$kc" POST /_double/fault '{"mode":"status","code":410,"paths":"pods?watch=","count":2}' > /dev/null
double_ctl "$kc" POST /_double/fault '{"mode":"close-streams","paths":"pods"}' > /dev/null
sleep 3
double_ctl "$kc" GET /_double/fault > "$tmp/fault.json"
double_ctl "$kc" GET "/_double/requests?since=$seq" > "$tmp/reqs.json"
double_ctl "$kc" POST /_double/fault '{"mode":"none"}' > /dev/null
check relist-after-410 python3 -c '
import json,sys
fault=json.load(open(sys.argv[1]))
reqs=[r["path"] for r in json.load(open(sys.argv[2]))["items"] if "/pods" in r["path"]]
lists=[p for p in reqs if "watch=" not in p]
watches=[p for p in reqs if "watch=" in p]
used=fault.get("mode")=="none" or fault.get("fault",{}).get("mode")=="none"
if used and len(lists)>=2 and len(watches)>=2: sys.exit(0)
print("fault", fault, "pod requests", reqs); sys.exit(1)' "$tmp/fault.json" "$tmp/reqs.json"
double_ctl "$kc" POST /_double/pod-status "{\"namespace\":\"$NS\",\"name\":\"$pod\",\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"auth-service\",\"ready\":false,\"restartCount\":3,\"state\":{\"waiting\":{\"reason\":\"RunContainerError\"}}}]}}" > /dev/null
check watch-resumes-after-410 tui_wait dash 5 "RunContainerError"

# Hostile text from the server is shown, never sent to the terminal.
double_ctl "$kc" POST /_double/pod-status "{\"namespace\":\"$NS\",\"name\":\"$pod\",\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"auth-service\",\"ready\":false,\"restartCount\":1,\"state\":{\"waiting\":{\"reason\":\"Evil\\u001b[31mRED\\u001b]0;pwned\\u0007\"}}}]}}" > /dev/null
check escape-sequences-shown-not-sent tui_wait dash 3 'Evil\\x1b\[31mRED\\x1b\]0;pwned\\x07'
title=$(tmux -L "$T_TMUX_SOCK" display-message -p -t dash '#{pane_title}')
case $title in *pwned*) fail escape-title-untouched "pane title is now [$title]";; *) pass escape-title-untouched;; esac

# Kill the server: DOWN with an age, keys still work, then it recovers alone.
double_down "$state"
check down-when-server-dies tui_wait dash 20 'DOWN'
tui_keys dash '?'
check keys-work-while-down tui_wait dash 3 'Keys: any other key closes'
tui_keys dash Escape
sleep 0.5
kc2=$(double_up "$state" --ready-delay 0.3) || fail double-restart "the double did not restart"
check recovers-by-itself tui_wait dash 25 '[Ll][Ii][Vv][Ee]'
double_ctl "$kc" POST /_double/pod-status "{\"namespace\":\"$NS\",\"name\":\"$pod\",\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"auth-service\",\"ready\":false,\"restartCount\":4,\"state\":{\"waiting\":{\"reason\":\"ErrImageNeverPull\"}}}]}}" > /dev/null
check live-again-after-restart tui_wait dash 5 "ErrImageNeverPull"

# A server that accepts but never answers is DOWN too, never a frozen screen.
double_ctl "$kc" POST /_double/fault '{"mode":"hang"}' > /dev/null
check hang-shown-as-down tui_wait dash 25 'DOWN'
double_ctl "$kc" POST /_double/fault '{"mode":"none"}' > /dev/null || true
check recovers-after-hang tui_wait dash 25 '[Ll][Ii][Vv][Ee]'

# C-r lists everything again.
seq=$(double_last_seq "$kc")
tui_keys dash C-r
sleep 2
check refresh-key-relists python3 -c '
import json,sys
reqs=[r["path"] for r in json.load(sys.stdin)["items"]]
sys.exit(0 if any("/pods?limit=" in p for p in reqs) and any("/deployments?limit=" in p for p in reqs) else 1)' < <(double_ctl "$kc" GET "/_double/requests?since=$seq")
check refresh-key-says-so tui_wait dash 2 'refreshing'

tui_keys dash q
wait_for 5 tui_dead dash && pass quit-with-q || fail quit-with-q "still running"
t_done
