#!/usr/bin/env bash
# The screen as a person sees it, through tmux: the 80x24 layout with the
# crashing and OOM-killed pods marked, the status bar, the filter, help made
# from the bindings, resizing, quitting, TERM variants, NO_COLOR and a plain
# ASCII locale. Runs against the Kubernetes API double (scenario kcp).
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-tui.XXXXXX")
state=$tmp/double
export HOME=$tmp/home; mkdir -p "$HOME"
unset XDG_CONFIG_HOME NO_COLOR
cleanup() { tui_kill_all; double_down "$state"; rm -rf "$tmp"; }
trap cleanup EXIT

kc=$(double_up "$state" --scenario kcp) || { fail double-up "the double did not start"; exit 1; }
ctx=$(sed -n 's/^current-context: *//p' "$kc" | tr -d '"'"'")

# A config with a binding of its own, with a note for help.
cat > "$tmp/config" <<'EOF'
bind -N 'Frobnicate the selection' F refresh
EOF

# dash SESSION SIZE ENV...: the dashboard in tmux with these variables; its
# exit status goes to $tmp/exit.SESSION (a shell waits for it: tmux itself
# does not always report the status of a pane that has just closed).
dash() {
	local s=$1 size=$2; shift 2
	rm -f "$tmp/exit.$s"
	tui_start "$s" "$size" sh -c '"$@"; echo $? > "$0"' "$tmp/exit.$s" \
	    env -u LC_ALL -u LC_CTYPE -u NO_COLOR \
	    WARROOM_DATADIR="$T_TOP" HOME="$HOME" "$@" \
	    "$W" --kubeconfig "$kc" --config "$tmp/config"
}
line() { tui_screen "$1" | sed -n "$2p"; }
# quit SESSION NAME: q ends it, with status 0.
quit() {
	tui_keys "$1" q
	if wait_for 5 test -s "$tmp/exit.$1"; then
		expect_eq "$2" 0 "$(cat "$tmp/exit.$1")"
	else
		fail "$2" "still running after q"
	fi
}
# sgr_colours SESSION: the colour parameters in the screen's SGR sequences.
sgr_colours() {
	tmux -L "$T_TMUX_SOCK" capture-pane -e -p -t "$1" | python3 -c '
import re, sys
seen = set()
for m in re.finditer(r"\x1b\[([0-9;:]*)m", sys.stdin.read()):
    ps = [p for p in re.split("[;:]", m.group(1)) if p]
    i = 0
    while i < len(ps):
        n = int(ps[i])
        if n in (38, 48):
            seen.add(str(n)); i += 3 if i + 1 < len(ps) and ps[i + 1] == "5" else 5
            continue
        if 30 <= n <= 37 or 40 <= n <= 47 or 90 <= n <= 97 or 100 <= n <= 107:
            seen.add(str(n))
        i += 1
print(" ".join(sorted(seen)))'
}

# --- 80x24, UTF-8, 256 colours ---------------------------------------------
dash main 80x24 TERM=xterm-256color LANG=C.UTF-8
check layout-shows-pods tui_wait main 10 'CrashLoopBackOff'
check crashloop-row-marked tui_wait main 3 '^✗ .*CrashLoopBackOff'
check oomkilled-row-marked tui_wait main 3 '^✗ .*OOMKilled'
check deployments-marked tui_wait main 3 '^✗ [a-z-]+ +[0-9]+/[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ '
check hpa-mark tui_wait main 3 'hpa [0-9]+-[0-9]+'
check status-bar-context tui_wait main 3 "ctx $ctx"
check status-bar-kube-live tui_wait main 5 'kube live'
expect_eq status-bar-line-23 yes "$(line main 23 | grep -q 'kube live' && echo yes)"
expect_eq title-line yes "$(line main 1 | grep -qE 'warroom.*[0-9]{2}:[0-9]{2}:[0-9]{2}' && echo yes)"
# Laid out for the pane's width: the right-aligned clock and its one-space
# margin end in column 80, so its last digit is in column 79 (a layout for
# a wider screen would lose it past the edge, a narrower one would end
# short). A capture is never wider than the pane, so its width alone
# proves nothing.
title_end=$(line main 1 | LC_ALL=C.UTF-8 wc -L)
expect_eq fits-80-columns "79 yes" "$title_end $(line main 1 | grep -qE '[0-9]{2}:[0-9]{2}:[0-9]{2}$' && echo yes)"
expect_eq hints-line-24 yes "$(line main 24 | grep -q '? help.*q quit' && echo yes)"
colours=$(sgr_colours main)
if [ -n "$colours" ]; then pass uses-colour; else fail uses-colour "no colour on a 256-colour terminal"; fi

# The filter narrows as it is typed; Escape shows everything again.
tui_keys main / o o m
check filter-prompt tui_wait main 3 '^/oom'
tui_keys main Enter
check filter-shown tui_wait main 3 'filter: oom'
expect_eq filter-narrows "yes no" "$(tui_screen main | grep -q OOMKilled && echo yes || echo no) $(tui_screen main | grep -q CrashLoopBackOff && echo yes || echo no)"
check filter-counts tui_wait main 3 'Pods 1 of [0-9]+'
tui_keys main Escape
check filter-cleared tui_wait main 3 'CrashLoopBackOff'

# Help is made from the bindings and their notes (the config's too).
tui_keys main '?'
check help-opens tui_wait main 3 'Keys: any other key closes'
check help-from-default-notes tui_wait main 1 'Filter rows by name, namespace, status or node'
check help-from-config-note tui_wait main 1 'F +Frobnicate the selection'
tui_keys main End
check help-scrolls tui_wait main 2 'STALE DOWN'
tui_keys main x
if wait_for 3 sh -c "! tmux -L '$T_TMUX_SOCK' capture-pane -p -t main | grep -q 'Keys: any other'"; then
	pass help-any-key-closes
else
	fail help-any-key-closes "help still open"
fi
tui_keys main F
check bound-command-runs tui_wait main 3 'refreshing: listing everything again'

# Tab, Enter: the pods of one deployment.
tui_keys main Tab g Enter
check enter-shows-deployment-pods tui_wait main 3 'Pods [0-9]+ of [0-9]+.*\(deployment '
tui_keys main Escape

# Bigger, and back.
tui_resize main 120x40
check resize-120x40 tui_wait main 3 'NODE'
if wait_for 3 sh -c "tmux -L '$T_TMUX_SOCK' capture-pane -p -t main | sed -n 39p | grep -q 'kube live'"; then
	pass resize-status-bar-moves
else
	fail resize-status-bar-moves "line 39: $(line main 39)"
fi
tui_resize main 80x24
if wait_for 3 sh -c "tmux -L '$T_TMUX_SOCK' capture-pane -p -t main | sed -n 23p | grep -q 'kube live'"; then
	pass resize-back-80x24
else
	fail resize-back-80x24 "line 23: $(line main 23)"
fi
check resize-back-still-marked tui_wait main 3 '^✗ .*CrashLoopBackOff'
quit main q-quits

# --- terminals ------------------------------------------------------------
for term in xterm xterm-256color screen-256color tmux-256color linux; do
	dash "t-$term" 80x24 TERM=$term LANG=C.UTF-8
	if tui_wait "t-$term" 10 'CrashLoopBackOff' && tui_wait "t-$term" 5 'kube live'; then
		pass "term-$term"
	else
		fail "term-$term" "$(tui_screen "t-$term" | head -3 | tr '\n' ' ')"
	fi
	quit "t-$term" "term-$term-quits"
done

# --- NO_COLOR: attributes only, marks and bold stay -------------------------
dash nocolor 80x24 TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1
check no-color-shows-pods tui_wait nocolor 10 '^✗ .*CrashLoopBackOff'
tui_wait nocolor 5 'kube live' >/dev/null
expect_eq no-color-no-colours "" "$(sgr_colours nocolor)"
if tmux -L "$T_TMUX_SOCK" capture-pane -e -p -t nocolor | grep CrashLoopBackOff | grep -q $'\e\[[0-9;]*1[;m]'; then
	pass no-color-problem-bold
else
	fail no-color-problem-bold "the crashing pod's row is not bold"
fi
quit nocolor no-color-quits

# --- set colours: fewer than the terminal has, or none --------------------
cp "$tmp/config" "$tmp/config.keep"
echo "set colours none" >> "$tmp/config"
dash colnone 80x24 TERM=xterm-256color LANG=C.UTF-8
tui_wait colnone 10 'kube live' >/dev/null
expect_eq colours-none-no-colours "" "$(sgr_colours colnone)"
quit colnone colours-none-quits
cp "$tmp/config.keep" "$tmp/config"
echo "set colours 8" >> "$tmp/config"
dash col8 80x24 TERM=xterm-256color LANG=C.UTF-8
tui_wait col8 10 'kube live' >/dev/null
c8=$(sgr_colours col8)
if [ -n "$c8" ] && ! grep -qE '(^| )(38|48|9[0-7]|10[0-7])( |$)' <<<"$c8"; then
	pass colours-8-only-the-eight
else
	fail colours-8-only-the-eight "SGR colours: [$c8]"
fi
quit col8 colours-8-quits
cp "$tmp/config.keep" "$tmp/config"

# --- LANG=C: plain ASCII --------------------------------------------------
dash ascii 80x24 TERM=xterm-256color LANG=C
check ascii-shows-pods tui_wait ascii 10 '^! .*CrashLoopBackOff'
check ascii-oom-marked tui_wait ascii 3 '^! .*OOMKilled'
check ascii-rules tui_wait ascii 3 '^- .*Deployments'
expect_eq ascii-only 0 "$(tui_screen ascii | LC_ALL=C grep -c '[^ -~]')"
tui_keys ascii '?'
check ascii-help-box tui_wait ascii 3 '\+- Keys: any other key closes -+'
tui_keys ascii x
quit ascii ascii-quits

# --- copy-out: OSC 52 to the clipboard (tmux keeps it as a buffer), the
# screen as text to a file ---------------------------------------------------
dash copy 100x30 TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME="$tmp/state"
# (The server exists now: the option is the server's.)
tmux -L "$T_TMUX_SOCK" set-option -s set-clipboard on
tui_wait copy 10 'kube live' >/dev/null
tui_keys copy g y
check copy-says tui_wait copy 5 "copied: [a-z]+-[a-z]+-[a-z0-9]+-[a-z0-9]+"
sel=$(tui_screen copy | grep -oE 'copied: [a-z0-9-]+' | cut -c9-)
check copy-selected-row bash -c "tmux -L '$T_TMUX_SOCK' capture-pane -p -t copy | grep -q '^[✗* ] $sel '"
got() { [ -n "$sel" ] && [ "$(tmux -L "$T_TMUX_SOCK" show-buffer 2>/dev/null)" = "$sel" ]; }
check copy-name-osc52 wait_for 3 got
tui_keys copy Y
cmd_got() { tmux -L "$T_TMUX_SOCK" show-buffer 2>/dev/null | grep -q "^kubectl -n [a-z-]* logs $sel --previous"; }
check copy-command-osc52 wait_for 3 cmd_got
tui_keys copy w
check screen-written tui_wait copy 5 'screen written to .*/screen-[0-9-]+\.txt'
f=$(ls "$tmp"/state/warroom/screen-*.txt 2>/dev/null | head -n 1)
check screen-file-has-the-lists grep -q 'Deployments' "${f:-/dev/null}"
check screen-file-has-the-pod grep -q "$sel" "${f:-/dev/null}"
expect_eq screen-file-mode 600 "$(stat -c %a "${f:-/dev/null}" 2>/dev/null)"
quit copy copy-quits

# A keymap binding something that does not exist: refused with file:line.
printf 'bind q quit\nbind F frobnicate\n' > "$tmp/bad.keys"
out=$(WARROOM_DATADIR="$T_TOP" "$W" --kubeconfig "$kc" --config /dev/null --keymap "$tmp/bad.keys" 2>&1); rc=$?
expect_eq unknown-action-keymap-exit 2 "$rc"
check unknown-action-keymap-file-line grep -q "bad.keys:2: unknown command or action \"frobnicate\"" <<<"$out"
# Each shipped keymap on the dashboard (snapshot never reads --keymap): it
# starts, and help's first row is the file's first note with its keys in the
# file's order ("k Up" in vi.keys, "Up k" in default.keys), so the file was
# read, not the compiled-in bindings.
first_keys() {
	python3 -c 'import shlex, sys
note, keys = None, []
for l in open(sys.argv[1]):
    w = shlex.split(l, comments=True)
    if not w or w[0] != "bind":
        continue
    w, n = w[1:], None
    while w and w[0].startswith("-"):
        if w[0] == "-N":
            n = w[1]
        w = w[2:]
    if n is None:
        continue
    if note is None:
        note = n
    if n == note:
        keys.append(w[0])
print(" ".join(keys) + "|" + note)' "$1"
}
for k in "$T_TOP"/keymaps/*.keys; do
	n=$(basename "$k" .keys)
	fk=$(first_keys "$k")
	rm -f "$tmp/exit.km-$n"
	tui_start "km-$n" 100x40 sh -c '"$@"; echo $? > "$0"' "$tmp/exit.km-$n" \
	    env -u LC_ALL -u LC_CTYPE -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color \
	    WARROOM_DATADIR="$T_TOP" HOME="$HOME" \
	    "$W" --kubeconfig "$kc" --config /dev/null --keymap "$k"
	check "keymap-$n-dashboard" tui_wait "km-$n" 10 'kube live'
	tui_keys "km-$n" '?'
	check "keymap-$n-help-order" tui_wait "km-$n" 3 \
	    "Keys: .*│ +$(sed 's/[][\\.^$*+?(){}|]/\\&/g' <<<"${fk%%|*}") +${fk#*|}"
	tui_keys "km-$n" x
	quit "km-$n" "keymap-$n-quits"
done
t_done
