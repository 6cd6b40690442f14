#!/usr/bin/env bash
# tests/bench/bandwidth.sh [BUILDDIR]: bytes written to the terminal per second
# by the warroom dashboard at 120x40, side by side with htop at the same size,
# in one run (issue 6, item 5 "SSH economy": aim < 5 KB/s at steady state and
# below htop).
#
# Method.
#  - The sandbox of tests/stack/demo.sh: the Kubernetes API double seeded with
#    soundcore-kcp-prod and --live (a crash-looping pod cycling, an auth-service
#    pod flapping Ready every 7 s), plus, with STACK=full (the default), the
#    obs stack (Prometheus, Alertmanager) and the db stack (PostgreSQL, Redis,
#    health endpoints, db-load.py demo) with the demo's configuration. If obs or
#    db do not come up the run goes on without them and says so. STACK=kube:
#    the double only.
#  - Each program runs in its own detached tmux session (private socket, no
#    client attached) of exactly 120x40 with TERM=xterm-256color, HOME a fresh
#    directory (no user config; htop with its defaults, 1.5 s refresh). The
#    command waits for a go file so that `pipe-pane -o` is attached before its
#    first byte: the recorder then receives every byte the program writes to
#    its pty, i.e. what a terminal (or ssh) would receive, not tmux's redraws
#    (no client is attached, tmux draws nothing). The recorder stores the raw
#    bytes and a timestamp + length per read, so windows are cut on time.
#  - Sessions: "demo" (warroom on the live double, demo config), "idle"
#    (warroom, empty config, on a second double of the same scenario without
#    --live: nothing changes but the clock and the ages) and "htop".
#  - Initial paint: the bytes until the first complete screen (warroom: the
#    status line says "kube live"; htop: the process header is shown).
#  - Then SETTLE_S seconds (default 5) and WINDOWS windows of WINDOW_S seconds
#    (default 7 x 10 s) per scenario, all sessions recorded concurrently:
#      demo       warroom "demo" and "idle", and htop;
#      busy-R     for each R in CHURN_RATES (default "20 100"): the double's
#                 POST /_double/churn with R pod status changes a second in
#                 soundcore-kcp-prod on top of --live, after SETTLE_S; warroom
#                 "demo" and htop.
#    Per-window figures and medians (bytes/s), the ratio warroom/htop per
#    window and of the medians, and, for each warroom scenario, where the bytes
#    go: by screen row (a small VT parser follows the cursor through the
#    stream), by kind (text, SGR, cursor motion, erase/scroll) and the number of
#    updates (pty reads separated by > 5 ms) per second.
#  - BUILDDIR's warroom is copied first (a rebuild during the run changes
#    nothing). KEEP=DIR keeps the raw recordings (NAME.raw, NAME.idx, marks,
#    screens). About 4.5 minutes with the defaults (1 minute of set-up).
# Not part of the test suite: it prints figures and where they stand against
# the aim; it passes or fails nothing (exit 1 only if a session cannot run).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
WINDOWS=${WINDOWS:-7}
WINDOW_S=${WINDOW_S:-10}
SETTLE_S=${SETTLE_S:-5}
CHURN_RATES=${CHURN_RATES:-20 100}
STACK=${STACK:-full}
SIZE=120x40
. "$top/tests/lib.sh"
command -v htop >/dev/null || { echo "htop is missing (apt-get install -y htop)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warroom-bw.XXXXXX")
sock=$tmp/tmux.sock	# private server, removed with $tmp
export HOME=$tmp/home; mkdir -p "$HOME"
# A copy, so that a rebuild of BUILDDIR during the run does not change the program.
cp "$build/warroom" "$tmp/warroom"
W=$tmp/warroom
load_pid=''
cleanup() {
	tmux -S "$sock" kill-server >/dev/null 2>&1 || true
	if [ -n "$load_pid" ]; then kill -TERM "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; fi
	"$top/tests/stack/db.sh" down "$tmp/db" >/dev/null 2>&1 || true
	"$top/tests/stack/obs.sh" down "$tmp/obs" >/dev/null 2>&1 || true
	double_down "$tmp/live"
	double_down "$tmp/still"
	if [ -n "${KEEP:-}" ]; then
		mkdir -p "$KEEP" && cp "$tmp"/*.raw "$tmp"/*.idx "$tmp"/marks "$tmp"/*.screen "$KEEP"/ 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
mark() { echo "$*" >> "$tmp/marks"; }	# mark KIND NAME... TIME

# The recorder behind pipe-pane: raw bytes to NAME.raw, "time length" to NAME.idx.
cat > "$tmp/rec.py" <<'PY'
import os, sys, time
base = sys.argv[1]
raw = open(base + ".raw", "ab", buffering=0)
idx = open(base + ".idx", "a", buffering=1)
open(base + ".up", "w").close()	# attached and reading: the program may start
while True:
    b = os.read(0, 65536)
    if not b:
        break
    t = time.time()
    raw.write(b)
    idx.write("%.6f %d\n" % (t, len(b)))
PY

# start NAME CMD...: a session of $SIZE running CMD once the recorder is attached.
start() {
	local name=$1; shift
	local q; q=$(printf ' %q' "$@")
	tmux -S "$sock" -f /dev/null new-session -d -s "$name" -x "${SIZE%x*}" -y "${SIZE#*x}" \
		"while [ ! -e '$tmp/go.$name' ]; do sleep 0.02; done; exec env TERM=xterm-256color$q"
	tmux -S "$sock" set-option -t "$name" remain-on-exit on >/dev/null
	local sz; sz=$(tmux -S "$sock" display-message -p -t "$name" '#{pane_width}x#{pane_height}')
	[ "$sz" = "$SIZE" ] || { echo "pane $name is $sz, not $SIZE" >&2; exit 1; }
	tmux -S "$sock" pipe-pane -o -t "$name" "exec python3 '$tmp/rec.py' '$tmp/$name'"
	wait_for 20 test -e "$tmp/$name.up" || { echo "the recorder of $name did not start" >&2; exit 1; }
	mark start "$name" "$(now)"
	touch "$tmp/go.$name"
}
screen() { tmux -S "$sock" capture-pane -p -t "$1"; }
dead() { [ "$(tmux -S "$sock" display-message -p -t "$1" '#{pane_dead}')" = 1 ]; }
# ready NAME REGEX: wait (60 s) for the first complete screen; mark its time.
ready() {
	local end=$(( $(date +%s) + 60 ))
	until screen "$1" | grep -qE -- "$2"; do
		if dead "$1" || [ "$(date +%s)" -ge "$end" ]; then
			echo "$1 did not come up; its screen:" >&2; screen "$1" | grep -v '^ *$' | tail -n 5 >&2; exit 1
		fi
		sleep 0.05
	done
	mark ready "$1" "$(now)"
}
# windows SCENARIO SESSION...: WINDOWS windows of WINDOW_S seconds; the screens at the end.
windows() {
	local sc=$1 i t0 t1 s; shift
	for i in $(seq "$WINDOWS"); do
		t0=$(now); sleep "$WINDOW_S"; t1=$(now)
		for s in "$@"; do
			if dead "$s"; then echo "$s exited during $sc" >&2; exit 1; fi
		done
		mark window "$sc" "$i" "$t0" "$t1" "$@"
		printf '  %s window %d/%d done\n' "$sc" "$i" "$WINDOWS" >&2
	done
	for s in "$@"; do screen "$s" > "$tmp/$sc.$s.screen"; done
}

echo "starting the sandbox (STACK=$STACK) ..." >&2
kc=$(double_up "$tmp/live" --scenario kcp --live)
kc_still=$(double_up "$tmp/still" --scenario kcp)
conf=$tmp/demo.conf; : > "$conf"
stack="kube double --live"
if [ "$STACK" = full ]; then
	if "$top/tests/stack/obs.sh" up "$tmp/obs" --double "$tmp/live" --for 10s > /dev/null 2>"$tmp/obs.err"; then
		. "$tmp/obs/env"
		printf 'prometheus %s\nalertmanager %s\n' "$PROMETHEUS_URL" "$ALERTMANAGER_URL" >> "$conf"
		stack="$stack + prometheus/alertmanager"
	else
		echo "no obs stack (going on without it): $(tail -n 2 "$tmp/obs.err")" >&2
	fi
	if "$top/tests/stack/db.sh" up "$tmp/db" --rows 100000 > /dev/null 2>"$tmp/db.err"; then
		echo "source-file '$tmp/db/warroom.conf'" >> "$conf"
		python3 "$top/tests/stack/db-load.py" demo --env "$tmp/db/env" --quiet > "$tmp/db-load.log" 2>&1 &
		load_pid=$!
		stack="$stack + postgres/redis/health + db-load"
	else
		echo "no db stack (going on without it): $(tail -n 2 "$tmp/db.err")" >&2
	fi
fi
: > "$tmp/idle.conf"

export WARROOM_DATADIR=$top
echo "starting the sessions at $SIZE ..." >&2
start demo "$W" -c "$conf" --kubeconfig "$kc"
start idle "$W" -c "$tmp/idle.conf" --kubeconfig "$kc_still"
start htop htop
ready demo 'kube live'
ready idle 'kube live'
ready htop 'PID +USER'
sleep "$SETTLE_S"

echo "measuring: $WINDOWS windows of ${WINDOW_S}s per scenario ..." >&2
windows demo demo idle htop
for r in $CHURN_RATES; do
	double_ctl "$kc" POST /_double/churn \
		"{\"rate\":$r,\"seconds\":$((SETTLE_S + WINDOWS * WINDOW_S + 30)),\"namespace\":\"soundcore-kcp-prod\"}" > /dev/null
	sleep "$SETTLE_S"
	windows "busy-$r" demo htop
	double_ctl "$kc" POST /_double/churn '{"rate":0}' > /dev/null
done
churned=$(double_ctl "$kc" GET /_double/stats | jq -c '.churn // empty' 2>/dev/null || true)

echo
echo "warroom $("$W" -V 2>/dev/null | head -n 1) ($build/warroom, $(date -r "$build/warroom" '+%F %T')) vs $(htop --version | head -n 1)"
echo "terminal $SIZE, TERM=xterm-256color; sandbox: $stack"
python3 - "$tmp" "$WINDOWS" "$WINDOW_S" <<'PY'
import os, re, statistics, sys
tmp, nwin, wsec = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def load(name):
    rows = []
    with open(os.path.join(tmp, name + ".idx")) as f:
        for line in f:
            t, n = line.split()
            rows.append((float(t), int(n)))
    return rows

marks = [l.split() for l in open(os.path.join(tmp, "marks"))]
start = {m[1]: float(m[2]) for m in marks if m[0] == "start"}
ready = {m[1]: float(m[2]) for m in marks if m[0] == "ready"}
wins = [(m[1], int(m[2]), float(m[3]), float(m[4]), m[5:]) for m in marks if m[0] == "window"]
idx = {s: load(s) for s in start}
offs = {}	# cumulative byte offsets per session, for slicing the raw file
for s, rows in idx.items():
    o, acc = [], 0
    for t, n in rows:
        o.append(acc); acc += n
    offs[s] = o

def span(s, t0, t1):
    """bytes, updates and raw byte ranges of session s in [t0, t1)."""
    b, ups, last, ranges = 0, 0, None, []
    for (t, n), o in zip(idx[s], offs[s]):
        if t0 <= t < t1:
            b += n
            if last is None or t - last > 0.005:
                ups += 1
            last = t
            ranges.append((o, o + n))
    return b, ups, ranges

label = {"demo": "warroom", "idle": "warroom idle", "htop": "htop"}
def kb(x): return "%.0f" % x

print("\ninitial paint (bytes until the first complete screen):")
for s in ("demo", "idle", "htop"):
    b, _, _ = span(s, 0, ready[s] + 1e-6)
    print("  %-14s %7d bytes in %.2f s" % (label[s], b, ready[s] - start[s]))

scen = []
for sc, i, t0, t1, sess in wins:
    if sc not in scen:
        scen.append(sc)
res = {}	# (scenario, session) -> [(B/s, updates/s)]
for sc, i, t0, t1, sess in wins:
    for s in sess:
        b, u, _ = span(s, t0, t1)
        res.setdefault((sc, s), []).append((b / (t1 - t0), u / (t1 - t0)))

med = {}
for sc in scen:
    sess = [s for (c, s) in res if c == sc]
    title = {"demo": "demo sandbox (double --live)"}.get(sc, None) or \
        "busy: --live + %s pod status changes/s (POST /_double/churn)" % sc.split("-", 1)[1]
    print("\nscenario %s: %s, %d windows of %gs (bytes/s; updates/s in brackets)" % (sc, title, nwin, wsec))
    hdr = "  %-7s" % "window" + "".join("%22s" % label[s] for s in sess) + "%16s" % "warroom/htop"
    print(hdr)
    n = len(res[(sc, sess[0])])
    for k in range(n):
        line = "  %-7d" % (k + 1)
        for s in sess:
            bps, ups = res[(sc, s)][k]
            line += "%14s (%5.1f)" % (kb(bps), ups)
        line += "%16.3f" % (res[(sc, "demo")][k][0] / max(res[(sc, "htop")][k][0], 1e-9))
        print(line)
    line = "  %-7s" % "median"
    for s in sess:
        m = statistics.median(x[0] for x in res[(sc, s)])
        mu = statistics.median(x[1] for x in res[(sc, s)])
        med[(sc, s)] = m
        line += "%14s (%5.1f)" % (kb(m), mu)
    line += "%16.3f" % (med[(sc, "demo")] / max(med[(sc, "htop")], 1e-9))
    print(line)

print("\nsummary, medians (bytes/s at steady state; aim: warroom < 5000 and below htop):")
print("  %-40s %10s %10s %14s" % ("scenario", "warroom", "htop", "warroom/htop"))
def verdict(w, h):
    a = "under 5 KB/s" if w < 5000 else "ABOVE 5 KB/s by %.0f B/s (x%.2f)" % (w - 5000, w / 5000)
    b = "below htop" if w < h else "ABOVE htop by %.0f B/s (x%.2f)" % (w - h, w / max(h, 1e-9))
    return a + ", " + b
rows = []
for sc in scen:
    h = med[(sc, "htop")]
    name = "demo, changing (--live)" if sc == "demo" else "busy, %s changes/s" % sc.split("-", 1)[1]
    rows.append((name, med[(sc, "demo")], h))
    if sc == "demo" and (sc, "idle") in med:
        rows.append(("idle, nothing changes (no --live)", med[(sc, "idle")], h))
for name, w, h in rows:
    print("  %-40s %10s %10s %14.3f   %s" % (name, kb(w), kb(h), w / max(h, 1e-9), verdict(w, h)))

# --- where warroom's bytes go ---------------------------------------------
CSI = re.compile(rb"\x1b\[([0-?]*)([ -/]*)([@-~])")
def parse(data, H):
    """bytes per screen row and per kind; the row is the cursor's after a motion."""
    row, top, bot, saved = 1, 1, H, 1
    per_row, kinds = {}, {}
    def add(r, kind, n):
        key = r if isinstance(r, str) else max(1, min(H, r))
        per_row[key] = per_row.get(key, 0) + n
        kinds[kind] = kinds.get(kind, 0) + n
    i, L = 0, len(data)
    while i < L:
        c = data[i]
        if c == 0x1b:
            m = CSI.match(data, i)
            if m:
                p, f = m.group(1).decode(), m.group(3).decode()
                n = len(m.group(0))
                args = [int(x) if x.isdigit() else 0 for x in p.lstrip("?>=").split(";")] if p else []
                a1 = args[0] if args and args[0] else 1
                if f in "Hf":
                    row = a1
                elif f == "d":
                    row = a1
                elif f in "AF":
                    row -= a1
                elif f in "BE":
                    row += a1
                elif f == "r" and not p.startswith("?"):
                    top = args[0] if args and args[0] else 1
                    bot = args[1] if len(args) > 1 and args[1] else H
                    row = 1
                if f == "m":
                    add(row, "SGR colour/attributes", n)
                elif f in "HfdABEFGC`D":
                    add(row, "cursor motion", n)
                elif f in "ST" or f == "r":
                    add("scroll (region/SU/SD)", "scroll", n)
                elif f in "KJXPL@M":
                    add(row, "erase/insert/delete", n)
                else:
                    add(row, "other control", n)
                i = m.end(); continue
            nx = data[i + 1:i + 2]
            if nx == b"]":	# OSC ... BEL or ST
                j = data.find(b"\x07", i)
                k = data.find(b"\x1b\\", i)
                ends = [e for e in ((j + 1) if j >= 0 else -1, (k + 2) if k >= 0 else -1) if e > 0]
                e = min(ends) if ends else L
                add(row, "other control", e - i); i = e; continue
            if nx in (b"(", b")"):
                add(row, "SGR colour/attributes", 3); i += 3; continue	# charset select, part of ncurses' SGR
            if nx == b"M":
                row = row - 1 if row > top else row
                add("scroll (region/SU/SD)", "scroll", 2); i += 2; continue
            if nx == b"7":
                saved = row
            elif nx == b"8":
                row = saved
            add(row, "other control", 2); i += 2; continue
        if c == 0x0a:
            row = row + 1 if row != bot else row
            add(row, "cursor motion", 1); i += 1; continue
        if c in (0x0d, 0x08):
            add(row, "cursor motion", 1); i += 1; continue
        if c < 0x20 or c == 0x7f:
            add(row, "other control", 1); i += 1; continue
        add(row, "text", 1); i += 1
    return per_row, kinds

W, H = 120, 40
raw = open(os.path.join(tmp, "demo.raw"), "rb").read()
raw_idle = open(os.path.join(tmp, "idle.raw"), "rb").read()
for sc in scen:
    for s, data_all in (("demo", raw), ("idle", raw_idle)):
        if (sc, s) not in res:
            continue
        chunks, secs, ups = [], 0.0, 0
        for c, i, t0, t1, sess in wins:
            if c == sc and s in sess:
                b, u, ranges = span(s, t0, t1)
                chunks += [data_all[a:e] for a, e in ranges]
                secs += t1 - t0; ups += u
        data = b"".join(chunks)
        if not data:
            continue
        per_row, kinds = parse(data, H)
        try:
            scr = open(os.path.join(tmp, "%s.%s.screen" % (sc, s)), encoding="utf-8", errors="replace").read().split("\n")
        except OSError:
            scr = []
        total = len(data)
        print("\nwhere %s's bytes go, scenario %s (%d bytes in %.0f s, %.1f updates/s, %.0f bytes/update):"
              % (label[s], sc, total, secs, ups / secs, total / max(ups, 1)))
        print("  by kind: " + ", ".join("%s %.0f%%" % (k, 100.0 * v / total)
                                        for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
        print("  by screen row (the row's text at the end of the scenario):")
        for r, v in sorted(per_row.items(), key=lambda kv: -kv[1])[:8]:
            txt = scr[r - 1].rstrip() if isinstance(r, int) and r - 1 < len(scr) else ""
            if len(txt) > 72:
                txt = txt[:69] + "..."
            print("    %-6s %5.1f%% %7.0f B/s  %s" % ("row %d" % r if isinstance(r, int) else "", 100.0 * v / total,
                                                     v / secs, txt if isinstance(r, int) else r))
PY
if [ -n "$churned" ]; then echo "double's last churn: $churned"; fi
