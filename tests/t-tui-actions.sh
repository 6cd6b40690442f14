#!/usr/bin/env bash
# t-tui-actions.sh: the action keys through tmux, against the API double
# (scenario kcp, knowledge-service crash-looping): R on the selected
# deployment shows the preview and asks; y rolls it back and the rollout is
# followed on screen; n changes nothing; read-only mode refuses with the
# reason and sends nothing; S asks how many replicas; q while a rollout is
# followed ends warroom and audits the run.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-tui-actions.XXXXXX")
export HOME=$tmp/home XDG_STATE_HOME=$tmp/state
mkdir -p "$HOME"
unset XDG_CONFIG_HOME NO_COLOR
cleanup() { tui_kill_all; double_down "$tmp/double"; rm -rf "$tmp"; }
trap cleanup EXIT

KC=$(double_up "$tmp/double" --scenario kcp --ready-delay 0.3 --fresh) || {
	fail double-up "the double did not start"; exit 1; }
NS=soundcore-kcp-prod
DEP=knowledge-service
AUDIT=$XDG_STATE_HOME/warroom/audit.log
revision() {
	kubectl --kubeconfig "$KC" -n "$NS" get deploy "$DEP" \
	    -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}'
}
last_seq() { double_last_seq "$KC"; }
mutations_since() { double_mutations_since "$KC" "$1"; }

# dash SESSION ARGS...: the dashboard at 100x30, the knowledge-service
# deployment selected (Tab to the deployments, filtered to it).
dash() {
	local s=$1; shift
	tui_start "$s" 100x30 env -u LC_ALL -u LC_CTYPE TERM=xterm-256color \
	    LANG=C.UTF-8 WARROOM_DATADIR="$T_TOP" HOME="$HOME" \
	    XDG_STATE_HOME="$XDG_STATE_HOME" WARROOM_ACTION_TIMEOUT=20 \
	    "$W" --kubeconfig "$KC" "$@"
	tui_wait "$s" 10 'kube live' >/dev/null
	tui_wait "$s" 10 "$DEP" >/dev/null
	tui_keys "$s" Tab / k n o w l e d g e Enter
	tui_wait "$s" 3 'filter: knowledge' >/dev/null
}

# --- n: nothing changes ----------------------------------------------------
rev0=$(revision)
seq0=$(last_seq)
dash no
tui_keys no R
check no-preview tui_wait no 10 'image .*→'
check no-asks tui_wait no 3 'Apply\? \[y/N\]'
tui_keys no n
check no-cancelled tui_wait no 5 'cancelled|not confirmed'
expect_eq no-revision-unchanged "$rev0" "$(revision)"
expect_eq no-nothing-sent "" "$(mutations_since "$seq0")"
audited() { jq -s --arg p "$1" '[.[] | select(.phase == $p and .action == "rollback")] | length' "$AUDIT"; }
expect_eq no-audited 1 "$(audited cancelled)"
tui_screen no > "$tmp/screen.no"
tui_keys no q

# --- y: rolled back, followed on screen ------------------------------------
dash yes
tui_keys yes R
check yes-preview tui_wait yes 10 'image .*→'
tui_keys yes y
check yes-rolled-back tui_wait yes 10 'rolled back|successfully rolled out'
check yes-rollout-done tui_wait yes 20 'successfully rolled out'
rev1=$(revision)
if [ -n "$rev1" ] && [ "$rev1" != "$rev0" ]; then
	pass yes-revision-moved
else
	fail yes-revision-moved "revision $rev0 -> $rev1"
fi
expect_eq yes-audited-started 1 "$(audited started)"
expect_eq yes-audited-done 1 "$(audited done)"
tui_keys yes q

# --- S asks how many; Escape drops it, a number scales ----------------------
replicas() {
	kubectl --kubeconfig "$KC" -n "$NS" get deploy "$DEP" -o jsonpath='{.spec.replicas}'
}
n0=$(replicas)
n1=$((n0 + 1))
seq0=$(last_seq)
dash scale
tui_keys scale S
check scale-asks tui_wait scale 5 "scale $DEP: REPLICAS\\?"
tui_keys scale Escape
check scale-ask-cancelled tui_wait scale 5 'cancelled'
expect_eq scale-ask-nothing-sent "" "$(mutations_since "$seq0")"
tui_keys scale S
tui_wait scale 5 "REPLICAS" >/dev/null
tui_keys scale "$n1" Enter
check scale-preview tui_wait scale 10 "replicas $n0 → $n1"
tui_keys scale y
if wait_for 10 sh -c "[ \"\$(kubectl --kubeconfig '$KC' -n '$NS' get deploy '$DEP' -o jsonpath='{.spec.replicas}')\" = $n1 ]"; then
	pass scale-applied
else
	fail scale-applied "replicas $(replicas), want $n1"
fi
tui_keys scale q

# --- q while a rollout is followed: warroom ends, the audit says so ---------
dash quit
tui_keys quit X
tui_wait quit 10 'Apply' >/dev/null
tui_keys quit y
tui_wait quit 10 'restarted|Waiting' >/dev/null
tui_keys quit q
check quit-while-following wait_for 5 tui_dead quit
check quit-audited grep -q '"action":"restart".*quit before the action finished' "$AUDIT"

# --- read-only: the reason, nothing sent -----------------------------------
seq0=$(last_seq)
rev2=$(revision)
dash ro --read-only
tui_keys ro R
check ro-refused tui_wait ro 5 'read-only mode'
expect_eq ro-nothing-sent "" "$(mutations_since "$seq0")"
expect_eq ro-revision-unchanged "$rev2" "$(revision)"
expect_eq ro-audited 1 "$(audited refused)"
tui_keys ro q

# --- a pod row acts on its deployment; nothing selected refuses ------------
dash pod --read-only
tui_keys pod Tab
tui_keys pod X
check pod-to-deployment tui_wait pod 5 'read-only mode.*restart'
tui_keys pod q

t_done
