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
        if row[col] != p[key]:
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
