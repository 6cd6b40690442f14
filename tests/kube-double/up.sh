#!/usr/bin/env bash
# up.sh STATEDIR [kube_double.py options...]
#
# Starts the Kubernetes API double in the background with --state-dir STATEDIR, waits
# until it listens, and prints the kubeconfig path (STATEDIR/kubeconfig) on stdout.
# Its stdout/stderr go to STATEDIR/double.out and STATEDIR/double.log. Running it
# again on a stopped STATEDIR restarts the same cluster (state.json, port, tokens, CA).
# Stop it with down.sh STATEDIR.
set -euo pipefail

usage() { echo "usage: $0 STATEDIR [--port N] [--scenario kcp|empty|FILE.json] [--ready-delay S] [--live] ..." >&2; exit 2; }
[[ $# -ge 1 && $1 != -* ]] || usage
DIR=$1; shift
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=${KUBE_DOUBLE_PYTHON:-/usr/bin/python3}
[[ -x $PY ]] || PY=python3
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

if [[ -s $DIR/pid ]] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null &&
   tr '\0' ' ' <"/proc/$(cat "$DIR/pid")/cmdline" 2>/dev/null | grep -q kube_double.py; then
  echo "up.sh: a kube-double already runs for $DIR (pid $(cat "$DIR/pid")); run down.sh first" >&2
  exit 1
fi
rm -f "$DIR/pid" "$DIR/double.out"

nohup "$PY" "$HERE/kube_double.py" --state-dir "$DIR" "$@" >"$DIR/double.out" 2>"$DIR/double.log" </dev/null &
pid=$!
deadline=$(( $(date +%s) + ${KUBE_DOUBLE_START_TIMEOUT:-60} ))
while :; do
  if [[ -s $DIR/double.out ]]; then
    head -n 1 "$DIR/double.out"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "up.sh: kube-double exited during start-up; the end of $DIR/double.log:" >&2
    tail -n 20 "$DIR/double.log" >&2
    exit 1
  fi
  if (( $(date +%s) >= deadline )); then
    echo "up.sh: kube-double not ready after ${KUBE_DOUBLE_START_TIMEOUT:-60}s; stopping it" >&2
    kill "$pid" 2>/dev/null || true
    tail -n 20 "$DIR/double.log" >&2
    exit 1
  fi
  sleep 0.1
done
