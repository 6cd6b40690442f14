#!/usr/bin/env bash
# tests/fuzz/build.sh OUTDIR: the libFuzzer targets (tests/fuzz/fuzz-*.c)
# under ASan+UBSan with clang, and their seed directories, into OUTDIR.
# The project's objects (src/, and ui/ for the width of what is drawn and
# the keymap and theme commands; a target links only what it uses) are
# built with -fsanitize=fuzzer-no-link; nothing is written to the source
# tree. Prints the targets built, one a line.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: build.sh OUTDIR}
mkdir -p "$out/obj" "$out/seeds"
out=$(cd "$out" && pwd)
cc=${FUZZ_CC:-clang}
jobs=${FUZZ_JOBS:-2}

command -v "$cc" >/dev/null 2>&1 || { echo "build.sh: $cc not found" >&2; exit 1; }
pkgs="libuv libcurl jansson hiredis libpq yaml-0.1"
if pkg-config --exists ncursesw; then curses=ncursesw; else curses=ncurses; fi
# What configure would write into autoconf.h (kube.c's User-Agent).
version=$(sed -n 's/^AC_INIT(\[warroom\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
printf '#define PACKAGE "warroom"\n#define VERSION "%s"\n#define PACKAGE_VERSION "%s"\n' \
    "$version" "$version" > "$out/autoconf.h.new"
cmp -s "$out/autoconf.h.new" "$out/autoconf.h" || mv "$out/autoconf.h.new" "$out/autoconf.h"
rm -f "$out/autoconf.h.new"
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE
    -DWARROOM_DATADIR=\"$top\" -I$out -I$top/src -I$top/ui
    $(pkg-config --cflags $pkgs $curses)"
san="address,undefined"
# The targets are held to the project's warnings (configure.ac).
warn="-Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes
    -Wmissing-prototypes -Wno-unused-parameter -Wformat=2"
libs="$(pkg-config --libs $pkgs $curses) -lm"

# The objects, rebuilt when their source or a header is newer.
newest_h=$(ls -t "$top"/src/*.h "$top"/ui/*.h | head -n 1)
objs=()
build_obj() {
	local c=$1 o=$out/obj/$(basename "${1%.c}").o
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		echo "$cc -c $c"
		# shellcheck disable=SC2086
		$cc $cflags -fsanitize=fuzzer-no-link,$san -c "$c" -o "$o"
	fi
}
srcs=()
# The compiled-in keymap and themes, as Makefile.am makes them.
sh "$top/ui/embed.sh" keymap_default_text "$top/keymaps/default.keys" \
    theme_dark_text "$top/themes/dark.theme" \
    theme_mono_text "$top/themes/mono.theme" > "$out/embedded.c.new"
cmp -s "$out/embedded.c.new" "$out/embedded.c" || mv "$out/embedded.c.new" "$out/embedded.c"
rm -f "$out/embedded.c.new"
for c in "$top"/src/*.c "$top"/ui/*.c "$out/embedded.c"; do
	[ "$(basename "$c")" = main.c ] && continue
	srcs+=("$c")
done
export -f build_obj
export cc cflags san out newest_h
printf '%s\n' "${srcs[@]}" | xargs -P "$jobs" -I{} bash -c 'build_obj "$1"' _ {} >&2
rm -f "$out/libwarroom-fuzz.a"
ar rcs "$out/libwarroom-fuzz.a" "$out"/obj/*.o

# The targets: each links what it needs from the archive.
for f in "$top"/tests/fuzz/fuzz-*.c; do
	t=$(basename "${f%.c}")
	# shellcheck disable=SC2086
	$cc $cflags $warn -fsanitize=fuzzer,$san "$f" "$out/libwarroom-fuzz.a" \
	    $libs -o "$out/$t"
	echo "$t"
done

# Seeds: tests/fuzz/seeds/TARGET/ (hand-written) plus the recorded
# answers of tests/fixtures that seeds.list names for the target.
"$top/tests/fuzz/seeds.sh" "$out/seeds"
