#!/usr/bin/env bash
# Memory hygiene of the whole program, not just the units: a snapshot and a
# dashboard session (with a server outage in the middle) under valgrind and
# under the AddressSanitizer build, each ending with no leak and no error.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-memory.XXXXXX")
state=$tmp/double
export HOME=$tmp/home; mkdir -p "$HOME"
cleanup() { tui_kill_all; double_down "$state"; rm -rf "$tmp"; }
trap cleanup EXIT
kc=$(double_up "$state" --scenario kcp --ready-delay 0.2) || { fail double-up "did not start"; exit 1; }
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"

$VG --log-file="$tmp/vg-snap.log" "$W" --kubeconfig "$kc" -A snapshot --json > "$tmp/snap.json"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/vg-snap.log" ]; then pass valgrind-snapshot
else fail valgrind-snapshot "exit $rc: $(snap_not_ok "$tmp/snap.json")$(head -c 600 "$tmp/vg-snap.log" | tr '\n' ' ')"; fi

# An action through the whole layer (access review, preview, audit, apply,
# event, follow) under valgrind.
XDG_STATE_HOME=$tmp/state WARROOM_ACTION_TIMEOUT=30 $VG --log-file="$tmp/vg-do.log" \
	"$W" --kubeconfig "$kc" do degrade auth-service --yes > "$tmp/do.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/vg-do.log" ]; then pass valgrind-do-action
else fail valgrind-do-action "exit $rc: $(tail -n 3 "$tmp/do.out" | tr '\n' ' ') $(head -c 600 "$tmp/vg-do.log" | tr '\n' ' ')"; fi

export WARROOM_DATADIR=$T_TOP TERM=xterm-256color
# The dashboard under valgrind: sync, filter, help, an outage, quit.
tui_start vg 100x30 sh -c "$VG --log-file=$tmp/vg-tui.log $W --kubeconfig $kc; echo exit=\$? > $tmp/vg-tui.rc"
if tui_wait vg 60 '[Ll][Ii][Vv][Ee]'; then
	tui_keys vg / a u t h; sleep 1; tui_keys vg Escape; tui_keys vg '?'; sleep 1; tui_keys vg Escape
	double_down "$state"
	# The outage and the recovery are required: a run that never saw
	# them did not test them under valgrind.
	check valgrind-outage-shown tui_wait vg 30 'DOWN'
	kc=$(double_up "$state" --ready-delay 0.2)
	vg_recovered() { ! tui_screen vg | grep -q 'DOWN' && tui_screen vg | grep -qE '[Ll][Ii][Vv][Ee]'; }
	check valgrind-recovered wait_for 60 vg_recovered
	tui_keys vg q
	wait_for 30 test -f "$tmp/vg-tui.rc"
	rcline=$(cat "$tmp/vg-tui.rc" 2>/dev/null)
	if [ "$rcline" = "exit=0" ] && [ ! -s "$tmp/vg-tui.log" ]; then pass valgrind-dashboard
	else fail valgrind-dashboard "$rcline $(head -c 600 "$tmp/vg-tui.log" | tr '\n' ' ')"; fi
else
	fail valgrind-dashboard "never synced under valgrind"
fi
tui_kill_all

if [ -n "${WARROOM_ASAN:-}" ] && [ -x "$WARROOM_ASAN" ]; then
	ASAN_OPTIONS=detect_leaks=1 "$WARROOM_ASAN" --kubeconfig "$kc" -A snapshot --json > /dev/null 2> "$tmp/asan.log"
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q 'ERROR: \|runtime error' "$tmp/asan.log"; then pass asan-snapshot
	else fail asan-snapshot "exit $rc: $(head -c 600 "$tmp/asan.log" | tr '\n' ' ')"; fi
	tui_start asan 100x30 sh -c "ASAN_OPTIONS=detect_leaks=1 $WARROOM_ASAN --kubeconfig $kc 2> $tmp/asan-tui.log; echo exit=\$? > $tmp/asan-tui.rc"
	check asan-dashboard-synced tui_wait asan 30 '[Ll][Ii][Vv][Ee]'
	tui_keys asan j j k / c o n; sleep 0.5; tui_keys asan Escape Tab t t q
	wait_for 20 test -f "$tmp/asan-tui.rc"
	if [ "$(cat "$tmp/asan-tui.rc" 2>/dev/null)" = exit=0 ] && ! grep -q 'ERROR: \|runtime error' "$tmp/asan-tui.log"; then
		pass asan-dashboard
	else
		fail asan-dashboard "$(cat "$tmp/asan-tui.rc" 2>/dev/null) $(head -c 600 "$tmp/asan-tui.log" | tr '\n' ' ')"
	fi
else
	skip asan-snapshot "no sanitizer build (WARROOM_ASAN)"
fi
t_done
