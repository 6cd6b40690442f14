#!/usr/bin/env bash
# Credentials that would cross a network in clear text are said out loud,
# as insecure-skip-tls-verify is: a token or basic auth for Prometheus or
# Alertmanager over http:// to another host, PostgreSQL over TCP with
# sslmode disable/allow/prefer (libpq's default). Over https://, to this
# machine, or with sslmode=require: no warning.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-cleartext.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home; mkdir -p "$HOME"
unset PGHOST PGSSLMODE WARROOM_LOG

echo tok > "$tmp/token"; echo 'u:p' > "$tmp/basic"; chmod 600 "$tmp/token" "$tmp/basic"
port=$(free_port)
health="health svc http://127.0.0.1:$port/healthz"
run_check() { printf '%s\n' "$@" "$health" > "$tmp/conf"; "$W" -c "$tmp/conf" check > "$tmp/out" 2>&1; }

run_check "prometheus http://prom.example:9090 token-file $tmp/token"
check check-warns-token-over-http grep -q 'warning: prometheus: the bearer token (token-file) goes to prom.example over http:// in clear text' "$tmp/out"
run_check "alertmanager http://192.0.2.7:9093/ basic-auth-file $tmp/basic"
check check-warns-basic-over-http grep -q 'warning: alertmanager: the basic auth (basic-auth-file) goes to 192.0.2.7 over http://' "$tmp/out"
run_check "prometheus http://u:secret@prom.example/"
check check-warns-url-password grep -q 'warning: prometheus: the user and password in the URL goes to prom.example' "$tmp/out"
run_check "postgres \"host=db.example dbname=x connect_timeout=1\""
check check-warns-pg-sslmode-prefer grep -q "warning: postgres: sslmode=prefer (libpq's default) lets the password and queries go to db.example in clear text" "$tmp/out"
run_check "postgres postgresql://db.example/x?sslmode=disable&connect_timeout=1"
check check-warns-pg-sslmode-disable grep -q 'warning: postgres: sslmode=disable lets' "$tmp/out"

for conf in "prometheus https://prom.example:9090 token-file $tmp/token" \
    "prometheus http://127.0.0.1:9090 token-file $tmp/token" \
    "alertmanager http://[::1]:9093 basic-auth-file $tmp/basic" \
    "prometheus http://prom.example:9090" \
    "postgres \"host=db.example sslmode=require connect_timeout=1\"" \
    "postgres \"host=127.0.0.1 connect_timeout=1\"" \
    "postgres \"host=/run/postgresql connect_timeout=1\""; do
	run_check "$conf"
	if ! grep -q '^svc ' "$tmp/out"; then
		fail "no-warning: $conf" "check did not run: $(head -n 1 "$tmp/out")"
	elif grep -q 'warning:' "$tmp/out"; then
		fail "no-warning: $conf" "$(grep warning: "$tmp/out" | head -n 1)"
	else
		pass "no-warning: $conf"
	fi
done
t_done
