#!/usr/bin/env bash
# tests/fuzz/seeds.sh OUTDIR: the seed directory of each target,
# OUTDIR/TARGET/, from the hand-written tests/fuzz/seeds/TARGET/ and the
# recorded answers in tests/fixtures (referenced here, never copied into
# the tree).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: seeds.sh OUTDIR}
fx=$top/tests/fixtures

# seed TARGET FILES...: copy the files into TARGET's seeds.
seed() {
	local t=$1 f; shift
	mkdir -p "$out/$t"
	for f in "$@"; do
		[ -f "$f" ] || continue
		cp "$f" "$out/$t/$(echo "${f#"$top"/}" | tr / _)"
	done
}

rm -rf "$out"
mkdir -p "$out"
for d in "$top"/tests/fuzz/seeds/*/; do
	seed "$(basename "$d")" "$d"*
done
seed fuzz-kube-json "$fx"/kube/*.json "$fx"/kube/*.jsonl \
    "$fx"/kube-real/*.json "$fx"/kube-real/*.jsonl
seed fuzz-prom "$fx"/prom/query_*.json "$fx"/prom/error_*.json \
    "$fx"/prom/error_*.txt "$fx"/prom/rules.json "$fx"/prom/alerts.json
seed fuzz-am "$fx"/prom/am_*.json "$fx"/prom/am_*.txt \
    "$fx"/prom/silence_create.json
seed fuzz-kubeconfig "$fx"/kubeconfig/*.yaml "$fx"/kubeconfig/merge/*/config
seed fuzz-config "$fx"/config/*.conf "$fx"/config/sub/* \
    "$top"/keymaps/* "$top"/themes/*
# Every target has a directory, even if it has no seed yet.
for f in "$top"/tests/fuzz/fuzz-*.c; do
	mkdir -p "$out/$(basename "${f%.c}")"
done
