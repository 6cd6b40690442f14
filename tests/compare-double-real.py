#!/usr/bin/env python3
"""compare-double-real.py REAL_KUBECONFIG DOUBLE_KUBECONFIG: send the same
requests to the real kube-apiserver and to the API double (both seeded with
soundcore-kcp-prod) and compare the answers' shape and meaning. Object names
(pod hashes), uids, resourceVersions and timestamps differ by nature and are
not compared; the 1.20-vs-1.32 differences (Restarts column type) are allowed.
Prints PASS:/FAIL: lines, one per comparison."""
import json
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request

NS = "soundcore-kcp-prod"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


class Server:
    def __init__(self, kc, name):
        def view(ctx, path):
            return subprocess.check_output(["kubectl", "--kubeconfig", kc, "config", "view", "--raw",
                                            "--minify", "--context", ctx, "-o", "jsonpath=" + path]).decode()
        self.name = name
        self.kc = kc
        self.server = view("admin", "{.clusters[0].cluster.server}")
        ca = view("admin", "{.clusters[0].cluster.certificate-authority}")
        self.tokens = {c: view(c, "{.users[0].user.token}") for c in ("admin", "viewer")}
        self.ctx = ssl.create_default_context(cafile=ca)

    def req(self, path, accept="application/json", method="GET", body=None, user="admin",
            ctype="application/json", timeout=10):
        r = urllib.request.Request(self.server + path, method=method, data=body)
        r.add_header("Authorization", "Bearer " + self.tokens[user])
        r.add_header("Accept", accept)
        if body is not None:
            r.add_header("Content-Type", ctype)
        try:
            with urllib.request.urlopen(r, context=self.ctx, timeout=timeout) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def kubectl(self, *args):
        return subprocess.check_output(["kubectl", "--kubeconfig", self.kc] + list(args),
                                       stderr=subprocess.STDOUT).decode()


failed = 0


def case(name, ok, why=""):
    global failed
    if ok:
        print("PASS: %s" % name)
    else:
        failed += 1
        print("FAIL: %s: %s" % (name, why))


def deploy_of(pod_name):
    return pod_name.rsplit("-", 2)[0]


def pods_table(s):
    code, t = s.req("/api/v1/namespaces/%s/pods" % NS, TABLE)
    assert code == 200, (s.name, code, t)
    return t


def main():
    real, dbl = Server(sys.argv[1], "real"), Server(sys.argv[2], "double")

    # Table of pods: columns, row shape, statuses per deployment.
    tr, td = pods_table(real), pods_table(dbl)
    cr = [(c["name"], c["type"]) for c in tr["columnDefinitions"]]
    cd = [(c["name"], c["type"]) for c in td["columnDefinitions"]]
    norm = lambda cols: [(n, "string" if n == "Restarts" else t) for n, t in cols]
    case("table-columns", norm(cr) == norm(cd), "%s vs %s" % (cr, cd))
    case("table-kind", (tr["kind"], tr["apiVersion"]) == (td["kind"], td["apiVersion"]),
         "%s/%s vs %s/%s" % (tr["kind"], tr["apiVersion"], td["kind"], td["apiVersion"]))
    # managedFields (server-side apply bookkeeping) is not kept by the double.
    ro, do = tr["rows"][0]["object"], td["rows"][0]["object"]
    mr = sorted(set(ro["metadata"]) - {"managedFields"})
    md = sorted(set(do["metadata"]) - {"managedFields"})
    case("table-row-object", (ro["kind"], mr) == (do["kind"], md),
         "%s %s vs %s %s" % (ro["kind"], mr, do["kind"], md))
    def statuses(t):
        i = [c["name"] for c in t["columnDefinitions"]].index("Status")
        out = {}
        for r in t["rows"]:
            out.setdefault(deploy_of(r["cells"][0]), []).append(r["cells"][i])
        return {k: sorted(v) for k, v in out.items()}
    sr, sd = statuses(tr), statuses(td)
    case("statuses-per-deployment", sr == sd, "real %s\n      double %s" % (sr, sd))
    ready = lambda t: sorted(r["cells"][1] for r in t["rows"])
    case("ready-cells", ready(tr) == ready(td), "%s vs %s" % (ready(tr), ready(td)))

    # Deployments: replicas, images, revision; ReplicaSets: revisions and causes.
    def deploys(s):
        code, l = s.req("/apis/apps/v1/namespaces/%s/deployments" % NS)
        return l["kind"], {d["metadata"]["name"]: (d["spec"]["replicas"],
                [c["image"] for c in d["spec"]["template"]["spec"]["containers"]],
                d["metadata"]["annotations"].get("deployment.kubernetes.io/revision"),
                d["spec"]["selector"]) for d in l["items"]}
    dr, dd = deploys(real), deploys(dbl)
    case("deployments", dr == dd, "real %s\n      double %s" % (dr, dd))
    def rsets(s):
        code, l = s.req("/apis/apps/v1/namespaces/%s/replicasets" % NS)
        out = {}
        for rs in l["items"]:
            refs = [o for o in rs["metadata"].get("ownerReferences", []) if o.get("controller")]
            owner = refs[0]["name"] if refs else None
            ann = rs["metadata"].get("annotations", {})
            out.setdefault(owner, []).append((int(ann.get("deployment.kubernetes.io/revision", 0)),
                                              ann.get("kubernetes.io/change-cause"),
                                              rs["spec"]["replicas"]))
        return {k: sorted(v) for k, v in out.items()}
    rr, rd = rsets(real), rsets(dbl)
    case("replicasets-history", rr == rd, "real %s\n      double %s" % (rr, rd))
    hr = real.kubectl("-n", NS, "rollout", "history", "deployment/knowledge-service")
    hd = dbl.kubectl("-n", NS, "rollout", "history", "deployment/knowledge-service")
    case("kubectl-rollout-history", hr == hd, "%r vs %r" % (hr, hd))

    # Errors: the same Status, word for word.
    er = real.req("/apis/apps/v1/namespaces/%s/deployments/nope" % NS)
    ed = dbl.req("/apis/apps/v1/namespaces/%s/deployments/nope" % NS)
    case("status-404", er == ed, "%s vs %s" % (er, ed))
    body = json.dumps({"spec": {"replicas": 1}}).encode()
    fr = real.req("/apis/apps/v1/namespaces/%s/deployments/frontend/scale" % NS, method="PATCH",
                  body=body, user="viewer", ctype="application/merge-patch+json")
    fd = dbl.req("/apis/apps/v1/namespaces/%s/deployments/frontend/scale" % NS, method="PATCH",
                 body=body, user="viewer", ctype="application/merge-patch+json")
    case("status-403-viewer-scale", fr == fd, "%s vs %s" % (fr, fd))

    # Scale subresource.
    def scale(s):
        code, o = s.req("/apis/apps/v1/namespaces/%s/deployments/frontend/scale" % NS)
        return code, o["kind"], o["apiVersion"], o["spec"], o["status"].get("selector")
    case("scale-subresource", scale(real) == scale(dbl), "%s vs %s" % (scale(real), scale(dbl)))

    # Access reviews.
    def ssar(s, user):
        body = json.dumps({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                           "spec": {"resourceAttributes": {"namespace": NS, "verb": "patch", "group": "apps",
                                                           "resource": "deployments", "subresource": "scale",
                                                           "name": "frontend"}}}).encode()
        code, o = s.req("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", method="POST",
                        body=body, user=user)
        return code, o["status"]["allowed"]
    for u in ("admin", "viewer"):
        case("ssar-" + u, ssar(real, u) == ssar(dbl, u), "%s vs %s" % (ssar(real, u), ssar(dbl, u)))

    # Pagination: limit and continue give the same total.
    def paged(s):
        n, cont, pages = 0, "", 0
        while True:
            q = "limit=4" + ("&continue=" + urllib.request.quote(cont) if cont else "")
            code, t = s.req("/api/v1/namespaces/%s/pods?%s" % (NS, q), TABLE)
            n += len(t["rows"])
            pages += 1
            cont = t["metadata"].get("continue")
            if not cont or pages > 20:
                return n, pages, "remainingItemCount" in t["metadata"] or pages > 1
    case("pagination", paged(real) == paged(dbl), "%s vs %s" % (paged(real), paged(dbl)))

    # Watch as Table: columns only on the first event, then a MODIFIED row.
    def watch(s):
        rv = pods_table(s)["metadata"]["resourceVersion"]
        lines = []
        def reader():
            r = urllib.request.Request(s.server + "/api/v1/namespaces/%s/pods?watch=1&resourceVersion=%s"
                                       "&timeoutSeconds=3" % (NS, rv))
            r.add_header("Authorization", "Bearer " + s.tokens["admin"])
            r.add_header("Accept", TABLE)
            with urllib.request.urlopen(r, context=s.ctx, timeout=10) as resp:
                for line in resp:
                    lines.append(json.loads(line))
        th = threading.Thread(target=reader)
        th.start()
        import time
        time.sleep(0.5)
        pods = s.kubectl("-n", NS, "get", "pods", "-o", "name").split()
        for p in sorted(pods)[:2]:
            s.kubectl("-n", NS, "label", p, "compare=%s" % s.name, "--overwrite")
        th.join()
        return [(e["type"], e["object"]["kind"], len(e["object"]["rows"]),
                 bool(e["object"].get("columnDefinitions"))) for e in lines]
    wr, wd = watch(real), watch(dbl)
    case("watch-table-events", wr == wd, "%s vs %s" % (wr, wd))
    return 1 if failed else 0


sys.exit(main())
