"""Seed scenarios: "kcp" (namespace soundcore-kcp-prod, as ../shared/k8s-real/seed-kcp.sh
leaves a real cluster, plus HPAs and events), "empty", a JSON file of objects, and the
scale scenario (--scale-pods N --scale-deploys M across 10 namespaces).

Scenarios are built through the same controller that serves requests, with the store's
clock set into the past, so ReplicaSets, revisions, pods and events look like history.
"""

import copy
import json
import time

import kubelet
from kinds import STORAGE, apply_defaults
from store import rfc3339

NS = "soundcore-kcp-prod"

# name, replicas, image, port, tier, cpu req, mem req, cpu lim, mem lim, change-cause, env
KCP = [
    ("knowledge-service", 3, "nginx:1.25.3-alpine", 8001, "backend", "100m", "128Mi", "500m", "256Mi",
     "initial deploy: knowledge-service on nginx:1.25.3-alpine",
     [("SERVICE_NAME", "knowledge-service"), ("LOG_LEVEL", "info"), ("KCP_REGION", "eu-west-1"),
      ("SEARCH_INDEX", "kb-prod-v7"), ("CACHE_TTL_SECONDS", "300")]),
    ("content-service", 2, "nginx:1.25.4", 8002, "backend", "200m", "256Mi", "1", "512Mi",
     "initial deploy: content-service on nginx:1.25.4",
     [("SERVICE_NAME", "content-service"), ("LOG_LEVEL", "info"), ("KCP_REGION", "eu-west-1"),
      ("CDN_BUCKET", "soundcore-content-prod")]),
    ("support-service", 2, "nginxinc/nginx-unprivileged:1.25-alpine", 8003, "backend", "100m", "128Mi", "250m",
     "256Mi", "initial deploy: support-service on nginx-unprivileged:1.25-alpine",
     [("SERVICE_NAME", "support-service"), ("LOG_LEVEL", "warn"), ("KCP_REGION", "eu-west-1"),
      ("TICKET_QUEUE", "support-prod")]),
    ("analytics-service", 2, "bitnami/nginx:1.25.4", 8004, "backend", "250m", "192Mi", "1", "256Mi",
     "initial deploy: analytics-service on bitnami/nginx:1.25.4",
     [("SERVICE_NAME", "analytics-service"), ("LOG_LEVEL", "debug"), ("KCP_REGION", "eu-west-1"),
      ("BATCH_SIZE", "5000")]),
    ("auth-service", 2, "nginx:1.25.5-alpine", 8005, "backend", "100m", "64Mi", "300m", "128Mi",
     "initial deploy: auth-service on nginx:1.25.5-alpine",
     [("SERVICE_NAME", "auth-service"), ("LOG_LEVEL", "info"), ("KCP_REGION", "eu-west-1"), ("TOKEN_TTL", "15m")]),
    ("frontend", 3, "nginx:1.25.5-alpine", 80, "frontend", "50m", "64Mi", "200m", "128Mi",
     "initial deploy: frontend on nginx:1.25.5-alpine",
     [("SERVICE_NAME", "frontend"), ("LOG_LEVEL", "info"), ("KCP_REGION", "eu-west-1"),
      ("KNOWLEDGE_SERVICE_ADDR", "knowledge-service:8001")]),
]

KNOWLEDGE_REVISIONS = [
    (26 * 3600, "nginx:1.25.4-alpine", "image nginx:1.25.4-alpine: search latency hotfix"),
    (50 * 60, "nginx:1.25.5-alpine", "image nginx:1.25.5-alpine: base image security update"),
]


def namespace(store, name, labels=None):
    data = {"metadata": {"name": name, "labels": dict(labels or {})}}
    apply_defaults("namespaces", data)
    return store.create("namespaces", data)


def deployment(name, ns, replicas, image, port, tier, creq, mreq, clim, mlim, cause, env, part_of=True):
    labels = {"app": name, "tier": tier}
    if part_of:
        labels["app.kubernetes.io/part-of"] = "soundcore-kcp"
    d = {"metadata": {"name": name, "namespace": ns, "labels": labels,
                      "annotations": {"kubernetes.io/change-cause": cause} if cause else {}},
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                  "template": {"metadata": {"labels": {"app": name, "tier": tier}},
                               "spec": {"containers": [{
                                   "name": name, "image": image,
                                   "ports": [{"name": "http", "containerPort": port}],
                                   "env": [{"name": k, "value": v} for k, v in env],
                                   "resources": {"requests": {"cpu": creq, "memory": mreq},
                                                 "limits": {"cpu": clim, "memory": mlim}}}]}}}}
    apply_defaults("deployments", d)
    return d


def _at(store, seconds_ago):
    store.clock_offset = -float(seconds_ago)


def _pods_of(store, ns, app):
    return sorted((p for p in store.list("pods", ns) if (p.md.get("labels") or {}).get("app") == app),
                  key=lambda p: p.name)


def _set_status(store, pod, status, drop_node=False):
    data = copy.deepcopy(pod.data)
    data["status"] = status
    if drop_node:
        data["spec"].pop("nodeName", None)
    return store.update("pods", data)


def _event(store, pod, etype, reason, message, component, count, first_ago, last_ago, now, field=None):
    inv = {"kind": "Pod", "namespace": pod.ns, "name": pod.name, "uid": pod.md["uid"], "apiVersion": "v1",
           "resourceVersion": pod.md["resourceVersion"]}
    if field:
        inv["fieldPath"] = field
    src = {"component": component}
    if component == "kubelet":
        src["host"] = pod.data["spec"].get("nodeName", "")
    data = {"metadata": {"name": "%s.%x" % (pod.name, int((now - first_ago) * 1e9)), "namespace": pod.ns},
            "involvedObject": inv, "reason": reason, "message": message, "source": src,
            "firstTimestamp": rfc3339(now - first_ago), "lastTimestamp": rfc3339(now - last_ago), "count": count,
            "type": etype, "eventTime": None, "reportingComponent": component,
            "reportingInstance": src.get("host", "")}
    store.create("events", data)


def build_kcp(store, ctrl):
    t0 = time.time()
    _at(store, 41 * 86400)
    for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
        namespace(store, name)
    _at(store, 3 * 86400 + 7200)
    namespace(store, NS, {"team": "soundcore", "environment": "prod", "app.kubernetes.io/part-of": "soundcore-kcp"})
    # a cluster add-on, so that `get pods -A` shows more than one namespace
    _at(store, 41 * 86400)
    dns = deployment("coredns", "kube-system", 2, "registry.k8s.io/coredns/coredns:v1.11.3", 53, "dns",
                     "100m", "70Mi", "", "170Mi", "", [], part_of=False)
    dns["metadata"]["labels"] = {"k8s-app": "kube-dns"}
    dns["spec"]["selector"] = {"matchLabels": {"k8s-app": "kube-dns"}}
    dns["spec"]["template"]["metadata"]["labels"] = {"k8s-app": "kube-dns"}
    c = dns["spec"]["template"]["spec"]["containers"][0]
    c["ports"] = [{"name": "dns", "containerPort": 53, "protocol": "UDP"},
                  {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"}]
    c["resources"]["limits"] = {"memory": "170Mi"}
    c.pop("env", None)
    store.create("deployments", dns)
    ctrl.settle()
    _at(store, 3 * 86400)
    for row in KCP:
        store.create("deployments", deployment(row[0], NS, *row[1:]))
    ctrl.settle()
    for ago, image, cause in KNOWLEDGE_REVISIONS:
        _at(store, ago)
        d = copy.deepcopy(store.get("deployments", NS, "knowledge-service").data)
        d["metadata"]["annotations"]["kubernetes.io/change-cause"] = cause
        d["spec"]["template"]["spec"]["containers"][0]["image"] = image
        d["metadata"]["generation"] += 1
        store.update("deployments", d)
        ctrl.settle()
    _at(store, 0)
    now = store.now()

    # the faults, written as a kubelet and scheduler would write them
    p = _pods_of(store, NS, "knowledge-service")[0]
    p = _set_status(store, p, kubelet.status_crashloop(p.data, now, restarts=7, last_finished=now - 62))
    _event(store, p, "Warning", "BackOff", "Back-off restarting failed container knowledge-service in pod %s_%s(%s)"
           % (p.name, NS, p.md["uid"]), "kubelet", 31, 840, 12, now, "spec.containers{knowledge-service}")
    p = _pods_of(store, NS, "content-service")[0]
    msg = ("0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption "
           "victims found for incoming pod.")
    p = _set_status(store, p, kubelet.status_unschedulable(p.data, now - 240, msg), drop_node=True)
    _event(store, p, "Warning", "FailedScheduling", msg, "default-scheduler", 5, 240, 35, now)
    p = _pods_of(store, NS, "support-service")[0]
    img = p.data["spec"]["containers"][0]["image"]
    p = _set_status(store, p, kubelet.status_image_pull_backoff(p.data, now))
    _event(store, p, "Warning", "Failed", 'Failed to pull image "%s": rpc error: code = NotFound desc = failed to '
           'pull and unpack image "docker.io/%s": not found' % (img, img), "kubelet", 8, 420, 60, now,
           "spec.containers{support-service}")
    _event(store, p, "Normal", "BackOff", 'Back-off pulling image "%s"' % img, "kubelet", 27, 415, 9, now,
           "spec.containers{support-service}")
    p = _pods_of(store, NS, "analytics-service")[0]
    p = _set_status(store, p, kubelet.status_oomkilled(p.data, now, restarts=4))
    _event(store, p, "Warning", "BackOff", "Back-off restarting failed container analytics-service in pod %s_%s(%s)"
           % (p.name, NS, p.md["uid"]), "kubelet", 4, 1500, 15, now, "spec.containers{analytics-service}")
    ctrl.settle()

    for name, target, mn, mx, cpu in (("frontend", "frontend", 3, 10, 42),
                                      ("knowledge-service-hpa", "knowledge-service", 3, 20, 83)):
        _at(store, 3 * 86400 - 600)
        d = store.get("deployments", NS, target)
        h = {"metadata": {"name": name, "namespace": NS},
             "spec": {"scaleTargetRef": {"kind": "Deployment", "name": target, "apiVersion": "apps/v1"},
                      "minReplicas": mn, "maxReplicas": mx, "targetCPUUtilizationPercentage": 70}}
        apply_defaults("horizontalpodautoscalers", h)
        h["status"] = {"lastScaleTime": rfc3339(now - 86400),
                       "currentReplicas": (d.data.get("status") or {}).get("replicas", 0),
                       "desiredReplicas": d.data["spec"]["replicas"], "currentCPUUtilizationPercentage": cpu}
        store.create("horizontalpodautoscalers", h)
    _at(store, 0)
    return time.time() - t0


def build_empty(store, ctrl):
    for name in ("default", "kube-system", "kube-public", "kube-node-lease", NS):
        namespace(store, name)


def build_file(store, ctrl, path):
    """Objects from a JSON file: a List, an array, or {"items": [...]}; namespaces are created as needed."""
    with open(path) as f:
        doc = json.load(f)
    items = doc if isinstance(doc, list) else doc.get("items") or []
    build_empty(store, ctrl)
    by_kind = {k.kind: k for k in STORAGE.values()}
    for it in items:
        kind = by_kind.get(it.get("kind"))
        if kind is None:
            raise SystemExit("kube-double: %s: unsupported kind %r" % (path, it.get("kind")))
        md = it.setdefault("metadata", {})
        if kind.namespaced:
            md.setdefault("namespace", "default")
            if store.get("namespaces", "", md["namespace"]) is None:
                namespace(store, md["namespace"])
        elif kind.storage == "namespaces" and store.get("namespaces", "", md.get("name")) is not None:
            continue
        status = copy.deepcopy(it.get("status"))
        apply_defaults(kind.storage, it)
        obj = store.create(kind.storage, it)
        if kind.storage == "pods" and status:
            ctrl.forget_pod(obj.key)
        elif kind.storage == "pods":
            data = copy.deepcopy(obj.data)
            data["spec"].setdefault("nodeName", kubelet.node_for(obj.name)[0])
            data["status"] = kubelet.status_running(data, store.now())
            store.update("pods", data)
        ctrl.settle()


def build_scale(store, ctrl, pods, deploys, namespaces=10):
    """deploys deployments in namespaces scale-00.., pods spread evenly, all Running; no controller events."""
    t0 = time.time()
    deploys = max(1, deploys)
    record = ctrl.record_events
    ctrl.record_events = False
    _at(store, 86400)
    nss = ["scale-%02d" % i for i in range(namespaces)]
    for ns in nss:
        if store.get("namespaces", "", ns) is None:
            namespace(store, ns, {"scale-test": "true"})
    base, extra = divmod(pods, deploys)
    for i in range(deploys):
        n = base + (1 if i < extra else 0)
        ns = nss[i % namespaces]
        d = deployment("svc-%04d" % i, ns, n, "nginx:1.25.5-alpine", 8080, "backend", "10m", "16Mi", "100m",
                       "64Mi", "initial deploy", [("LOG_LEVEL", "info")], part_of=False)
        store.create("deployments", d)
        if (i + 1) % 50 == 0:
            ctrl.settle(max_steps=100000)
    ctrl.settle(max_steps=100000)
    _at(store, 0)
    ctrl.record_events = record
    return time.time() - t0

