#!/usr/bin/env bash
# Integration against a real kube-apiserver + controller-manager 1.20
# (../shared/k8s-real, built once and cached): snapshot, parity with kubectl,
# the viewer context, live changes on screen, and the API double's answers
# compared with the real server's for the same requests.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-kube-real.XXXXXX")
state=${WARROOM_K8S_STATE:-$tmp/k8s}
export HOME=$tmp/home; mkdir -p "$HOME"
cleanup() {
	tui_kill_all; double_down "$tmp/double"
	[ -z "${WARROOM_K8S_STATE:-}" ] && "$T_TOP/tests/stack/k8s-real.sh" down "$state"
	rm -rf "$tmp"
}
trap cleanup EXIT
NS=soundcore-kcp-prod
jq_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }

if ! kc=$("$T_TOP/tests/stack/k8s-real.sh" up "$state" 2> "$tmp/up.log"); then
	fail real-server-up "$(tail -n 5 "$tmp/up.log" | tr '\n' ' ')"
	exit 1
fi
pass real-server-up
if ! "$T_TOP/tests/stack/k8s-real.sh" seed "$state" > "$tmp/seed.log" 2>&1; then
	fail real-server-seed "$(tail -n 5 "$tmp/seed.log" | tr '\n' ' ')"
	exit 1
fi
pass real-server-seed

"$W" --kubeconfig "$kc" -n $NS snapshot --json > "$tmp/snap.json" 2> "$tmp/err"
expect_eq real-snapshot-exit-0 0 $?
expect_eq real-snapshot-kube-ok ok "$(jq_py "$tmp/snap.json" 'print(d["sources"]["kube"]["state"])')"
expect_eq real-snapshot-pods 14 "$(jq_py "$tmp/snap.json" 'print(len(d["pods"]))')"
for s in CrashLoopBackOff OOMKilled Pending ImagePullBackOff; do
	expect_eq "real-snapshot-has-$s" yes "$(jq_py "$tmp/snap.json" "print('yes' if any(p['status']=='$s' for p in d['pods']) else 'no')")"
done

parity() {
	local i
	for i in 1 2; do
		"$W" --kubeconfig "$kc" "$@" snapshot --json > "$tmp/p.json" 2>/dev/null
		kubectl --kubeconfig "$kc" --cache-dir "$tmp/kcache" get pods "$@" > "$tmp/p.txt" 2>&1
		python3 "$T_TOP/tests/parity.py" "$tmp/p.json" "$tmp/p.txt" > "$tmp/p.diff" && return 0
	done
	cat "$tmp/p.diff"; return 1
}
check real-parity-namespace parity -n $NS
check real-parity-all-namespaces parity -A

"$W" --kubeconfig "$kc" --context viewer -n $NS snapshot --json > "$tmp/viewer.json" 2>/dev/null
expect_eq real-viewer-reads ok "$(jq_py "$tmp/viewer.json" 'print(d["sources"]["kube"]["state"])')"

# Live on screen: a status written to the real server shows within 1 s.
export WARROOM_DATADIR=$T_TOP TERM=xterm-256color
tui_start real 120x40 "$W" --kubeconfig "$kc" -n $NS
check real-tui-shows-pods tui_wait real 10 'OOMKilled'
check real-tui-live tui_wait real 5 '[Ll][Ii][Vv][Ee]'
pod=$(kubectl --kubeconfig "$kc" -n $NS get pods -o name | grep frontend | head -n 1)
kubectl --kubeconfig "$kc" -n $NS patch "$pod" --subresource=status --type=merge \
	-p '{"status":{"containerStatuses":[{"name":"frontend","image":"nginx","imageID":"","ready":false,"restartCount":1,"state":{"waiting":{"reason":"CreateContainerError"}}}]}}' > /dev/null
check real-tui-live-change-within-1s tui_wait real 1 'CreateContainerError'
tui_keys real q

# The double against the real server, request for request.
"$T_TOP/tests/stack/k8s-real.sh" seed "$state" > "$tmp/seed2.log" 2>&1
kcd=$(double_up "$tmp/double" --scenario kcp --ready-delay 0) || { fail double-up "did not start"; exit 1; }
# Its exit status is a case of its own: a crash part way must not drop the
# comparisons it did not reach without a word.
python3 "$T_TOP/tests/compare-double-real.py" "$kc" "$kcd" > "$tmp/compare.out" 2>&1; rc=$?
sed -n 's/^\(PASS\|FAIL\): /\1: double-vs-real-/p' "$tmp/compare.out"
grep -q '^FAIL: ' "$tmp/compare.out" && T_FAILED=$((T_FAILED + 1))
# The last comparison reached, and an exit that matches what was printed.
if grep -qE '^(PASS|FAIL): watch-table-events' "$tmp/compare.out" &&
    { [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && grep -q '^FAIL: ' "$tmp/compare.out"; }; }; then
	pass double-vs-real-completed
else
	fail double-vs-real-completed "exited $rc: $(grep -v '^PASS: ' "$tmp/compare.out" | tail -n 5 | tr '\n' ' ')"
fi
t_done
