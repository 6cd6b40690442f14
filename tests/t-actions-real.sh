#!/usr/bin/env bash
# t-actions-real.sh: 'warroom do scale|restart|rollback|degrade|restore|limits'
# against the REAL kube-apiserver + kube-controller-manager 1.20 of
# ../shared/k8s-real (tests/stack/k8s-real.sh). Twin deployments in a
# namespace of our own: one changed with kubectl, the other with warroom; the
# Deployments, their ReplicaSets and 'kubectl rollout history' must be the
# same (names, uids, resourceVersions, times, managedFields, change-cause
# text and restartedAt values aside). Also: dry runs change nothing, the
# viewer context is refused by the access review before anything is sent and
# audited, change-cause and Events are visible with kubectl.
# There is no kubelet: mark-ready.sh plays its part in a background loop.
# WARROOM_K8S_STATE=DIR reuses (or starts and keeps) a server in DIR.
. "$(dirname "$0")/lib.sh"

: "${WARROOM:=$T_TOP/build/warroom}"
REAL=${WARROOM_K8S_REAL:-$T_TOP/../shared/k8s-real}
T=$(mktemp -d "${TMPDIR:-/tmp}/t-actions-real.XXXXXX")
state=${WARROOM_K8S_STATE:-$T/k8s}
export HOME=$T/home XDG_STATE_HOME=$T/state WARROOM_ACTION_TIMEOUT=60
mkdir -p "$HOME"
NS=t-actions-real-$$
T0=$(date +%s)
# Where the time goes, on stderr (run-all.sh keeps only PASS/FAIL lines).
section() { echo "# $1 at $(( $(date +%s) - T0 )) s" >&2; }
AUDIT=$XDG_STATE_HOME/warroom/audit.log
KC=
MPID=
started_server=0

cleanup() {
	section cleanup
	if [ -n "$MPID" ]; then
		touch "$T/stop"
		[ -s "$T/watch.pid" ] && kill "$(cat "$T/watch.pid")" 2>/dev/null
		wait_for 10 bash -c "! kill -0 $MPID" || kill "$MPID" 2>/dev/null
		wait "$MPID" 2>/dev/null
		[ -s "$T/watch.pid" ] && kill "$(cat "$T/watch.pid")" 2>/dev/null
	fi
	if [ "$started_server" = 1 ] && [ -z "${WARROOM_K8S_STATE:-}" ]; then
		section down
		"$T_TOP/tests/stack/k8s-real.sh" down "$state" >/dev/null 2>&1
	elif [ -n "$KC" ]; then
		kubectl --kubeconfig "$KC" delete namespace "$NS" --wait=false \
		    >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- the server: reuse a running one in WARROOM_K8S_STATE, else start it ------
if [ -n "${WARROOM_K8S_STATE:-}" ] && [ -f "$state/kubeconfig" ] &&
    kubectl --kubeconfig "$state/kubeconfig" --request-timeout=5s get --raw /readyz \
    >/dev/null 2>&1; then
	KC=$state/kubeconfig
else
	started_server=1
	if ! KC=$("$T_TOP/tests/stack/k8s-real.sh" up "$state" 2>"$T/up.log"); then
		KC=
		fail real-server-up "$(tail -n 5 "$T/up.log" | tr '\n' ' ')"
		exit 1
	fi
fi
pass real-server-up

K() { kubectl --kubeconfig "$KC" -n "$NS" "$@"; }
printf 'degrade test-profile FEATURE_X=off LOG_LEVEL=warn\n' >"$T/config"
W() { "$WARROOM" --kubeconfig "$KC" -n "$NS" -c "$T/config" "$@"; }
ME=$(id -un)

if ! kubectl --kubeconfig "$KC" create namespace "$NS" >"$T/ns.log" 2>&1; then
	fail namespace "$(cat "$T/ns.log")"
	exit 1
fi

# The kubelet's stand-in: a pass of mark-ready.sh whenever a pod is created
# (a watch), and after 5 s of quiet; new pods are Running/Ready within a second.
mkfifo "$T/pods.fifo"
# It stops when told to, or when this script is gone.
marker_on() { [ ! -e "$T/stop" ] && [ -p "$T/pods.fifo" ] && kill -0 $$ 2>/dev/null; }
marker() {
	local w r ev
	while marker_on; do
		kubectl --kubeconfig "$KC" -n "$NS" get pods --watch-only \
		    --output-watch-events -o jsonpath='{.type}{"\n"}' \
		    >"$T/pods.fifo" 2>/dev/null &
		w=$!
		echo "$w" >"$T/watch.pid"
		"$REAL/mark-ready.sh" "$KC" "$NS" >/dev/null 2>&1
		while marker_on; do
			read -r -t 5 ev; r=$?
			[ "$r" -eq 1 ] && break		# end of the watch
			[ "$r" -eq 0 ] && [ "$ev" != ADDED ] && continue
			while read -r -t 0.2 _; do :; done
			"$REAL/mark-ready.sh" "$KC" "$NS" >/dev/null 2>&1
		done <"$T/pods.fifo"
		kill "$w" 2>/dev/null
		wait "$w" 2>/dev/null
		sleep 0.5
	done
}
marker &
MPID=$!

# --- normalization -------------------------------------------------------------
# Names become X, ReplicaSet hashes X-HASH; restartedAt values become T.
JQ_DEF='def names($n): walk(if type == "string" then gsub($n; "X") |
	    gsub("X-[0-9a-z]{6,10}"; "X-HASH") else . end);
	def restarted: if .template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]
	    then .template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] = "T"
	    else . end;
	def noempty: walk(if type == "object" then with_entries(select(.value != {})) else . end);'

# The Deployment NAME from a list FILE (kubectl get deploy,rs -o json),
# without names, ids, times, change-cause or warroom's record.
norm_deploy() {
	jq -S --arg n "$2" "$JQ_DEF"'
	    .items[] | select(.kind == "Deployment" and .metadata.name == $n)
	    | del(.metadata.name, .metadata.uid, .metadata.resourceVersion,
	        .metadata.creationTimestamp, .metadata.managedFields, .metadata.selfLink,
	        .metadata.generation, .status.observedGeneration,
	        .metadata.annotations["kubernetes.io/change-cause"],
	        .metadata.annotations["warroom.io/degraded"])
	    | .spec |= restarted
	    | .status.conditions |= (map(del(.lastUpdateTime, .lastTransitionTime)) | sort_by(.type))
	    | noempty | names($n)' "$1" | grep . || echo "no deployment $2"
}
# Its metadata.generation and status.observedGeneration, compared apart.
generation() {
	jq -r --arg n "$2" '.items[] | select(.kind == "Deployment" and .metadata.name == $n)
	    | "\(.metadata.generation) \(.status.observedGeneration)"' "$1"
}
# Its ReplicaSets, by revision: annotations, labels, generation, owner, spec
# (template included) and status.
norm_rs() {
	jq -S --arg n "$2" "$JQ_DEF"'
	    [.items[] | select(.kind == "ReplicaSet" and .metadata.labels.app == $n) | {
	      annotations: (.metadata.annotations | del(.["kubernetes.io/change-cause"],
	          .["warroom.io/degraded"])),
	      labels: (.metadata.labels | del(.["pod-template-hash"])),
	      generation: .metadata.generation,
	      owner: [.metadata.ownerReferences[] | del(.uid)],
	      spec: (.spec | del(.selector.matchLabels["pod-template-hash"],
	          .template.metadata.labels["pod-template-hash"]) | restarted),
	      status: (.status | del(.conditions))}]
	    | sort_by(.annotations["deployment.kubernetes.io/revision"] | tonumber)
	    | select(length > 0) | noempty | names($n)' "$1" | grep . || echo "no replicasets for $2"
}
# NAME's part of a 'kubectl rollout history' FILE, without the change-cause
# column.
norm_history() {
	awk -v h="deployment.apps/$2 " 'BEGIN { RS = "" } index($0, h) == 1' "$1" |
	    sed "s/$2/X/g" | awk '{ print $1 }' | grep . || echo "no history for $2"
}
# Everything compared for a pair: same NAME KUBECTL-TWIN WARROOM-TWIN.
same() {
	local f=$T/same.json
	K get deploy,rs -l "app in ($2,$3)" -o json >"$f"
	K rollout history "deploy/$2" "deploy/$3" >"$T/history" 2>&1
	expect_eq "$1-generation" "$(generation "$f" "$2")" "$(generation "$f" "$3")"
	expect_eq "$1-deploy" "$(norm_deploy "$f" "$2")" "$(norm_deploy "$f" "$3")"
	expect_eq "$1-replicasets" "$(norm_rs "$f" "$2")" "$(norm_rs "$f" "$3")"
	expect_eq "$1-history" "$(norm_history "$T/history" "$2")" "$(norm_history "$T/history" "$3")"
}

# Rolled out and quiet: each deployment named and each of its ReplicaSets
# have observed their spec, and every replica asked for is ready and available.
settled_once() {
	K get deploy,rs -l "app in ($(IFS=,; echo "$*"))" -o json | jq -e --argjson n $# '
	    ([.items[] | select(.kind == "Deployment")] | length == $n) and
	    all(.items[]; (.status.observedGeneration // 0) >= .metadata.generation and
	        (.status.replicas // 0) == .spec.replicas and
	        (.status.readyReplicas // 0) == .spec.replicas and
	        (.status.availableReplicas // 0) == .spec.replicas) and
	    all(.items[] | select(.kind == "Deployment");
	        (.status.updatedReplicas // 0) == .spec.replicas and
	        (.spec.paused or any(.status.conditions[]?; .type == "Progressing" and
	            .reason == "NewReplicaSetAvailable")))' >/dev/null
}
settled() {
	local end=$(( $(date +%s) + 60 ))
	until settled_once "$@"; do
		[ "$(date +%s)" -lt $end ] ||
		    { fail "settled-${1%-*}" "$* not rolled out after 60 s"; return 1; }
		sleep 0.3
	done
}
rv() { K get deploy "$1" -o jsonpath='{.metadata.resourceVersion}'; }
# The resourceVersions and generations of a deployment and its ReplicaSets.
gen_rs() {
	K get deploy,rs -l "app=$1" -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.resourceVersion} {.metadata.generation}{"\n"}{end}'
}
# The Event warroom created on the deployment, visible with kubectl.
event_ok() {
	local d=$1 reason=$2 uid
	uid=$(K get deploy "$d" -o jsonpath='{.metadata.uid}')
	K get events --field-selector "involvedObject.name=$d,reason=$reason" -o json |
	    jq -e --arg uid "$uid" --arg me "$ME" '.items | length == 1 and
	    all(.[]; .source.component == "warroom" and .involvedObject.kind == "Deployment" and
	        .involvedObject.uid == $uid and (.message | contains($me)))'
}
history_has() { K rollout history "deploy/$1" | grep -q "$2"; }
cause() { K get deploy "$1" -o jsonpath='{.metadata.annotations.kubernetes\.io/change-cause}'; }
last_audit() { tail -n 1 "$AUDIT" | jq -e "$1"; }

# --- the twins ----------------------------------------------------------------
section twins
IMG=registry.local/auth-service
SIDE=registry.local/cache-sidecar
# Like 'kubectl create deployment NAME --image=IMAGE... --replicas=N'.
deployment() {
	jq -n --arg n "$1" --argjson r "$2" --args '{apiVersion: "apps/v1", kind: "Deployment",
	    metadata: {name: $n, labels: {app: $n}},
	    spec: {replicas: $r, selector: {matchLabels: {app: $n}},
	        template: {metadata: {labels: {app: $n}}, spec: {containers:
	            [$ARGS.positional[] | {name: (split("/")[-1] | split(":")[0]), image: .}]}}}}' \
	    "${@:3}"
}
{
	for d in sc-kubectl sc-warroom rs-kubectl rs-warroom; do
		deployment "$d" 2 $IMG:v1
	done
	for d in rb-kubectl rb-warroom; do deployment "$d" 1 $IMG:v1; done
	for d in dg-kubectl dg-warroom; do deployment "$d" 1 $IMG:v1 $SIDE:v1; done
	for d in lm-kubectl lm-warroom dry; do deployment "$d" 1 $IMG:v1; done
} | jq -s '{apiVersion: "v1", kind: "List", items: .}' >"$T/twins.json"
K create -f "$T/twins.json" >/dev/null
settled rb-kubectl rb-warroom dg-kubectl dg-warroom dry
K set image deploy/rb-kubectl deploy/rb-warroom deploy/dry auth-service=$IMG:v2 >/dev/null
K set env deploy/dg-kubectl deploy/dg-warroom LOG_LEVEL=info KEEP=1 FEATURE_X=on >/dev/null
settled sc-kubectl sc-warroom rs-kubectl rs-warroom rb-kubectl rb-warroom \
    dg-kubectl dg-warroom lm-kubectl lm-warroom dry
same twins-start sc-kubectl sc-warroom
same twins-start-env dg-kubectl dg-warroom

# --- scale = kubectl scale --------------------------------------------------------
section scale
K scale deploy/sc-kubectl --replicas=3 >/dev/null
out=$(W do scale sc-warroom 3 --yes 2>&1); rc=$?
settled sc-kubectl sc-warroom
expect_eq scale-exit 0 "$rc"
check scale-preview grep -q 'replicas 2 → 3' <<<"$out"
check scale-followed grep -q 'deployment "sc-warroom" successfully rolled out' <<<"$out"
same scale sc-kubectl sc-warroom
expect_eq scale-change-cause "warroom do scale sc-warroom 3 by $ME" "$(cause sc-warroom)"
check scale-change-cause-in-history wait_for 10 history_has sc-warroom "^1 .*warroom do scale sc-warroom 3 by $ME"
check scale-event event_ok sc-warroom ScaledByWarroom
check scale-audited last_audit '.phase == "done" and .action == "scale" and .target == "sc-warroom"
    and .args == "3" and .context == "admin" and .namespace == "'"$NS"'"'

K scale deploy/sc-kubectl --replicas=1 >/dev/null
out=$(W do scale sc-warroom 1 --yes 2>&1); rc=$?
settled sc-kubectl sc-warroom
expect_eq scale-down-exit 0 "$rc"
same scale-down sc-kubectl sc-warroom

# --- restart = kubectl rollout restart --------------------------------------------
section restart
K rollout restart deploy/rs-kubectl >/dev/null
out=$(W do restart rs-warroom --yes 2>&1); rc=$?
settled rs-kubectl rs-warroom
expect_eq restart-exit 0 "$rc"
check restart-output grep -q '^deployment.apps/rs-warroom restarted$' <<<"$out"
check restart-followed grep -q 'deployment "rs-warroom" successfully rolled out' <<<"$out"
same restart rs-kubectl rs-warroom
check restart-new-revision bash -c "[ \"\$(kubectl --kubeconfig '$KC' -n $NS get rs -l app=rs-warroom \
    -o jsonpath='{.items[*].metadata.annotations.deployment\.kubernetes\.io/revision}' |
    tr ' ' '\n' | sort -n | tr '\n' ' ')\" = '1 2 ' ]"
expect_eq restart-change-cause "warroom do restart rs-warroom by $ME" "$(cause rs-warroom)"
check restart-change-cause-in-history wait_for 10 history_has rs-warroom "^2 .*warroom do restart rs-warroom by $ME"
check restart-event event_ok rs-warroom RestartedByWarroom
check restart-event-in-describe bash -c "kubectl --kubeconfig '$KC' -n $NS describe \
    deploy/rs-warroom | grep -q 'RestartedByWarroom.*warroom'"

# --- rollback = kubectl rollout undo ------------------------------------------------
section rollback
K rollout undo deploy/rb-kubectl >/dev/null
out=$(W do rollback rb-warroom --yes 2>&1); rc=$?
settled rb-kubectl rb-warroom
expect_eq rollback-exit 0 "$rc"
check rollback-output grep -q '^deployment.apps/rb-warroom rolled back$' <<<"$out"
check rollback-preview grep -q "image $IMG:v2 → $IMG:v1; back to revision 1" <<<"$out"
same rollback rb-kubectl rb-warroom
expect_eq rollback-image "$IMG:v1" \
    "$(K get deploy rb-warroom -o jsonpath='{.spec.template.spec.containers[0].image}')"
check rollback-event event_ok rb-warroom RolledBackByWarroom

K rollout undo deploy/rb-kubectl --to-revision=2 >/dev/null
out=$(W do rollback rb-warroom --to-revision 2 --yes 2>&1); rc=$?
settled rb-kubectl rb-warroom
expect_eq rollback-to-revision-exit 0 "$rc"
check rollback-to-revision-preview grep -q "image $IMG:v1 → $IMG:v2; back to revision 2" <<<"$out"
same rollback-to-revision rb-kubectl rb-warroom
check rollback-to-revision-history wait_for 10 history_has rb-warroom "^4 .*warroom do rollback rb-warroom 2 by $ME"

# To the current template: kubectl says "skipped rollback" and changes nothing.
rvk=$(rv rb-kubectl) rvw=$(gen_rs rb-warroom)
kout=$(K rollout undo deploy/rb-kubectl --to-revision=4 2>&1); krc=$?
out=$(W do rollback rb-warroom --to-revision 4 --yes 2>/dev/null); rc=$?
expect_eq rollback-skipped-exit "$krc" "$rc"
expect_eq rollback-skipped-message "${kout//rb-kubectl/rb-warroom}" "$out"
expect_eq rollback-skipped-kubectl-unchanged "$rvk" "$(rv rb-kubectl)"
expect_eq rollback-skipped-unchanged "$rvw" "$(gen_rs rb-warroom)"
check rollback-skipped-audited last_audit '.phase == "done" and (.outcome | startswith("skipped rollback"))'
same rollback-skipped rb-kubectl rb-warroom

# A revision that is not there.
kout=$(K rollout undo deploy/rb-kubectl --to-revision=99 2>&1); krc=$?
out=$(W do rollback rb-warroom --to-revision 99 --yes 2>&1); rc=$?
expect_eq rollback-no-revision-exit "$krc" "$rc"
expect_eq rollback-no-revision-message "$kout" "$(grep '^error:' <<<"$out")"
expect_eq rollback-no-revision-unchanged "$rvw" "$(gen_rs rb-warroom)"

# A paused deployment: both refuse, with the same words, and change nothing.
K rollout pause deploy/rb-kubectl >/dev/null
K rollout pause deploy/rb-warroom >/dev/null
rvk=$(rv rb-kubectl) rvw=$(gen_rs rb-warroom)
kout=$(K rollout undo deploy/rb-kubectl 2>&1); krc=$?
out=$(W do rollback rb-warroom --yes 2>&1); rc=$?
expect_eq rollback-paused-exit "$krc" "$rc"
expect_eq rollback-paused-message "${kout//rb-kubectl/rb-warroom}" "$(grep '^error:' <<<"$out")"
expect_eq rollback-paused-kubectl-unchanged "$rvk" "$(rv rb-kubectl)"
expect_eq rollback-paused-unchanged "$rvw" "$(gen_rs rb-warroom)"
check rollback-paused-audited last_audit '.phase == "refused" and .action == "rollback"'
K rollout resume deploy/rb-kubectl >/dev/null
K rollout resume deploy/rb-warroom >/dev/null
settled rb-kubectl rb-warroom
same rollback-paused rb-kubectl rb-warroom

# --- dry runs change nothing -----------------------------------------------------------
section dry-run
# (restore is tried below, while dg-warroom is degraded)
before=$(gen_rs dry)
nev=$(K get events --field-selector involvedObject.name=dry -o name | wc -l)
for a in "scale dry 4" "restart dry" "rollback dry" "degrade dry db-fallback" \
    "limits dry memory=1Gi"; do
	set -- $a
	W do "$@" --dry-run >"$T/dry-$1.out" 2>&1; rc=$?
	expect_eq "dry-run-$1-exit" 0 "$rc"
	check "dry-run-$1-says-so" grep -q '^deployment.apps/dry .* (server dry run)$' "$T/dry-$1.out"
	expect_eq "dry-run-$1-unchanged" "$before" "$(gen_rs dry)"
done
check dry-run-scale-preview grep -q 'replicas 1 → 4' "$T/dry-scale.out"
check dry-run-restart-preview grep -q 'restartedAt set (.*): every pod is replaced' "$T/dry-restart.out"
check dry-run-rollback-preview grep -q "image $IMG:v2 → $IMG:v1; back to revision 1" "$T/dry-rollback.out"
check dry-run-degrade-preview grep -q 'ENABLE_DB_FALLBACK=true DISABLE_CACHE=true (profile db-fallback, every container)' "$T/dry-degrade.out"
check dry-run-limits-preview grep -q 'container auth-service: limits.memory (none) → 1Gi' "$T/dry-limits.out"
expect_eq dry-run-no-event "$nev" "$(K get events --field-selector involvedObject.name=dry -o name | wc -l)"
expect_eq dry-run-no-change-cause "" "$(cause dry)"
check dry-run-audited last_audit '.phase == "previewed"'

# --- degrade / restore = kubectl set env -----------------------------------------------
section degrade
# A profile from the config file, on a deployment with two containers whose
# env (LOG_LEVEL KEEP FEATURE_X) has both of its variables already: their
# order must stay, and restore puts the old values back.
K set env deploy/dg-kubectl FEATURE_X=off LOG_LEVEL=warn >/dev/null
out=$(W do degrade dg-warroom test-profile --yes 2>&1); rc=$?
settled dg-kubectl dg-warroom
expect_eq degrade-exit 0 "$rc"
check degrade-output grep -q '^deployment.apps/dg-warroom env updated$' <<<"$out"
check degrade-preview grep -q 'FEATURE_X=off LOG_LEVEL=warn (profile test-profile, every container)' <<<"$out"
same degrade dg-kubectl dg-warroom
check degrade-record bash -c "kubectl --kubeconfig '$KC' -n $NS get deploy dg-warroom -o json |
    jq -e '.metadata.annotations[\"warroom.io/degraded\"] | fromjson | .profile == \"test-profile\"'"
check degrade-event event_ok dg-warroom DegradedByWarroom

before=$(gen_rs dg-warroom)
out=$(W do restore dg-warroom --dry-run 2>&1); rc=$?
expect_eq dry-run-restore-exit 0 "$rc"
check dry-run-restore-preview grep -q 'FEATURE_X=on (back to before) LOG_LEVEL=info (back to before) (undoing profile test-profile)' <<<"$out"
expect_eq dry-run-restore-unchanged "$before" "$(gen_rs dg-warroom)"

K set env deploy/dg-kubectl FEATURE_X=on LOG_LEVEL=info >/dev/null
out=$(W do restore dg-warroom --yes 2>&1); rc=$?
settled dg-kubectl dg-warroom
expect_eq restore-exit 0 "$rc"
same restore dg-kubectl dg-warroom
expect_eq restore-record-removed "" \
    "$(K get deploy dg-warroom -o json | jq -r '.metadata.annotations["warroom.io/degraded"] // empty')"
check restore-event event_ok dg-warroom RestoredByWarroom

# The default profile (cache-fallback, built in): a new variable, and back.
K set env deploy/dg-kubectl ENABLE_CACHE_FALLBACK=true >/dev/null
out=$(W do degrade dg-warroom --yes 2>&1); rc=$?
settled dg-kubectl dg-warroom
expect_eq degrade-default-exit 0 "$rc"
same degrade-default dg-kubectl dg-warroom
K set env deploy/dg-kubectl ENABLE_CACHE_FALLBACK- >/dev/null
out=$(W do restore dg-warroom --yes 2>&1); rc=$?
settled dg-kubectl dg-warroom
expect_eq restore-default-exit 0 "$rc"
same restore-default dg-kubectl dg-warroom

# --- limits = kubectl set resources ------------------------------------------------------
section limits
K set resources deploy/lm-kubectl --limits=memory=4Gi,cpu=500m --requests=memory=1Gi >/dev/null
out=$(W do limits lm-warroom memory=4Gi cpu=0.5 requests.memory=1024Mi --yes 2>&1); rc=$?
settled lm-kubectl lm-warroom
expect_eq limits-exit 0 "$rc"
check limits-output grep -q '^deployment.apps/lm-warroom resource requirements updated$' <<<"$out"
same limits lm-kubectl lm-warroom
check limits-event event_ok lm-warroom ResourcesSetByWarroom
K set resources deploy/lm-kubectl -c auth-service --limits=memory=2Gi >/dev/null
out=$(W do limits lm-warroom auth-service memory=2Gi --yes 2>&1); rc=$?
settled lm-kubectl lm-warroom
expect_eq limits-merge-exit 0 "$rc"
same limits-merge lm-kubectl lm-warroom
expect_eq limits-merge-kept '{"limits":{"cpu":"500m","memory":"2Gi"},"requests":{"memory":"1Gi"}}' \
    "$(K get deploy lm-warroom -o json | jq -c -S '.spec.template.spec.containers[0].resources')"

# --- the viewer context: refused by the access review, before any change --------------------
section viewer
before=$(gen_rs dry)
kout=$(K --context viewer scale deploy/dry --replicas=5 2>&1); krc=$?
out=$(W --context viewer -v "$T/viewer.log" do scale dry 5 --yes 2>&1); rc=$?
expect_eq viewer-scale-exit "$krc" "$rc"
check viewer-kubectl-forbidden grep -q 'Forbidden.*cannot patch resource "deployments/scale"' <<<"$kout"
check viewer-scale-message grep -q "user \"viewer\" (context viewer) may not patch deployments.apps in namespace \"$NS\"" <<<"$out"
expect_eq viewer-scale-unchanged "$before" "$(gen_rs dry)"
check viewer-scale-asked-first grep -q 'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews' "$T/viewer.log"
check viewer-scale-nothing-sent bash -c "! grep -E 'kube: (PATCH|PUT|DELETE|POST /api/v1/namespaces/[^/]*/events)' '$T/viewer.log'"
id=$(tail -n 1 "$AUDIT" | jq -r .id)
expect_eq viewer-scale-audit-phases denied "$(jq -r --arg id "$id" 'select(.id == $id) | .phase' "$AUDIT" | tr '\n' ' ' | sed 's/ $//')"
check viewer-scale-audited last_audit '.phase == "denied" and .kube_user == "viewer" and .context == "viewer"
    and .action == "scale" and .target == "dry" and .namespace == "'"$NS"'"'
# 'warroom audit --json' and 'warroom audit -n 1' (README: warroom audit [--json] [-n N]).
line=$("$WARROOM" audit --json 2>/dev/null | tail -n 1)
expect_eq viewer-audit-json "$id denied viewer" \
    "$(jq -r '"\(.id) \(.phase) \(.kube_user)"' <<<"$line" 2>/dev/null || printf 'not JSON: %s' "$line")"
expect_eq viewer-audit-last-n 1 "$("$WARROOM" audit -n 1 2>/dev/null | grep -vc '^TIME ')"

out=$(W --context viewer do restart dry --yes 2>&1); rc=$?
expect_eq viewer-restart-exit 1 "$rc"
check viewer-restart-message grep -q 'may not patch deployments.apps in namespace' <<<"$out"
expect_eq viewer-restart-unchanged "$before" "$(gen_rs dry)"
check viewer-restart-audited last_audit '.phase == "denied" and .kube_user == "viewer" and .action == "restart"'

# --- the audit trail ---------------------------------------------------------------------------
section audit
expect_eq audit-mode 600 "$(stat -c %a "$AUDIT")"
check audit-every-change-started-first jq -e -s '
    (reduce .[] as $l ({}; .[$l.id] //= $l.phase)) as $first
    | [.[] | select(.phase == "done" and (.outcome | startswith("skipped") | not)) | $first[.id]]
    | length == 11 and all(. == "started")' "$AUDIT"

section end
t_done
