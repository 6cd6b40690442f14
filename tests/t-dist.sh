#!/usr/bin/env bash
# The release tarball builds: 'make dist' in the build directory, unpack it
# elsewhere, configure and build warroom and the tests from it, run the
# decoder tests there on the tarball's own fixtures, and compare its file
# list with what git tracks (a file a clone has and the tarball lacks).
. "$(dirname "$0")/lib.sh"

build=${WARROOM_BUILD:-$T_TOP/build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warroom-dist.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# make dist writes DISTDIR.tar.gz into the build directory; take it away
# at once so that two runs in the same build dir do not share it.
if ! make -C "$build" -s dist > "$tmp/dist.out" 2>&1; then
	fail "make-dist" "$(tail -n 5 "$tmp/dist.out" | tr '\n' ' ')"
	t_done; exit
fi
tarball=$(ls -t "$build"/warroom-*.tar.gz 2>/dev/null | head -n 1)
if [ -z "$tarball" ]; then
	fail "make-dist" "no warroom-*.tar.gz in $build"
	t_done; exit
fi
mv "$tarball" "$tmp/"
tarball=$tmp/$(basename "$tarball")
pass "make-dist"

# Every file git tracks is in the tarball, but for the CI entry point,
# git's own files and the stale autoheader output the build never reads.
if git -C "$T_TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	top=$(basename "$tarball" .tar.gz)
	tar tzf "$tarball" | sed -n "s|^$top/||p" | grep -v '/$' | sort > "$tmp/in-tar"
	git -C "$T_TOP" ls-files | grep -vE '^(\.ci/|\.gitignore$|config\.h\.in$)' |
	    sort > "$tmp/in-git"
	expect_eq "tarball-has-every-tracked-file" "" \
	    "$(comm -23 "$tmp/in-git" "$tmp/in-tar" | tr '\n' ' ')"
else
	skip "tarball-has-every-tracked-file" "$T_TOP is not a git work tree"
fi

mkdir -p "$tmp/src" "$tmp/build"
tar xzf "$tarball" -C "$tmp/src"
src=$(echo "$tmp"/src/warroom-*)
if (cd "$tmp/build" && "$src/configure" -q && make -j2 -s && make -j2 -s tests) \
    > "$tmp/build.out" 2>&1; then
	pass "tarball-builds-warroom-and-tests"
else
	fail "tarball-builds-warroom-and-tests" \
	    "$(grep -E 'error|No rule' "$tmp/build.out" | head -n 3 | tr '\n' ' ')"
	t_done; exit
fi
check "tarball-warroom-runs" "$tmp/build/warroom" --version

# The decoder and config tests read fixtures: run them from the tarball.
for t in test-decode-kube test-decode-prom test-cmdparse; do
	out=$(TEST_SRCDIR=$src/tests "$tmp/build/tests/$t" 2>&1)
	n=$(printf '%s\n' "$out" | grep -c '^PASS: ')
	bad=$(printf '%s\n' "$out" | grep '^FAIL: ' | head -n 3 | tr '\n' ' ')
	if [ "$n" -gt 0 ] && [ -z "$bad" ]; then
		pass "tarball-$t"
	else
		fail "tarball-$t" "$n passed; $bad"
	fi
done
t_done
