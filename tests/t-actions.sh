#!/bin/bash
# t-actions.sh: 'warroom do scale|restart' against the API double: kubectl
# parity, dry-run, read-only, denials, bad arguments, conflicts, the audit
# trail (and an unfinished entry after kill -9), Events, change-cause, follow.
. "$(dirname "$0")/lib.sh"

: "${WARROOM:=$T_TOP/warroom}"
T=$(mktemp -d /tmp/t-actions.XXXXXX)
export HOME=$T/home XDG_STATE_HOME=$T/state
mkdir -p "$HOME"
trap 'double_down "$T/dbl"; rm -rf "$T"' EXIT

KC=$(double_up "$T/dbl" --scenario kcp --ready-delay 0.3 --fresh) || {
	skip actions "the API double did not start"; exit 1; }
NS=soundcore-kcp-prod
K() { kubectl --kubeconfig "$KC" -n "$NS" "$@"; }
W() { "$WARROOM" --kubeconfig "$KC" "$@"; }
AUDIT=$XDG_STATE_HOME/warroom/audit.log

# seq of the last logged request, and the mutating requests after a seq.
last_seq() { double_ctl "$KC" GET /_double/requests | jq '.items[-1].seq'; }
mutations_since() {
	double_ctl "$KC" GET "/_double/requests?since=$1" | jq -r '.items[] |
	    select(.method != "GET" and (.path | startswith("/_double") | not)
	    and (.path | test("dryRun=All|selfsubjectaccessreviews") | not)) |
	    "\(.method) \(.path)"'
}
# A Deployment normalized for comparison: no names, ids, times, change-cause.
norm_deploy() {
	K get deploy "$1" -o json | jq -S --arg n "$1" '
	    del(.metadata.name, .metadata.uid, .metadata.resourceVersion,
	        .metadata.creationTimestamp, .metadata.managedFields,
	        .metadata.annotations["kubernetes.io/change-cause"],
	        .spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"],
	        .status.conditions) | walk(if type == "string" then gsub($n; "X") else . end)'
}
# ReplicaSets of a deployment: revision, replicas, has-restartedAt, sorted.
norm_rs() {
	K get rs -l "app=$1" -o json | jq -S -c '[.items[] | {rev: .metadata.annotations["deployment.kubernetes.io/revision"],
	    replicas: .spec.replicas, ready: .status.readyReplicas,
	    restarted: (.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] != null)}] | sort_by(.rev)'
}
wait_rolled() { K rollout status "deploy/$1" --timeout=30s >/dev/null 2>&1; }

# --- twins for kubectl parity ---------------------------------------------
for d in twin-k twin-w; do
	K create deployment "$d" --image=registry.local/auth-service:v2.3.1 \
	    --replicas=2 >/dev/null
	wait_rolled "$d"
done

K scale deploy/twin-k --replicas=4 >/dev/null
out=$(W do scale twin-w 4 --yes 2>&1); rc=$?
wait_rolled twin-k; wait_rolled twin-w
expect_eq scale_exit 0 "$rc"
check scale_output grep -q '^deployment.apps/twin-w scaled$' <<<"$out"
check scale_follow grep -q 'deployment "twin-w" successfully rolled out' <<<"$out"
check scale_preview grep -q 'replicas 2 → 4' <<<"$out"
expect_eq scale_parity_deploy "$(norm_deploy twin-k)" "$(norm_deploy twin-w)"
expect_eq scale_parity_rs "$(norm_rs twin-k)" "$(norm_rs twin-w)"
expect_eq scale_change_cause "warroom do scale twin-w 4 by $(id -un)" \
    "$(K get deploy twin-w -o jsonpath='{.metadata.annotations.kubernetes\.io/change-cause}')"
check scale_event bash -c "kubectl --kubeconfig '$KC' -n $NS get events \
    --field-selector involvedObject.name=twin-w -o json | jq -e '.items[] |
    select(.reason == \"ScaledByWarroom\" and .source.component == \"warroom\"
    and (.message | contains(\"$(id -un)\")))' >/dev/null"

K rollout restart deploy/twin-k >/dev/null
out=$(W do restart twin-w --yes 2>&1); rc=$?
wait_rolled twin-k; wait_rolled twin-w
expect_eq restart_exit 0 "$rc"
check restart_output grep -q '^deployment.apps/twin-w restarted$' <<<"$out"
check restart_follow grep -q 'successfully rolled out' <<<"$out"
expect_eq restart_parity_deploy "$(norm_deploy twin-k)" "$(norm_deploy twin-w)"
expect_eq restart_parity_rs "$(norm_rs twin-k)" "$(norm_rs twin-w)"
check restart_new_rs grep -q '"rev":"2"' <<<"$(norm_rs twin-w)"
check restart_history bash -c "kubectl --kubeconfig '$KC' -n $NS rollout history \
    deploy/twin-w | grep -q 'warroom do restart twin-w'"
check restart_event bash -c "kubectl --kubeconfig '$KC' -n $NS get events \
    --field-selector involvedObject.name=twin-w -o json | jq -e '.items[] |
    select(.reason == \"RestartedByWarroom\")' >/dev/null"

# --- dry-run ----------------------------------------------------------------
before=$(K get deploy auth-service -o jsonpath='{.metadata.resourceVersion}')
s=$(last_seq)
out=$(W do scale auth-service 7 --dry-run 2>&1); rc=$?
expect_eq dryrun_exit 0 "$rc"
check dryrun_preview grep -q 'replicas 2 → 7' <<<"$out"
expect_eq dryrun_no_mutation "" "$(mutations_since "$s")"
expect_eq dryrun_sent_dry "PATCH /apis/apps/v1/namespaces/$NS/deployments/auth-service/scale?dryRun=All" \
    "$(double_ctl "$KC" GET "/_double/requests?since=$s" | jq -r '.items[] | select(.method == "PATCH") | "\(.method) \(.path)"')"
expect_eq dryrun_unchanged "$before" \
    "$(K get deploy auth-service -o jsonpath='{.metadata.resourceVersion}')"
s=$(last_seq)
out=$(W do restart auth-service --dry-run 2>&1); rc=$?
expect_eq dryrun_restart "0 " "$rc $(mutations_since "$s")"

# --- read-only, denials -----------------------------------------------------
s=$(last_seq)
out=$(W --read-only do scale auth-service 5 --yes 2>&1); rc=$?
expect_eq readonly_exit 1 "$rc"
check readonly_reason grep -q 'read-only mode' <<<"$out"
expect_eq readonly_nothing_sent "" "$(double_ctl "$KC" GET "/_double/requests?since=$s" |
    jq -r '.items[] | select(.path | test("^/_double|^/version") | not) | .path')"
check readonly_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"refused\"'"

s=$(last_seq)
out=$(W --context viewer do scale auth-service 5 --yes 2>&1); rc=$?
expect_eq viewer_exit 1 "$rc"
check viewer_message grep -q 'may not patch deployments.apps/scale' <<<"$out"
expect_eq viewer_no_mutation "" "$(mutations_since "$s")"
check viewer_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"denied\" and .kube_user == \"viewer\"'"

double_ctl "$KC" POST /_double/ssar '{"allowed":false}' >/dev/null
s=$(last_seq)
out=$(W do restart auth-service --yes 2>&1); rc=$?
double_ctl "$KC" POST /_double/ssar '{"allowed":null}' >/dev/null
expect_eq ssar_forced_exit 1 "$rc"
expect_eq ssar_forced_no_mutation "" "$(mutations_since "$s")"
check ssar_forced_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"denied\"'"

double_ctl "$KC" POST /_double/fault \
    '{"mode":"status","code":403,"paths":"/deployments/auth-service/scale","count":5}' >/dev/null
out=$(W do scale auth-service 5 --yes 2>&1); rc=$?
double_ctl "$KC" POST /_double/fault '{"mode":"none"}' >/dev/null
expect_eq patch_403_exit 1 "$rc"
check patch_403_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"denied\"'"

# --- bad arguments ----------------------------------------------------------
s=$(last_seq)
out=$(W do scale no-such-deploy 3 --yes 2>&1); rc=$?
expect_eq bad_unknown "1" "$rc"
check bad_unknown_msg grep -q "deployment \"no-such-deploy\" not found in namespace \"$NS\"" <<<"$out"
out=$(W do scale auth-service -- -1 2>&1); rc=$?
expect_eq bad_negative "2" "$rc"
check bad_negative_msg grep -q 'must not be negative' <<<"$out"
out=$(W do scale auth-service abc 2>&1); rc=$?
expect_eq bad_nonnumeric "2" "$rc"
out=$(W do scale auth-service 2>&1); rc=$?
expect_eq bad_missing "2" "$rc"
out=$(W do frobnicate auth-service 2>&1); rc=$?
expect_eq bad_action "2" "$rc"
expect_eq bad_no_patch "" "$(mutations_since "$s")"

# --- conflict between preview and apply -------------------------------------
wait_rolled auth-service
rv0=$(K get deploy auth-service -o jsonpath='{.metadata.resourceVersion}')
WARROOM_TEST_PAUSE_BEFORE_APPLY=2 "$WARROOM" --kubeconfig "$KC" \
    do scale auth-service 6 --yes >"$T/conflict.out" 2>&1 &
wpid=$!
wait_for 5 bash -c "tail -n 1 '$AUDIT' | grep -q '\"phase\":\"started\"'"
K annotate deploy auth-service someone=else >/dev/null
wait $wpid; rc=$?
expect_eq conflict_exit 1 "$rc"
check conflict_message grep -q "deployment \"auth-service\" was changed by someone else since the preview (resourceVersion $rv0 → [0-9]*); nothing was applied" "$T/conflict.out"
expect_eq conflict_not_overwritten 2 "$(K get deploy auth-service -o jsonpath='{.spec.replicas}')"

# --- interactive confirmation ----------------------------------------------
out=$(echo n | W do scale auth-service 3 2>&1); rc=$?
expect_eq confirm_no "1 2" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"
out=$(echo yes | W do scale auth-service 3 2>&1); rc=$?
expect_eq confirm_yes "0 3" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"
out=$(W do scale auth-service 2 </dev/null 2>&1); rc=$?
expect_eq confirm_eof_is_no "1 3" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"

# --- the audit trail, and an unfinished entry after kill -9 -------------------
expect_eq audit_mode 600 "$(stat -c %a "$AUDIT")"
expect_eq audit_dir_mode 700 "$(stat -c %a "$XDG_STATE_HOME/warroom")"
check audit_json_lines jq -e -s 'length > 10 and all(.[]; has("time") and has("id") and has("phase"))' "$AUDIT"
check audit_phases bash -c "jq -r .phase '$AUDIT' | sort -u | tr '\n' ' ' |
    grep -q 'cancelled denied done failed previewed refused started'"
check audit_no_secrets bash -c "! grep -qiE 'token|password|BEGIN|client-key' '$AUDIT'"
check audit_cli bash -c "'$WARROOM' audit | grep -q 'done.*scale.*twin-w'"

WARROOM_TEST_PAUSE_BEFORE_APPLY=30 "$WARROOM" --kubeconfig "$KC" \
    do scale auth-service 5 --yes >/dev/null 2>&1 &
wpid=$!
wait_for 5 bash -c "tail -n 1 '$AUDIT' | grep -q '\"phase\":\"started\"'"
kill -9 $wpid; wait $wpid 2>/dev/null
out=$("$WARROOM" audit 2>&1 >/dev/null)
check unfinished_audit grep -q 'warroom: unfinished action from .*: scale auth-service 5 (started, no outcome recorded)' <<<"$out"
out=$(W do scale auth-service 3 --dry-run 2>&1)
check unfinished_do grep -q 'unfinished action from .*: scale auth-service 5' <<<"$out"
expect_eq unfinished_nothing_applied 3 "$(K get deploy auth-service -o jsonpath='{.spec.replicas}')"

t_done
