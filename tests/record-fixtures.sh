#!/usr/bin/env bash
# tests/record-fixtures.sh KUBECONFIG: record the Kubernetes responses the
# unit tests decode from a real kube-apiserver seeded by seed-kcp.sh, with
# kubectl's own output for the same pods beside them. Not run by the suite:
# run it by hand after `tests/stack/k8s-real.sh up DIR && ... seed DIR`.
set -euo pipefail
kc=${1:?usage: record-fixtures.sh KUBECONFIG}
out=$(cd "$(dirname "$0")" && pwd)/fixtures/kube-real
ns=soundcore-kcp-prod
mkdir -p "$out"
server=$(kubectl --kubeconfig "$kc" config view --minify -o jsonpath='{.clusters[0].cluster.server}')
ca=$(kubectl --kubeconfig "$kc" config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority}')
token=$(kubectl --kubeconfig "$kc" config view --minify --raw -o jsonpath='{.users[0].user.token}')
table='application/json;as=Table;v=v1;g=meta.k8s.io,application/json'
get() { curl -sS --cacert "$ca" -H "Authorization: Bearer $token" -H "Accept: ${2:-application/json}" "$server$1"; }

get "/api/v1/namespaces/$ns/pods" > "$out/pods-list.json"
get "/api/v1/namespaces/$ns/pods" "$table" > "$out/pods-table.json"
get "/api/v1/namespaces/$ns/pods?limit=5" "$table" > "$out/pods-table-page1.json"
get "/apis/apps/v1/namespaces/$ns/deployments" > "$out/deployments-list.json"
get "/apis/apps/v1/namespaces/$ns/replicasets" > "$out/replicasets-list.json"
get "/apis/apps/v1/namespaces/$ns/deployments/nope" > "$out/status-404.json"
rv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["resourceVersion"])' "$out/pods-table.json")
# A Table watch from the list's RV, with one change made while it runs.
( get "/api/v1/namespaces/$ns/pods?watch=1&resourceVersion=$rv&timeoutSeconds=4" "$table" > "$out/watch-pods-table.jsonl" ) &
sleep 1
pod=$(kubectl --kubeconfig "$kc" -n $ns get pods -o name | grep frontend | head -n 1)
kubectl --kubeconfig "$kc" -n $ns label "$pod" recorded=yes --overwrite >/dev/null
wait
kubectl --kubeconfig "$kc" -n $ns get pods --no-headers > "$out/kubectl-get-pods.txt"
echo "recorded into $out"
