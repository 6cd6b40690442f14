#!/usr/bin/env bash
# t-tui-actions.sh: the action keys through tmux, against the API double
# (scenario kcp, knowledge-service crash-looping, 3 revisions, an HPA): R
# opens the revision picker, then shows the preview and asks; y rolls it back
# and the rollout is followed on screen; n changes nothing; S offers the
# autoscaler's range, then asks how many replicas; L asks for limits; the
# ':' palette completes and runs; the action log shows the session; read-only
# mode refuses with the reason, sends nothing and greys the help; protected
# contexts want the name typed; q while a rollout is followed ends warroom
# and audits the run.
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
check picker-shows tui_wait no 5 "Roll back $DEP to:"
check picker-current tui_wait no 3 "^.*│ *3 +current .*nginx:1.25.5-alpine"
check picker-default-previous tui_wait no 3 "│>2 .*nginx:1.25.4-alpine"
check picker-change-cause tui_wait no 3 "search latency hotfix"
tui_keys no Escape
check picker-escape-cancels tui_wait no 5 'cancelled: nothing was changed'
expect_eq picker-escape-nothing-sent "" "$(mutations_since "$seq0")"
tui_keys no R
tui_wait no 5 "Roll back $DEP to:" >/dev/null
tui_keys no j
check picker-moves tui_wait no 3 "│>1 .*nginx:1.25.3-alpine"
tui_keys no Enter
check picker-chosen-revision tui_wait no 10 'back to revision 1'
tui_keys no n
tui_wait no 5 'cancelled' >/dev/null
tui_keys no R
tui_wait no 5 "Roll back $DEP to:" >/dev/null
tui_keys no Enter
check no-preview tui_wait no 10 'image .*→'
check no-asks tui_wait no 3 'Apply\? \[y/N\]'
tui_keys no n
# The picker's Escape left a cancelled entry on screen already: this n must
# close the question and add a second one to the Actions panel.
no_cancelled() {
	! tui_screen no | grep -q 'Apply? \[y/N\]' &&
	    [ "$(tui_screen no | grep -cE "rollback $DEP .* cancelled +cancelled: not confirmed")" -ge 2 ]
}
check no-cancelled wait_for 5 no_cancelled
expect_eq no-revision-unchanged "$rev0" "$(revision)"
expect_eq no-nothing-sent "" "$(mutations_since "$seq0")"
audited() { jq -s --arg p "$1" '[.[] | select(.phase == $p and .action == "rollback")] | length' "$AUDIT"; }
expect_eq no-audited 2 "$(audited cancelled)"
check log-panel tui_wait no 3 "─ Actions .* 2 this session"
check log-panel-entry tui_wait no 3 "rollback $DEP 2 +cancelled"
tui_keys no a
no_log() { ! tui_screen no | grep -q '─ Actions'; }
check log-hidden wait_for 2 no_log
tui_keys no a
check log-shown-again tui_wait no 2 '─ Actions'

tui_screen no > "$tmp/screen.no"
tui_keys no q

# --- y: rolled back, followed on screen ------------------------------------
dash yes
tui_keys yes R
tui_wait yes 5 "Roll back $DEP to:" >/dev/null
tui_keys yes Enter
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
expect_eq yes-picked-image nginx:1.25.4-alpine "$(kubectl --kubeconfig "$KC" -n "$NS" get deploy "$DEP" \
    -o jsonpath='{.spec.template.spec.containers[0].image}')"
check yes-log-done tui_wait yes 5 "rollback $DEP 2 +done"
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
check scale-offers-hpa tui_wait scale 5 "$DEP is autoscaled by knowledge-service-hpa \\(min 3, max 20"
check scale-offer-choices tui_wait scale 3 "\\[s\\]cale anyway, change the \\[a\\]utoscaler's range"
tui_keys scale Escape
check scale-offer-cancelled tui_wait scale 5 'cancelled'
tui_keys scale S
tui_wait scale 5 'autoscaled by' >/dev/null
tui_keys scale s Enter
check scale-asks tui_wait scale 5 "scale $DEP: replicas\\?"
tui_keys scale Escape
check scale-ask-cancelled tui_wait scale 5 'cancelled'
expect_eq scale-ask-nothing-sent "" "$(mutations_since "$seq0")"
tui_keys scale S
tui_wait scale 5 'autoscaled by' >/dev/null
tui_keys scale s Enter
tui_wait scale 5 "replicas\\?" >/dev/null
tui_keys scale "$n1" Enter
check scale-preview tui_wait scale 10 "replicas $n0 → $n1"
tui_keys scale y
if wait_for 10 sh -c "[ \"\$(kubectl --kubeconfig '$KC' -n '$NS' get deploy '$DEP' -o jsonpath='{.spec.replicas}')\" = $n1 ]"; then
	pass scale-applied
else
	fail scale-applied "replicas $(replicas), want $n1"
fi
# The scale's rollout is followed to its end first (one action per target).
check scale-followed-to-done tui_wait scale 30 "scale $DEP $n1 +done"
hpa_range() {
	kubectl --kubeconfig "$KC" -n "$NS" get hpa knowledge-service-hpa \
	    -o jsonpath='{.spec.minReplicas} {.spec.maxReplicas}'
}
tui_keys scale S
tui_wait scale 5 'autoscaled by' >/dev/null
tui_keys scale a Enter
check hpa-asks-range tui_wait scale 5 "hpa $DEP: autoscaler range MIN MAX"
tui_keys scale '4 30' Enter
check hpa-preview tui_wait scale 10 'HorizontalPodAutoscaler knowledge-service-hpa: min 3 → 4, max 20 → 30'
tui_keys scale y
check hpa-applied wait_for 10 sh -c "[ \"\$(kubectl --kubeconfig '$KC' -n '$NS' get hpa knowledge-service-hpa -o jsonpath='{.spec.minReplicas} {.spec.maxReplicas}')\" = '4 30' ]"
check hpa-logged tui_wait scale 10 "hpa $DEP 4 30 +done"

# L asks for limits; n sends nothing.
seq0=$(last_seq)
tui_keys scale L
check limits-asks tui_wait scale 5 "limits $DEP: \\[CONTAINER\\] memory=4Gi"
tui_keys scale 'memory=3Gi' Enter
check limits-preview tui_wait scale 10 'limits.memory .*→ 3Gi'
tui_keys scale n
check limits-cancelled tui_wait scale 5 'cancelled'
expect_eq limits-nothing-sent "" "$(mutations_since "$seq0")"

# The palette: Tab completes actions and deployments; Enter runs.
tui_keys scale :
check palette-opens tui_wait scale 3 '^:'
tui_keys scale r e s t Tab
check palette-complete-action tui_wait scale 3 '^:rest$|^:rest +$'
check palette-complete-choices tui_wait scale 3 '2 choices: restart  restore'
tui_keys scale a Tab
check palette-complete-unique tui_wait scale 3 '^:restart$'
check palette-usage tui_wait scale 3 'restart DEPLOYMENT — replace every pod'
tui_keys scale k n o Tab
check palette-complete-deploy tui_wait scale 3 "^:restart $DEP\$"
tui_keys scale Enter
check palette-runs tui_wait scale 10 "restart $DEP \\(ns $NS, ctx admin\\): restartedAt"
tui_keys scale n
tui_wait scale 5 'cancelled' >/dev/null
tui_keys scale : f r o b Enter
check palette-unknown tui_wait scale 3 'unknown command or action "frob"'
tui_keys scale : s c a l e Space n o p e Space 2 Enter
check palette-unknown-deploy tui_wait scale 5 'deployment "nope" not found in namespace'
expect_eq palette-nothing-sent "" "$(mutations_since "$seq0")"
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
tui_keys ro '?'
check ro-help-greyed tui_wait ro 3 'R +\[off\] Roll back'
filter_not_greyed() { tui_screen ro | grep -E '/ +Filter rows' | grep -vq 'off'; }
check ro-help-filter-not-greyed filter_not_greyed
tui_keys ro End
check ro-help-reason tui_wait ro 3 '\[off\] +no change to the cluster: read-only \(--read-only\)'
tui_keys ro q q

# --- a pod row acts on its deployment; nothing selected refuses ------------
dash pod --read-only
tui_keys pod Tab
tui_keys pod X
check pod-to-deployment tui_wait pod 5 'read-only mode.*restart'
tui_keys pod q

# --- the wall: every action key refused, the cluster unchanged ---------------
seq0=$(last_seq)
dash wall --wall
check wall-banner tui_wait wall 5 'WARROOM +[0-9:]+ +admin +cluster .* namespace soundcore-kcp-prod +PRODUCTION +read-only wall'
check wall-band tui_wait wall 5 'DEPLOYMENT +[a-z-]+ +[0-9]+ of [0-9]+ ready'
check wall-no-hints bash -c "! tmux -L '$T_TMUX_SOCK' capture-pane -p -t wall | grep -q 'Tab switch list'"
for k in R X D U S H L M N C K I P : y Y w Enter; do
	tui_keys wall "$k"
done
check wall-says-how-to-leave tui_wait wall 5 'wall screen \(read-only\): q leaves'
sleep 1
expect_eq wall-nothing-sent "" "$(mutations_since "$seq0")"
tui_keys wall q
check wall-q-leaves wait_for 5 tui_dead wall

# --- a protected context: the deployment's name must be typed ---------------
printf 'set protected-contexts admin\n' > "$tmp/protected.conf"
seq0=$(last_seq)
dash prot -c "$tmp/protected.conf"
tui_keys prot X
check protected-asks-name tui_wait prot 10 'Type the deployment name to confirm'
tui_keys prot y Enter
check protected-y-not-enough tui_wait prot 5 'cancelled: the name typed did not match'
expect_eq protected-nothing-sent "" "$(mutations_since "$seq0")"
tui_keys prot X
tui_wait prot 10 'Type the deployment name' >/dev/null
tui_keys prot "$DEP" Enter
check protected-named-applies tui_wait prot 20 'successfully rolled out'
tui_keys prot q

t_done
