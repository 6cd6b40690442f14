#!/usr/bin/env bash
# t-tui-matrix.sh: the dashboard at 80x24, 120x40 and 250x70, in every
# shipped theme, with TERM=linux, xterm-256color and tmux-256color, with
# NO_COLOR=1 and in the C locale: the title on the first line, the status
# bar on the second to last, the problem pods marked (a glyph, not colour
# alone), and q quits.
. "$(dirname "$0")/lib.sh"
W=${WARROOM:?set WARROOM to the built binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-tui-matrix.XXXXXX")
export HOME=$tmp/home
mkdir -p "$HOME"
unset XDG_CONFIG_HOME NO_COLOR
cleanup() { tui_kill_all; double_down "$tmp/double"; rm -rf "$tmp"; }
trap cleanup EXIT

kc=$(double_up "$tmp/double" --scenario kcp) || { fail double-up "did not start"; exit 1; }

# one NAME SIZE THEME ENV...: start, check, quit.
one() {
	local name=$1 size=$2 theme=$3; shift 3
	local lines=${size#*x} mark='✗'
	case " $* " in *" LANG=C "*) mark='!';; esac
	tui_start "$name" "$size" env -u LC_ALL -u LC_CTYPE -u NO_COLOR \
	    WARROOM_DATADIR="$T_TOP" HOME="$HOME" "$@" \
	    "$W" --kubeconfig "$kc" -n soundcore-kcp-prod --theme "$theme"
	if ! tui_wait "$name" 10 'kube live' >/dev/null; then
		fail "$name" "no 'kube live' on screen"
		return
	fi
	tui_wait "$name" 5 "^$mark .*CrashLoopBackOff" >/dev/null
	local screen
	screen=$(tui_screen "$name")
	if ! sed -n 1p <<<"$screen" | grep -q 'warroom'; then
		fail "$name" "no title on the first line"
	elif ! sed -n "$((lines - 1))p" <<<"$screen" | grep -q 'kube live'; then
		fail "$name" "no status bar on line $((lines - 1))"
	elif ! grep -qE "^$mark .*CrashLoopBackOff" <<<"$screen"; then
		fail "$name" "the crash-looping pod is not marked with $mark"
	elif ! grep -qE "^$mark .*OOMKilled" <<<"$screen"; then
		fail "$name" "the OOMKilled pod is not marked with $mark"
	else
		pass "$name"
	fi
	tui_keys "$name" q
	wait_for 5 tui_dead "$name" || fail "$name-quits" "still running after q"
}

for size in 80x24 120x40 250x70; do
	for theme in dark light mono high-contrast; do
		one "$size-$theme" "$size" "$theme" TERM=xterm-256color LANG=C.UTF-8
	done
done
for term in linux tmux-256color xterm; do
	one "120x40-dark-$term" 120x40 dark TERM=$term LANG=C.UTF-8
done
one "80x24-no-color" 80x24 dark TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1
one "80x24-c-locale" 80x24 dark TERM=xterm-256color LANG=C
one "250x70-c-locale-linux" 250x70 high-contrast TERM=linux LANG=C

# A large screen shows every panel at once (here with the other sources
# configured but unreachable: each panel says so); Tab walks them, z zooms.
printf 'prometheus http://127.0.0.1:9\nalertmanager http://127.0.0.1:9\npostgres "host=127.0.0.1 port=9 dbname=x user=x"\n' > "$tmp/conf"
tui_start wide 250x70 env -u LC_ALL -u LC_CTYPE LANG=C.UTF-8 TERM=xterm-256color \
    WARROOM_DATADIR="$T_TOP" HOME="$HOME" "$W" -c "$tmp/conf" --kubeconfig "$kc" -n soundcore-kcp-prod
tui_wait wide 10 'kube live' >/dev/null
check wide-kube-left tui_wait wide 5 '^─ Deployments .* ─ Alerts 0'
check wide-resources-right tui_wait wide 5 '─ Resources 0 +prometheus DOWN'
check wide-databases-right tui_wait wide 5 '─ Databases'
check wide-no-summary-lines bash -c "! tmux -L '$T_TMUX_SOCK' capture-pane -p -t wide | grep -q '^. \[[1-4]\] '"
tui_keys wide Tab
check wide-tab-walks tui_wait wide 3 '▶ Alerts'
tui_keys wide z
check wide-zoom tui_wait wide 3 '^─ ▶ Alerts 0'
check wide-zoom-summaries tui_wait wide 3 '\[1\] kube'
tui_keys wide z
check wide-unzoom tui_wait wide 3 '─ Deployments .* ─ ▶ Alerts 0'
tui_keys wide q
t_done
