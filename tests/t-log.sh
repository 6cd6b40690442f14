#!/usr/bin/env bash
# --log: the file is ours alone (a symlink, a file shared with the group or
# others, refused with exit 2; a new one made 0600), and it holds no query
# string and no --notify path, where tokens and webhook secrets live.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-log.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home; mkdir -p "$HOME"
unset WARROOM_LOG

p1=$(free_port); p2=$(free_port)
printf 'health svc http://127.0.0.1:%s/healthz?token=qsecret1\n' "$p1" > "$tmp/conf"
"$W" -c "$tmp/conf" --log "$tmp/new.log" check \
    --notify "http://127.0.0.1:$p2/hooks/psecret2?x=qsecret3" > "$tmp/out" 2>&1
expect_eq log-new-file-0600 600 "$(stat -c %a "$tmp/new.log" 2>/dev/null)"
check log-has-the-requests grep -q "http://127.0.0.1:$p1/healthz" "$tmp/new.log"
check log-names-the-webhook-host grep -q "http://127.0.0.1:$p2/" "$tmp/new.log"
expect_eq log-no-query-no-webhook-path "" "$(grep -oE '[qp]secret[0-9]' "$tmp/new.log" | sort -u | tr '\n' ' ')"

touch "$tmp/target.log"; chmod 600 "$tmp/target.log"
ln -s "$tmp/target.log" "$tmp/link.log"
"$W" -c "$tmp/conf" --log "$tmp/link.log" check > "$tmp/out" 2>&1; rc=$?
expect_eq log-symlink-exit-2 2 "$rc"
check log-symlink-says-why grep -q 'link.log: is a symbolic link' "$tmp/out"
expect_eq log-symlink-target-untouched 0 "$(stat -c %s "$tmp/target.log")"

touch "$tmp/shared.log"; chmod 644 "$tmp/shared.log"
WARROOM_LOG=$tmp/shared.log "$W" -c "$tmp/conf" check > "$tmp/out" 2>&1; rc=$?
expect_eq log-0644-exit-2 2 "$rc"
check log-0644-says-why grep -q 'shared.log: readable or writable by others' "$tmp/out"
expect_eq log-0644-untouched 0 "$(stat -c %s "$tmp/shared.log")"
t_done
