#!/usr/bin/env python3
"""parity.py SNAPSHOT.json KUBECTL-OUTPUT.txt: every pod of `kubectl get pods`
(with headers, -A or not) must appear in the warroom snapshot with the same
READY, STATUS and RESTARTS text. Prints one line per difference; exit 1 if any."""
import json
import re
import sys

snap = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()
head = lines[0]
# Column starts from the header: kubectl pads with spaces, cells may contain
# single spaces ("7 (5m ago)"), so cut by position, not by whitespace.
cols = [(m.group(0), m.start()) for m in re.finditer(r"\S+", head)]
def cell(line, i):
    start = cols[i][1]
    end = cols[i + 1][1] if i + 1 < len(cols) else len(line)
    return line[start:end].strip()

names = [c[0] for c in cols]


def ago_range(text):
    """"7 (5m37s ago)" -> (count, lo, hi): the seconds the printed age can
    stand for (HumanDuration drops units as ages grow)."""
    m = re.match(r"^(\d+)(?: \((.+) ago\))?$", text)
    if not m:
        return None
    if not m.group(2):
        return int(m.group(1)), None, None
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 31536000}
    parts = re.findall(r"(\d+)([smhdy])", m.group(2))
    lo = sum(int(n) * units[u] for n, u in parts)
    return int(m.group(1)), lo, lo + units[parts[-1][1]] if parts else lo


def same_restarts(a, b):
    """Equal, or equal but for the age moving on between the two reads."""
    if a == b:
        return True
    ra, rb = ago_range(a), ago_range(b)
    if not ra or not rb or ra[0] != rb[0] or ra[1] is None or rb[1] is None:
        return False
    return ra[1] - 3 < rb[2] and rb[1] - 3 < ra[2]

pods = {(p["namespace"], p["name"]): p for p in snap["pods"]}
default_ns = snap.get("namespace")
bad = 0
count = 0
for line in lines[1:]:
    if not line.strip():
        continue
    row = {n: cell(line, i) for i, n in enumerate(names)}
    ns = row.get("NAMESPACE", default_ns)
    p = pods.get((ns, row["NAME"]))
    count += 1
    if p is None:
        print("missing in snapshot: %s/%s" % (ns, row["NAME"]))
        bad += 1
        continue
    for col, key in (("READY", "ready"), ("STATUS", "status"), ("RESTARTS", "restarts_text")):
        if row[col] != p[key] and not (col == "RESTARTS" and same_restarts(row[col], p[key])):
            print("%s/%s %s: kubectl %r, warroom %r" % (ns, row["NAME"], col, row[col], p[key]))
            bad += 1
    if str(p["restarts"]) != row["RESTARTS"].split(" ")[0]:
        print("%s/%s restarts count: kubectl %r, warroom %r" % (ns, row["NAME"], row["RESTARTS"], p["restarts"]))
        bad += 1
if count == 0:
    print("kubectl printed no pods")
    bad += 1
if count != len(pods):
    print("kubectl printed %d pods, snapshot has %d" % (count, len(pods)))
    bad += 1
sys.exit(1 if bad else 0)
