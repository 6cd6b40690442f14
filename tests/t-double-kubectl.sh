#!/usr/bin/env bash
# t-double-kubectl.sh: proves tests/kube-double faithful enough by driving the real
# kubectl 1.32 against it (k8s-api.md section 9): get, get -A, get -w, scale (PATCH and
# PUT paths), rollout undo/history/restart/status/pause, set env, set resources, RBAC
# and error messages, plus a few raw API checks with curl. One PASS/FAIL line per case.
. "$(dirname "$0")/lib.sh"

DOUBLE=$T_TOP/tests/kube-double
NS=soundcore-kcp-prod
unset KUBECONFIG

for tool in kubectl openssl curl jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		skip "double-kubectl" "$tool is not installed"
		t_done; exit
	fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-double-kubectl.XXXXXX")
WATCH_PID=
cleanup() {
	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	"$DOUBLE/down.sh" "$TMP/double" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(free_port)
if ! KC=$("$DOUBLE/up.sh" "$TMP/double" --port "$PORT" --ready-delay 0.2 2>"$TMP/up.err"); then
	fail "double-start" "$(tail -n 5 "$TMP/up.err" | tr '\n' ' ')"
	t_done; exit
fi
pass "double-start"
export HOME=$TMP/home
mkdir -p "$HOME"
. "$TMP/double/env"

K() { kubectl --kubeconfig "$KC" --cache-dir "$TMP/cache" --request-timeout=20s "$@"; }
KN() { K -n "$NS" "$@"; }
ctl() { curl -sS --max-time 10 --cacert "$KUBE_DOUBLE_CA" -H "Authorization: Bearer $KUBE_DOUBLE_ADMIN_TOKEN" "$@"; }
api() { ctl "$KUBE_DOUBLE_SERVER$1" "${@:2}"; }
image_of() { KN get deploy "$1" -o jsonpath='{.spec.template.spec.containers[0].image}'; }
revisions() { KN rollout history "deploy/$1" | awk 'NR > 2 && NF { printf "%s%s", sep, $1; sep = "," }'; }
deploy_done() { # deploy_done NAME N: N replicas, all updated, ready and available, old ones gone
	[ "$(KN get deploy "$1" -o jsonpath='{.status.replicas}/{.status.updatedReplicas}/{.status.readyReplicas}/{.status.availableReplicas}')" = "$2/$2/$2/$2" ]
}

# ------------------------------------------------------------------------------------ get
out=$(KN get pods 2>&1)
missing=
for s in Running CrashLoopBackOff OOMKilled Pending ImagePullBackOff; do
	printf '%s\n' "$out" | awk 'NR > 1 { print $3 }' | grep -qx "$s" || missing="$missing $s"
done
if [ -z "$missing" ] && printf '%s\n' "$out" | head -1 | grep -q '^NAME  *READY  *STATUS  *RESTARTS  *AGE$' &&
	printf '%s\n' "$out" | grep -q 'CrashLoopBackOff   7 ([0-9]*[sm]*[0-9]*s* ago)'; then
	pass "get-pods-status"
else
	fail "get-pods-status" "missing:$missing; $(printf '%s' "$out" | head -3 | tr '\n' '|')"
fi

out=$(K get pods -A 2>&1)
if printf '%s\n' "$out" | head -1 | grep -q '^NAMESPACE  *NAME  *READY' &&
	printf '%s\n' "$out" | grep -q "^$NS " && printf '%s\n' "$out" | grep -q '^kube-system '; then
	pass "get-pods-all-namespaces"
else
	fail "get-pods-all-namespaces" "$(printf '%s' "$out" | head -3 | tr '\n' '|')"
fi

out=$(KN get deploy 2>&1)
if printf '%s\n' "$out" | head -1 | grep -q '^NAME  *READY  *UP-TO-DATE  *AVAILABLE  *AGE$' &&
	printf '%s\n' "$out" | grep -Eq '^frontend +3/3 +3 +3 ' &&
	printf '%s\n' "$out" | grep -Eq '^knowledge-service +2/3 +3 +2 ' &&
	printf '%s\n' "$out" | grep -Eq '^content-service +1/2 +2 +1 '; then
	pass "get-deploy"
else
	fail "get-deploy" "$(printf '%s' "$out" | tr '\n' '|')"
fi

out=$(K get deploy/nope 2>&1)
expect_eq "get-notfound" 'Error from server (NotFound): deployments.apps "nope" not found' "$out"

# ------------------------------------------------------------------------------------ get -w
KN get pods -w >"$TMP/watch.out" 2>&1 &
WATCH_PID=$!
POD=$(KN get pods -l app=content-service -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}' |
	awk '$2 == "Running" { print $1; exit }')
if wait_for 10 grep -q "^$POD " "$TMP/watch.out" &&
	api /_double/pod-status -X POST -d "{\"namespace\":\"$NS\",\"name\":\"$POD\",\"status\":{\"phase\":\"Running\",
		\"containerStatuses\":[{\"name\":\"content-service\",\"ready\":false,\"restartCount\":3,
		\"state\":{\"waiting\":{\"reason\":\"CreateContainerConfigError\"}}}]}}" >/dev/null &&
	wait_for 10 grep -Eq "^$POD +0/1 +CreateContainerConfigError +3 " "$TMP/watch.out"; then
	pass "get-pods-watch-sees-change"
else
	fail "get-pods-watch-sees-change" "$(tail -n 3 "$TMP/watch.out" | tr '\n' '|')"
fi
closed=$(api /_double/fault -X POST -d '{"mode":"close-streams"}' | jq -r .closed)
if wait_for 10 sh -c "! kill -0 $WATCH_PID 2>/dev/null"; then
	pass "get-pods-watch-ends-on-close-streams"
else
	fail "get-pods-watch-ends-on-close-streams" "kubectl still running after close-streams (closed=$closed)"
fi
WATCH_PID=

# ------------------------------------------------------------------------------------ scale
out=$(KN scale deploy/frontend --replicas=5 2>&1)
if [ "$out" = "deployment.apps/frontend scaled" ] && wait_for 20 deploy_done frontend 5 &&
	[ "$(KN get pods -l app=frontend --no-headers | grep -c ' Running ')" = 5 ] &&
	KN get deploy frontend --no-headers | grep -Eq '^frontend +5/5 +5 +5 '; then
	pass "scale-up-5-of-5"
else
	fail "scale-up-5-of-5" "$out; $(KN get deploy frontend --no-headers 2>&1)"
fi

seq=$(api /_double/requests | jq '[.items[].seq] | max')
out=$(KN scale deploy/frontend --current-replicas=5 --replicas=4 2>&1)
puts=$(api "/_double/requests?since=$seq" |
	jq '[.items[] | select(.method == "PUT" and (.path | split("?")[0] | endswith("/deployments/frontend/scale")))] | length')
if [ "$out" = "deployment.apps/frontend scaled" ] && [ "$puts" -ge 1 ] && wait_for 20 deploy_done frontend 4; then
	pass "scale-current-replicas-put"
else
	fail "scale-current-replicas-put" "$out; PUT requests: $puts"
fi

out=$(KN scale deploy/frontend --current-replicas=7 --replicas=3 2>&1); rc=$?
if [ $rc -ne 0 ] && [ "$out" = "error: Expected replicas to be 7, was 4" ]; then
	pass "scale-current-replicas-mismatch"
else
	fail "scale-current-replicas-mismatch" "rc=$rc: $out"
fi

out=$(K --context viewer -n "$NS" scale deploy/frontend --replicas=1 2>&1)
expect_eq "viewer-scale-forbidden" 'Error from server (Forbidden): deployments.apps "frontend" is forbidden: User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "soundcore-kcp-prod"' "$out"

# ------------------------------------------------------------------------------------ rollout history/undo
out=$(KN rollout history deploy/knowledge-service 2>&1)
want='deployment.apps/knowledge-service 
REVISION  CHANGE-CAUSE
1         initial deploy: knowledge-service on nginx:1.25.3-alpine
2         image nginx:1.25.4-alpine: search latency hotfix
3         image nginx:1.25.5-alpine: base image security update'
expect_eq "rollout-history-format" "$want" "$out"

out=$(KN rollout undo deploy/knowledge-service 2>&1)
if [ "$out" = "deployment.apps/knowledge-service rolled back" ] && wait_for 20 deploy_done knowledge-service 3 &&
	[ "$(revisions knowledge-service)" = "1,3,4" ] && [ "$(image_of knowledge-service)" = "nginx:1.25.4-alpine" ]; then
	pass "rollout-undo"
else
	fail "rollout-undo" "$out; revisions $(revisions knowledge-service); image $(image_of knowledge-service)"
fi

before=$(KN get deploy knowledge-service -o jsonpath='{.metadata.resourceVersion} {.metadata.generation}')
out=$(KN rollout undo deploy/knowledge-service --dry-run=server 2>&1)
sleep 0.5
after=$(KN get deploy knowledge-service -o jsonpath='{.metadata.resourceVersion} {.metadata.generation}')
if [ "$out" = "deployment.apps/knowledge-service rolled back (server dry run)" ] && [ "$before" = "$after" ] &&
	[ "$(revisions knowledge-service)" = "1,3,4" ] && [ "$(image_of knowledge-service)" = "nginx:1.25.4-alpine" ]; then
	pass "rollout-undo-server-dry-run"
else
	fail "rollout-undo-server-dry-run" "$out; before [$before] after [$after]; revisions $(revisions knowledge-service)"
fi

out=$(KN rollout undo deploy/knowledge-service --to-revision=1 2>&1)
if [ "$out" = "deployment.apps/knowledge-service rolled back" ] && wait_for 20 deploy_done knowledge-service 3 &&
	[ "$(revisions knowledge-service)" = "3,4,5" ] && [ "$(image_of knowledge-service)" = "nginx:1.25.3-alpine" ]; then
	pass "rollout-undo-to-revision"
else
	fail "rollout-undo-to-revision" "$out; revisions $(revisions knowledge-service); image $(image_of knowledge-service)"
fi

out=$(KN rollout undo deploy/knowledge-service --to-revision=5 2>&1)
expect_eq "rollout-undo-skip" \
	"deployment.apps/knowledge-service skipped rollback (current template already matches revision 5)" "$out"

out=$(KN rollout undo deploy/knowledge-service --to-revision=99 2>&1); rc=$?
if [ $rc -ne 0 ] && [ "$out" = "error: unable to find specified revision 99 in history" ]; then
	pass "rollout-undo-unknown-revision"
else
	fail "rollout-undo-unknown-revision" "rc=$rc: $out"
fi

KN rollout pause deploy/knowledge-service >/dev/null 2>&1
out=$(KN rollout undo deploy/knowledge-service 2>&1); rc=$?
KN rollout resume deploy/knowledge-service >/dev/null 2>&1
if [ $rc -ne 0 ] && [ "$out" = "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" ] &&
	[ "$(revisions knowledge-service)" = "3,4,5" ]; then
	pass "rollout-undo-paused-refused"
else
	fail "rollout-undo-paused-refused" "rc=$rc: $out"
fi

# ------------------------------------------------------------------------------------ restart + status
out=$(KN rollout restart deploy/frontend 2>&1)
status=$(timeout 40 kubectl --kubeconfig "$KC" --cache-dir "$TMP/cache" -n "$NS" rollout status deploy/frontend 2>&1)
if [ "$out" = "deployment.apps/frontend restarted" ] &&
	[ "$(printf '%s\n' "$status" | tail -n 1)" = 'deployment "frontend" successfully rolled out' ] &&
	[ -n "$(KN get deploy frontend -o jsonpath='{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}')" ]; then
	pass "rollout-restart-and-status"
else
	fail "rollout-restart-and-status" "$out; $(printf '%s' "$status" | tail -n 3 | tr '\n' '|')"
fi

# ------------------------------------------------------------------------------------ set env / resources
envs() { KN get deploy auth-service -o jsonpath='{range .spec.template.spec.containers[0].env[*]}{.name}={.value} {end}'; }
out=$(KN set env deploy/auth-service FOO=bar 2>&1)
if [ "$out" = "deployment.apps/auth-service env updated" ] &&
	[ "$(envs)" = "SERVICE_NAME=auth-service LOG_LEVEL=info KCP_REGION=eu-west-1 TOKEN_TTL=15m FOO=bar " ]; then
	pass "set-env-add"
else
	fail "set-env-add" "$out; env: $(envs)"
fi
out=$(KN set env deploy/auth-service FOO- 2>&1)
if [ "$out" = "deployment.apps/auth-service env updated" ] &&
	[ "$(envs)" = "SERVICE_NAME=auth-service LOG_LEVEL=info KCP_REGION=eu-west-1 TOKEN_TTL=15m " ]; then
	pass "set-env-remove"
else
	fail "set-env-remove" "$out; env: $(envs)"
fi

out=$(KN set resources deploy/analytics-service -c=analytics-service --limits=memory=512Mi 2>&1)
res=$(KN get deploy analytics-service -o jsonpath='{.spec.template.spec.containers[0].resources}')
if [ "$out" = "deployment.apps/analytics-service resource requirements updated" ] &&
	[ "$(printf '%s' "$res" | jq -c .)" = '{"limits":{"cpu":"1","memory":"512Mi"},"requests":{"cpu":"250m","memory":"192Mi"}}' ] &&
	wait_for 20 deploy_done analytics-service 2; then
	pass "set-resources"
else
	fail "set-resources" "$out; resources $res"
fi

# ------------------------------------------------------------------------------------ auth can-i (protobuf SSAR)
a=$(K auth can-i patch deployments -n "$NS" 2>&1)
v=$(K --context viewer auth can-i patch deployments -n "$NS" 2>&1)
api /_double/ssar -X POST -d '{"allowed":false}' >/dev/null
f=$(K auth can-i patch deployments -n "$NS" 2>&1)
api /_double/ssar -X POST -d '{"allowed":null}' >/dev/null
if [ "$a/$v/$f" = "yes/no/no" ]; then pass "auth-can-i"; else fail "auth-can-i" "admin $a, viewer $v, forced $f"; fi

# ------------------------------------------------------------------------------------ raw API
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$KUBE_DOUBLE_CA" "$KUBE_DOUBLE_SERVER/api/v1/pods")
expect_eq "no-token-401" 401 "$code"

rv=$(api "/apis/apps/v1/namespaces/$NS/deployments/frontend/scale" | jq -r .metadata.resourceVersion)
out=$(api "/apis/apps/v1/namespaces/$NS/deployments/frontend/scale" -X PUT -H 'Content-Type: application/json' \
	-d "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"frontend\",\"namespace\":\"$NS\",\"resourceVersion\":\"$((rv - 1))\"},\"spec\":{\"replicas\":3}}")
expect_eq "scale-put-stale-rv-409" "409 Conflict" "$(printf '%s' "$out" | jq -r '"\(.code) \(.reason)"')"

page=$(api "/api/v1/namespaces/$NS/pods?limit=4")
tok=$(printf '%s' "$page" | jq -r .metadata.continue)
n2=$(api "/api/v1/namespaces/$NS/pods?limit=100&continue=$tok" | jq '.items | length')
total=$(api "/api/v1/namespaces/$NS/pods" | jq '.items | length')
api /_double/fault -X POST -d '{"mode":"status","code":410,"paths":"continue=","count":1}' >/dev/null
exp=$(api "/api/v1/namespaces/$NS/pods?limit=4&continue=$tok" | jq -r '"\(.code) \(.reason) \(.metadata.continue != null)"')
if [ "$(printf '%s' "$page" | jq '.items | length')" = 4 ] && [ $((4 + n2)) = "$total" ] && [ "$exp" = "410 Expired true" ]; then
	pass "list-limit-continue-and-expired"
else
	fail "list-limit-continue-and-expired" "first page + rest = 4 + $n2, total $total; expired: $exp"
fi

t_done
