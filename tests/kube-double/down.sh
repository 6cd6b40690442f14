#!/usr/bin/env bash
# down.sh STATEDIR: stop the kube-double started for STATEDIR (SIGTERM: it saves
# STATEDIR/state.json and exits; SIGKILL after 15 s). Only the pid in STATEDIR/pid
# (which the double writes itself), and only if that process really is kube_double.py.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 STATEDIR" >&2; exit 2; }
DIR=$(cd "$1" 2>/dev/null && pwd) || { echo "down.sh: no such directory: $1" >&2; exit 1; }
[[ -s $DIR/pid ]] || { echo "down.sh: no kube-double running for $DIR" >&2; exit 0; }
pid=$(cat "$DIR/pid")
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "kube_double.py"; then
  echo "down.sh: pid $pid is not the kube-double of $DIR; removing the stale pid file" >&2
  rm -f "$DIR/pid"
  exit 0
fi
kill -TERM "$pid"
for _ in $(seq 150); do
  kill -0 "$pid" 2>/dev/null || exit 0
  sleep 0.1
done
echo "down.sh: pid $pid ignored SIGTERM for 15 s; killing it" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$DIR/pid"
