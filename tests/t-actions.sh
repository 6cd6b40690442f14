#!/bin/bash
# t-actions.sh: 'warroom do scale|restart|rollback|degrade|restore|limits'
# against the API double: kubectl parity, dry-run, read-only, denials, bad
# arguments, conflicts, the audit trail (and an unfinished entry after
# kill -9), Events, change-cause, follow.
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

last_seq() { double_last_seq "$KC"; }
mutations_since() { double_mutations_since "$KC" "$1"; }
# A Deployment normalized for comparison: no names, ids, times, change-cause.
norm_deploy() {
	K get deploy "$1" -o json | jq -S --arg n "$1" '
	    del(.metadata.name, .metadata.uid, .metadata.resourceVersion,
	        .metadata.creationTimestamp, .metadata.managedFields,
	        .metadata.annotations["kubernetes.io/change-cause"],
	        .spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"],
	        .status.conditions) | walk(if type == "string" then gsub($n; "X") else . end)'
}
# ReplicaSets of a deployment: revision, replicas, has-restartedAt, sorted;
# none (or kubectl failing) says so with the name, so two twins that both
# came back empty do not compare equal.
norm_rs() {
	K get rs -l "app=$1" -o json | jq -S -c '[.items[] | {rev: .metadata.annotations["deployment.kubernetes.io/revision"],
	    replicas: .spec.replicas, ready: .status.readyReplicas,
	    restarted: (.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] != null)}] | sort_by(.rev)
	    | select(length > 0)' | grep . || echo "no replicasets for $1"
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
expect_eq dryrun_sent_dry "PATCH /apis/apps/v1/namespaces/$NS/deployments/auth-service?dryRun=All" \
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
check viewer_message grep -q 'may not patch deployments.apps in namespace' <<<"$out"
expect_eq viewer_no_mutation "" "$(mutations_since "$s")"
check viewer_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"denied\" and .kube_user == \"viewer\"'"

# audit_only_since N ACTION TARGET: the audit log gained exactly one line
# since it had N lines, a denial of ACTION on TARGET (not a line an earlier
# case wrote).
audit_only_since() {
	tail -n +"$(($1 + 1))" "$AUDIT" | jq -se --arg a "$2" --arg t "$3" \
	    'length == 1 and (.[0] | .phase == "denied" and .action == $a and .target == $t)'
}
double_ctl "$KC" POST /_double/ssar '{"allowed":false}' >/dev/null
s=$(last_seq)
n=$(wc -l < "$AUDIT")
out=$(W do restart auth-service --yes 2>&1); rc=$?
double_ctl "$KC" POST /_double/ssar '{"allowed":null}' >/dev/null
expect_eq ssar_forced_exit 1 "$rc"
expect_eq ssar_forced_no_mutation "" "$(mutations_since "$s")"
check ssar_forced_audited audit_only_since "$n" restart auth-service

double_ctl "$KC" POST /_double/fault \
    '{"mode":"status","code":403,"paths":"/deployments/auth-service?dryRun","count":5}' >/dev/null
n=$(wc -l < "$AUDIT")
out=$(W do scale auth-service 5 --yes 2>&1); rc=$?
double_ctl "$KC" POST /_double/fault '{"mode":"none"}' >/dev/null
expect_eq patch_403_exit 1 "$rc"
check patch_403_audited audit_only_since "$n" scale auth-service

# --- bad arguments ----------------------------------------------------------
s=$(last_seq)
out=$(W do scale no-such-deploy 3 --yes 2>&1); rc=$?
expect_eq bad_unknown "1" "$rc"
check bad_unknown_msg grep -q "deployment \"no-such-deploy\" not found in namespace \"$NS\"" <<<"$out"
out=$(W do scale auth-service -- -1 2>&1); rc=$?
expect_eq bad_negative "2" "$rc"
check bad_negative_msg grep -q 'must not be negative' <<<"$out"
out=$(W do scale auth-service -1 2>&1); rc=$?
expect_eq bad_negative_no_dashdash "2" "$rc"
check bad_negative_no_dashdash_msg grep -q 'invalid replica count -1: the number of replicas must not be negative' <<<"$out"
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
check confirm_no_message grep -q 'cancelled: not confirmed; nothing was changed$' <<<"$out"
check confirm_no_not_an_error bash -c "! grep -q '^error' <<<'$out'"
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
expect_eq audit_cli_json_last_one 1 "$("$WARROOM" audit --json -n 1 | jq -s 'length')"
check audit_cli_json_parses bash -c "'$WARROOM' audit --json | jq -e -s 'length > 10' >/dev/null"
# Outside text in the trail (the previews' arrows at least) is not ASCII;
# 'audit --json' writes it escaped, as it may go to a terminal.
check audit_has_non_ascii env LC_ALL=C grep -q '[^ -~]' "$AUDIT"
check audit_cli_json_ascii bash -c "! '$WARROOM' audit --json | LC_ALL=C grep -q '[^ -~]'"
expect_eq audit_cli_bad_option 2 "$("$WARROOM" audit --nope >/dev/null 2>&1; echo $?)"

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

# --- rollback = kubectl rollout undo -----------------------------------------
# A Deployment for comparison, also without warroom's degrade record.
norm_deploy2() { norm_deploy "$1" | jq -S 'del(.metadata.annotations["warroom.io/degraded"])'; }
# ReplicaSets with their revision and image(s), sorted by revision.
norm_rs_img() {
	K get rs -l "app=$1" -o json | jq -S -c '[.items[] | {rev: .metadata.annotations["deployment.kubernetes.io/revision"],
	    replicas: .spec.replicas, images: [.spec.template.spec.containers[].image]}] | sort_by(.rev)
	    | select(length > 0)' | grep . || echo "no replicasets for $1"
}
last_audit() { tail -n 1 "$AUDIT" | jq -r "$1"; }
IMG=registry.local/auth-service
for d in rb-k rb-w; do
	K create deployment "$d" --image=$IMG:v1 --replicas=2 >/dev/null
	wait_rolled "$d"
	K set image "deploy/$d" auth-service=$IMG:v2 >/dev/null
	wait_rolled "$d"
done

s=$(last_seq)
out=$(W do rollback rb-w --dry-run 2>&1); rc=$?
expect_eq rollback_dryrun_exit 0 "$rc"
check rollback_dryrun_preview grep -q "image $IMG:v2 → $IMG:v1; back to revision 1" <<<"$out"
expect_eq rollback_dryrun_no_mutation "" "$(mutations_since "$s")"
expect_eq rollback_dryrun_json_patch "application/json-patch+json $NS/deployments/rb-w?dryRun=All" \
    "$(double_ctl "$KC" GET "/_double/requests?since=$s" | jq -r '.items[] | select(.method == "PATCH") |
    "\(.contentType) \(.path | sub(".*/namespaces/"; ""))"')"
expect_eq rollback_dryrun_unchanged "$IMG:v2" \
    "$(K get deploy rb-w -o jsonpath='{.spec.template.spec.containers[0].image}')"

K rollout undo deploy/rb-k >/dev/null
out=$(W do rollback rb-w --yes 2>&1); rc=$?
wait_rolled rb-k; wait_rolled rb-w
expect_eq rollback_exit 0 "$rc"
check rollback_output grep -q '^deployment.apps/rb-w rolled back$' <<<"$out"
check rollback_follow grep -q 'deployment "rb-w" successfully rolled out' <<<"$out"
expect_eq rollback_parity_deploy "$(norm_deploy rb-k)" "$(norm_deploy rb-w)"
expect_eq rollback_parity_rs "$(norm_rs_img rb-k)" "$(norm_rs_img rb-w)"
check rollback_history_moved grep -q "{\"images\":\[\"$IMG:v1\"\],\"replicas\":2,\"rev\":\"3\"}" <<<"$(norm_rs_img rb-w)"
check rollback_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"done\" and .action == \"rollback\" and .target == \"rb-w\"'"
check rollback_event bash -c "kubectl --kubeconfig '$KC' -n $NS get events \
    --field-selector involvedObject.name=rb-w -o json | jq -e '.items[] |
    select(.reason == \"RolledBackByWarroom\")' >/dev/null"

K rollout undo deploy/rb-k --to-revision=2 >/dev/null
out=$(W do rollback rb-w --to-revision 2 --yes 2>&1); rc=$?
wait_rolled rb-k; wait_rolled rb-w
expect_eq rollback_to_revision_exit 0 "$rc"
check rollback_to_revision_preview grep -q "image $IMG:v1 → $IMG:v2; back to revision 2" <<<"$out"
expect_eq rollback_to_revision_parity_deploy "$(norm_deploy rb-k)" "$(norm_deploy rb-w)"
expect_eq rollback_to_revision_parity_rs "$(norm_rs_img rb-k)" "$(norm_rs_img rb-w)"

kout=$(K rollout undo deploy/rb-k --to-revision=4 2>&1)
s=$(last_seq)
out=$(W do rollback rb-w 4 --yes 2>/dev/null); rc=$?
expect_eq rollback_skipped_exit 0 "$rc"
expect_eq rollback_skipped_message "${kout//rb-k/rb-w}" "$out"
expect_eq rollback_skipped_no_mutation "" "$(mutations_since "$s")"
expect_eq rollback_skipped_parity "$(norm_deploy rb-k)" "$(norm_deploy rb-w)"
check rollback_skipped_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"done\" and (.outcome | startswith(\"skipped rollback\"))'"

s=$(last_seq)
out=$(W do rollback rb-w 99 --yes 2>&1); rc=$?
expect_eq rollback_bad_revision_exit 1 "$rc"
check rollback_bad_revision_msg grep -q '^error: unable to find specified revision 99 in history$' <<<"$out"
out=$(W do rollback rb-w -- -1 2>&1); rc=$?
expect_eq rollback_negative_revision "2" "$rc"
check rollback_negative_revision_msg grep -q 'unable to find specified revision -1 in history' <<<"$out"
out=$(W do rollback rb-w -2 2>&1); rc=$?
check rollback_negative_no_dashdash grep -q 'unable to find specified revision -2 in history' <<<"$out"
out=$(W do rollback rb-w --to-revision -3 2>&1); rc=$?
check rollback_negative_option_value grep -q 'unable to find specified revision -3 in history' <<<"$out"
out=$(W do rollback rb-w x 2>&1); rc=$?
expect_eq rollback_nonnumeric_revision "2" "$rc"
out=$(W do rollback rb-w 1 2 2>&1); rc=$?
expect_eq rollback_too_many_args "2" "$rc"
expect_eq rollback_bad_no_mutation "" "$(mutations_since "$s")"
K rollout pause deploy/rb-w >/dev/null
s=$(last_seq)
out=$(W do rollback rb-w --yes 2>&1); rc=$?
expect_eq rollback_paused_no_mutation "" "$(mutations_since "$s")"
K rollout resume deploy/rb-w >/dev/null
expect_eq rollback_paused_exit 1 "$rc"
check rollback_paused_msg grep -q "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" <<<"$out"

# --- degrade / restore = kubectl set env ---------------------------------------
for d in dg-k dg-w; do
	K create deployment "$d" --image=$IMG:v1 --replicas=1 >/dev/null
	K set env "deploy/$d" DISABLE_CACHE=false KEEP=1 >/dev/null
	wait_rolled "$d"
done
s=$(last_seq)
out=$(W do degrade dg-w --dry-run 2>&1); rc=$?
expect_eq degrade_dryrun_exit 0 "$rc"
check degrade_default_profile grep -q 'ENABLE_CACHE_FALLBACK=true (profile cache-fallback, every container)' <<<"$out"
expect_eq degrade_dryrun_no_mutation "" "$(mutations_since "$s")"
out=$(W do degrade dg-w nope --yes 2>&1); rc=$?
expect_eq degrade_unknown_profile "2" "$rc"
check degrade_unknown_profile_msg grep -q 'unknown degrade profile "nope" (known: cache-fallback, db-fallback, no-realtime-stats, request-queue)' <<<"$out"
out=$(W do restore dg-w --yes 2>&1); rc=$?
expect_eq restore_not_degraded "1" "$rc"
check restore_not_degraded_msg grep -q 'was not degraded by warroom' <<<"$out"
expect_eq degrade_bad_nothing_sent "" "$(mutations_since "$s")"
expect_eq degrade_unknown_no_request "" "$(double_ctl "$KC" GET "/_double/requests?since=$s" |
    jq -r '.items[] | select(.path | test("dryRun=All|/_double|/version|selfsubjectaccessreviews|watch=true") | not) |
    select(.path | test("dg-w$") | not) | .path')"

K set env deploy/dg-k ENABLE_DB_FALLBACK=true DISABLE_CACHE=true >/dev/null
out=$(W do degrade dg-w db-fallback --yes 2>&1); rc=$?
wait_rolled dg-k; wait_rolled dg-w
expect_eq degrade_exit 0 "$rc"
check degrade_output grep -q '^deployment.apps/dg-w env updated$' <<<"$out"
expect_eq degrade_parity_deploy "$(norm_deploy2 dg-k)" "$(norm_deploy2 dg-w)"
expect_eq degrade_parity_rs "$(norm_rs dg-k)" "$(norm_rs dg-w)"
expect_eq degrade_record '{"DISABLE_CACHE":"true","ENABLE_DB_FALLBACK":"true"} db-fallback false' \
    "$(K get deploy dg-w -o json | jq -r '.metadata.annotations["warroom.io/degraded"] | fromjson |
    "\(.env | tojson) \(.profile) \(.previous[]["DISABLE_CACHE"].value)"')"
check degrade_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"done\" and .action == \"degrade\" and .args == \"db-fallback\"'"
s=$(last_seq)
out=$(W do degrade dg-w --yes 2>&1); rc=$?
expect_eq degrade_twice_refused "1 " "$rc $(mutations_since "$s")"

K set env deploy/dg-k ENABLE_DB_FALLBACK- DISABLE_CACHE=false >/dev/null
out=$(W do restore dg-w --yes 2>&1); rc=$?
wait_rolled dg-k; wait_rolled dg-w
expect_eq restore_exit 0 "$rc"
check restore_preview grep -q 'DISABLE_CACHE=false (back to before) ENABLE_DB_FALLBACK removed (undoing profile db-fallback)' <<<"$out"
expect_eq restore_parity_deploy "$(norm_deploy dg-k)" "$(norm_deploy dg-w)"
expect_eq restore_parity_rs "$(norm_rs dg-k)" "$(norm_rs dg-w)"
expect_eq restore_record_removed "" "$(K get deploy dg-w -o json | jq -r '.metadata.annotations["warroom.io/degraded"] // empty')"
check restore_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"done\" and .action == \"restore\"'"

# --- limits = kubectl set resources ---------------------------------------------
for d in lm-k lm-w; do
	K create deployment "$d" --image=$IMG:v1 --replicas=1 >/dev/null
	wait_rolled "$d"
done
K create deployment lm-two --image=registry.local/a:1 --image=registry.local/b:1 >/dev/null
s=$(last_seq)
out=$(W do limits lm-w memory=4Gi --dry-run 2>&1); rc=$?
expect_eq limits_dryrun_exit 0 "$rc"
check limits_dryrun_preview grep -q 'container auth-service: limits.memory (none) → 4Gi' <<<"$out"
expect_eq limits_dryrun_no_mutation "" "$(mutations_since "$s")"
out=$(W do limits lm-w memory=4GB --yes 2>&1); rc=$?
expect_eq limits_bad_quantity "2" "$rc"
check limits_bad_quantity_msg grep -q 'invalid quantity "4GB"' <<<"$out"
out=$(W do limits lm-w nope memory=1Gi --yes 2>&1); rc=$?
expect_eq limits_unknown_container "1" "$rc"
check limits_unknown_container_msg grep -q '^error: unable to find container named nope$' <<<"$out"
out=$(W do limits lm-two memory=1Gi --yes 2>&1); rc=$?
expect_eq limits_several_containers "1" "$rc"
check limits_several_containers_msg grep -q 'has 2 containers (a, b): name the one to change' <<<"$out"
out=$(W do limits lm-w auth-service --yes 2>&1); rc=$?
expect_eq limits_no_resources "2" "$rc"
expect_eq limits_bad_nothing_sent "" "$(mutations_since "$s")"

K set resources deploy/lm-k --limits=memory=4Gi,cpu=500m --requests=memory=1Gi >/dev/null
out=$(W do limits lm-w memory=4Gi cpu=0.5 requests.memory=1024Mi --yes 2>&1); rc=$?
wait_rolled lm-k; wait_rolled lm-w
expect_eq limits_exit 0 "$rc"
check limits_output grep -q '^deployment.apps/lm-w resource requirements updated$' <<<"$out"
expect_eq limits_parity_deploy "$(norm_deploy lm-k)" "$(norm_deploy lm-w)"
expect_eq limits_parity_rs "$(norm_rs lm-k)" "$(norm_rs lm-w)"
K set resources deploy/lm-k -c auth-service --limits=memory=2Gi >/dev/null
out=$(W do limits lm-w auth-service memory=2Gi --yes 2>&1); rc=$?
wait_rolled lm-k; wait_rolled lm-w
expect_eq limits_merge_exit 0 "$rc"
expect_eq limits_merge_parity "$(norm_deploy lm-k)" "$(norm_deploy lm-w)"
expect_eq limits_merge_kept '{"limits":{"cpu":"500m","memory":"2Gi"},"requests":{"memory":"1Gi"}}' \
    "$(K get deploy lm-w -o json | jq -c -S '.spec.template.spec.containers[0].resources')"
check limits_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"done\" and .action == \"limits\" and .args == \"auth-service memory=2Gi\"'"

# --- dangerous arguments and protected contexts: the name must be typed ---------
s=$(last_seq)
out=$(echo y | W do scale auth-service 0 2>&1); rc=$?
expect_eq scale_zero_y_refused "1 " "$rc $(mutations_since "$s")"
check scale_zero_warns grep -q 'scaling "auth-service" to 0 stops every pod' <<<"$out"
check scale_zero_asks_name grep -q 'Type the deployment name "auth-service" to apply' <<<"$out"
check scale_zero_mismatch grep -q 'cancelled: the name typed did not match; nothing was changed' <<<"$out"
out=$(echo auth-service | W do scale auth-service 0 2>&1); rc=$?
expect_eq scale_zero_named "0 0" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"
W do scale auth-service 3 --yes >/dev/null 2>&1
# --yes is no typed name: it must come with --confirm NAME, the target's.
rvof() { K get deploy auth-service -o jsonpath='{.metadata.resourceVersion}'; }
rv0=$(rvof); s=$(last_seq)
out=$(W do scale auth-service 0 --yes 2>&1); rc=$?
expect_eq scale_zero_yes_refused "1 $rv0 " "$rc $(rvof) $(mutations_since "$s")"
check scale_zero_yes_names_confirm grep -q '^error: scaling "auth-service" to 0 stops every pod: .*(--yes is not enough: add --confirm auth-service); nothing was sent$' <<<"$out"
check scale_zero_yes_audited bash -c "jq -s -e '.[-1] | .phase == \"refused\" and .action == \"scale\" and .args == \"0\"' '$AUDIT' >/dev/null"
out=$(W do scale auth-service 0 --yes --confirm auth-servic 2>&1); rc=$?
expect_eq scale_zero_confirm_wrong "1 $rv0 " "$rc $(rvof) $(mutations_since "$s")"
check scale_zero_confirm_wrong_msg grep -q -- '^error: --confirm "auth-servic" is not the target.s name "auth-service"; nothing was sent$' <<<"$out"
out=$(W do scale auth-service 0 --confirm auth-service 2>&1); rc=$?
expect_eq scale_zero_confirm "0 0" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"
W do scale auth-service 3 --yes >/dev/null 2>&1

printf 'set protected-contexts soundcore-*,admin\n' > "$T/protected.conf"
s=$(last_seq)
out=$(echo y | W -c "$T/protected.conf" do restart auth-service 2>&1); rc=$?
expect_eq protected_y_refused "1 " "$rc $(mutations_since "$s")"
check protected_says_why grep -q 'context "admin" is protected' <<<"$out"
out=$(echo auth-service | W -c "$T/protected.conf" do scale auth-service 2 2>&1); rc=$?
expect_eq protected_named "0 2" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"
rv0=$(rvof); s=$(last_seq)
out=$(W -c "$T/protected.conf" do restart auth-service --yes 2>&1); rc=$?
expect_eq protected_yes_refused "1 $rv0 " "$rc $(rvof) $(mutations_since "$s")"
check protected_yes_names_confirm grep -q '^error: context "admin" is protected: .*(--yes is not enough: add --confirm auth-service); nothing was sent$' <<<"$out"
out=$(W -c "$T/protected.conf" do scale auth-service 4 --yes --confirm auth-service 2>&1); rc=$?
expect_eq protected_confirm "0 4" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"
printf 'set protected-contexts prod-*\n' > "$T/other.conf"
out=$(echo y | W -c "$T/other.conf" do scale auth-service 3 2>&1); rc=$?
expect_eq unprotected_y_is_enough "0 3" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"

printf "set read-only-contexts 'staging, adm*'\\n" > "$T/ro.conf"
s=$(last_seq)
out=$(W -c "$T/ro.conf" do scale auth-service 5 --yes 2>&1); rc=$?
expect_eq readonly_context_refused "1 " "$rc $(mutations_since "$s")"
check readonly_context_reason grep -q 'read-only mode (the context is listed in read-only-contexts)' <<<"$out"
out=$(W -c "$T/ro.conf" --context viewer do scale auth-service 5 --dry-run 2>&1); rc=$?
check readonly_context_other_ctx_not_refused bash -c "! grep -q 'read-only mode' <<<'$out'"

# --- hpa = kubectl patch hpa (what to do instead of scaling an autoscaled one) ----
out=$(W do scale knowledge-service 9 --dry-run 2>&1)
check scale_hpa_warns grep -q 'HorizontalPodAutoscaler "knowledge-service-hpa" (min 3, max 20) manages deployment "knowledge-service": it will undo this scale; change the autoscaler.s range instead: warroom do hpa knowledge-service MIN MAX' <<<"$out"
for d in hp-k hp-w; do
	K create deployment "$d" --image=$IMG:v1 --replicas=2 >/dev/null
	K create --validate=false -f - >/dev/null <<-EOF
	{"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
	 "metadata": {"name": "$d-hpa"},
	 "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "$d"},
	          "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 80}}
	EOF
done
norm_hpa() {
	K get hpa "$1-hpa" -o json | jq -S --arg n "$1" '{spec, labels: .metadata.labels,
	    annotations: (.metadata.annotations // {} | del(.["kubernetes.io/change-cause"]) |
	    del(.["kubectl.kubernetes.io/last-applied-configuration"]))} |
	    walk(if type == "string" then gsub($n; "X") else . end)'
}
s=$(last_seq)
out=$(W do hpa hp-w 3 8 --dry-run 2>&1); rc=$?
expect_eq hpa_dryrun "0 " "$rc $(mutations_since "$s")"
check hpa_preview grep -q 'HorizontalPodAutoscaler hp-w-hpa: min 2 → 3, max 5 → 8' <<<"$out"
K patch hpa hp-k-hpa --type=merge -p '{"spec":{"minReplicas":3,"maxReplicas":8}}' >/dev/null
out=$(W do hpa hp-w 3 8 --yes 2>&1); rc=$?
expect_eq hpa_exit 0 "$rc"
check hpa_output grep -q '^horizontalpodautoscaler.autoscaling/hp-w-hpa patched$' <<<"$out"
expect_eq hpa_parity "$(norm_hpa hp-k)" "$(norm_hpa hp-w)"
expect_eq hpa_change_cause "warroom do hpa hp-w 3 8 by $(id -un)" \
    "$(K get hpa hp-w-hpa -o jsonpath='{.metadata.annotations.kubernetes\.io/change-cause}')"
check hpa_audited bash -c "tail -n 1 '$AUDIT' | jq -e '.phase == \"done\" and .action == \"hpa\" and .args == \"3 8\"'"
K patch hpa hp-k-hpa --type=merge -p '{"spec":{"maxReplicas":12}}' >/dev/null
out=$(W do hpa hp-w - 12 --yes 2>&1); rc=$?
expect_eq hpa_keep_min "0 3 12" "$rc $(K get hpa hp-w-hpa -o jsonpath='{.spec.minReplicas} {.spec.maxReplicas}')"
expect_eq hpa_keep_parity "$(norm_hpa hp-k)" "$(norm_hpa hp-w)"
s=$(last_seq)
out=$(W do hpa hp-w 3 12 --yes 2>&1); rc=$?
expect_eq hpa_unchanged_skipped "0 " "$rc $(mutations_since "$s")"
out=$(W do hpa hp-w 9 4 --yes 2>&1); rc=$?
expect_eq hpa_bad_min_above_max 2 "$rc"
check hpa_bad_min_above_max_msg grep -q 'minimum 9 is above maximum 4' <<<"$out"
out=$(W do hpa hp-w 0 4 --yes 2>&1); rc=$?
expect_eq hpa_bad_zero 2 "$rc"
out=$(W do hpa hp-w 13 - --yes 2>&1); rc=$?
expect_eq hpa_bad_min_above_current_max 1 "$rc"
check hpa_bad_min_above_current_max_msg grep -q 'minimum 13 would be above maximum 12' <<<"$out"
out=$(W do hpa auth-service 2 4 --yes 2>&1); rc=$?
expect_eq hpa_none 1 "$rc"
check hpa_none_msg grep -q 'no HorizontalPodAutoscaler targets deployment "auth-service"' <<<"$out"
expect_eq hpa_bad_nothing_sent "" "$(mutations_since "$s")"
out=$(W --context viewer do hpa hp-w 4 12 --yes 2>&1); rc=$?
expect_eq hpa_viewer_denied 1 "$rc"
check hpa_viewer_msg grep -q 'may not patch horizontalpodautoscalers.autoscaling' <<<"$out"

# --- errors from outside reach the terminal escaped ------------------------
# A context name and an exec plugin's stderr carrying ESC and a bidi
# override (U+202E) are shown as \x1b and \u{202e}, never sent.
evil=$'evil\e[2J\xe2\x80\xaegnp'
out=$(W --context "$evil" snapshot --json 2>&1 >/dev/null)
check kubeconfig_error_escaped grep -qF 'evil\x1b[2J\u{202e}gnp' <<<"$out"
expect_eq kubeconfig_error_no_raw_bytes 0 "$(grep -c $'\e\\|\xe2\x80\xae' <<<"$out")"
cat > "$T/plugin" <<'EOF'
#!/bin/sh
printf 'denied\033]0;x\007\342\200\256gnp' >&2
exit 1
EOF
chmod +x "$T/plugin"
server=$(kubectl --kubeconfig "$KC" config view --minify -o jsonpath='{.clusters[0].cluster.server}')
cat > "$T/kc-exec" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "$server", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: "$T/plugin", interactiveMode: Never}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
EOF
out=$("$WARROOM" --kubeconfig "$T/kc-exec" snapshot --json 2>&1 >/dev/null)
check exec_error_escaped grep -qF 'denied\x1b]0;x\x07\u{202e}gnp' <<<"$out"
expect_eq exec_error_no_raw_bytes 0 "$(grep -c $'\e\\|\a\\|\xe2\x80\xae' <<<"$out")"

# --- no audit line, no change: the started line first, the outcome on record ---
# A state directory whose audit.log is a directory, then a null device (a
# line written there is lost): refused, nothing sent, the Deployment
# untouched.
rv0=$(K get deploy auth-service -o jsonpath='{.metadata.resourceVersion}')
mkdir -p "$T/state-dir/warroom/audit.log" "$T/state-null/warroom"
# A null device of our own: as root a build that chmods what it opens must
# not change the system's /dev/null; another user cannot chmod it anyway.
if ! mknod "$T/state-null/warroom/audit.log" c 1 3 2>/dev/null && [ "$(id -u)" != 0 ]; then
	ln -s /dev/null "$T/state-null/warroom/audit.log"
fi
for st in dir null; do
	for a in "scale auth-service 4" "restart auth-service"; do
		n=${a%% *}_$st
		s=$(last_seq)
		out=$(XDG_STATE_HOME=$T/state-$st W do $a --yes 2>&1); rc=$?
		expect_eq audit_unwritable_${n}_refused "1 " "$rc $(mutations_since "$s")"
		expect_eq audit_unwritable_${n}_previewed 1 "$(double_ctl "$KC" GET "/_double/requests?since=$s" |
		    jq '[.items[] | select(.method == "PATCH" and (.path | test("dryRun=All")))] | length')"
		check audit_unwritable_${n}_says grep -q '^error: the action could not be recorded in the audit log; nothing was sent$' <<<"$out"
	done
done
check audit_unwritable_why_dir grep -q "^warroom: audit: $T/state-dir/warroom/audit.log: Is a directory$" <<<"$(XDG_STATE_HOME=$T/state-dir W do restart auth-service --yes 2>&1)"
check audit_unwritable_why_null grep -q "^warroom: audit: $T/state-null/warroom/audit.log: not a regular file$" <<<"$(XDG_STATE_HOME=$T/state-null W do restart auth-service --yes 2>&1)"
# A lock that cannot be made (the state directory is a file) says why.
: > "$T/state-file"
s=$(last_seq)
out=$(XDG_STATE_HOME=$T/state-file W do scale auth-service 4 --yes 2>&1); rc=$?
expect_eq lock_error_refused "1 " "$rc $(mutations_since "$s")"
check lock_error_is_itself grep -q '^error: cannot take the lock on "auth-service" in the state directory: Not a directory; nothing was sent$' <<<"$out"
expect_eq audit_unwritable_untouched "$rv0" "$(K get deploy auth-service -o jsonpath='{.metadata.resourceVersion}')"

# The started line written, the log replaced by a directory before the end:
# the change is made, but its outcome is not on record: exit 1, said.
mkdir -p "$T/state-swap"
WARROOM_TEST_PAUSE_BEFORE_APPLY=2 XDG_STATE_HOME=$T/state-swap "$WARROOM" --kubeconfig "$KC" \
    do scale auth-service 4 --yes >"$T/swap.out" 2>&1 &
wpid=$!
wait_for 5 grep -q '"phase":"started"' "$T/state-swap/warroom/audit.log"
mv "$T/state-swap/warroom/audit.log" "$T/state-swap/started.log"
mkdir "$T/state-swap/warroom/audit.log"
wait $wpid; rc=$?
expect_eq audit_final_unwritable "1 4" "$rc $(K get deploy auth-service -o jsonpath='{.spec.replicas}')"
check audit_final_unwritable_says grep -q '^error: the outcome (done) could not be written to the audit log$' "$T/swap.out"
check audit_final_started_on_record jq -e -s 'length == 1 and .[0].phase == "started" and .[0].action == "scale"' "$T/state-swap/started.log"
W do scale auth-service 3 --yes >/dev/null 2>&1

t_done
