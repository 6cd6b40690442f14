#!/usr/bin/env bash
# tests/stack/k8s-real.sh up|down|seed STATEDIR: the real kube-apiserver and
# controller-manager of ../shared/k8s-real, built once into a cache outside
# the clone (WARROOM_K8S_CACHE, default /var/tmp/warroom-k8s-real).
# "up" prints the kubeconfig path on stdout.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
real=${WARROOM_K8S_REAL:-$top/../shared/k8s-real}
cache=${WARROOM_K8S_CACHE:-/var/tmp/warroom-k8s-real}
cmd=${1:?usage: k8s-real.sh up|down|seed STATEDIR}
state=${2:?usage: k8s-real.sh up|down|seed STATEDIR}

[ -d "$real" ] || { echo "k8s-real.sh: $real not found" >&2; exit 1; }
case $cmd in
up)
	# Reuse a build made under the old default path, if there is one.
	if [ ! -x "$cache/bin/kube-apiserver" ] && [ -x /var/tmp/k8s-real/bin/kube-apiserver ] &&
	    [ -z "${WARROOM_K8S_CACHE:-}" ]; then
		cache=/var/tmp/k8s-real
	fi
	if [ ! -x "$cache/bin/kube-apiserver" ] || [ ! -x "$cache/bin/kube-controller-manager" ]; then
		echo "k8s-real.sh: building kube-apiserver into $cache (about 5 minutes, once)" >&2
		"$real/build.sh" "$cache" >&2
	fi
	"$real/up.sh" "$cache" "$state"
	;;
seed)
	"$real/seed-kcp.sh" "$state/kubeconfig" >&2
	;;
down)
	[ -f "$state/pids" ] && "$real/down.sh" "$state" >&2 || true
	;;
*)
	echo "k8s-real.sh: unknown command $cmd" >&2; exit 2
	;;
esac
