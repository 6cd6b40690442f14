"""GET /metrics: what a Prometheus would scrape from the kubelets' cAdvisor and from
kube-state-metrics (KSM v2) in a cluster holding the double's objects, in the Prometheus
text format 0.0.4, for the observability test stack (tests/stack/obs.sh).

cAdvisor-style series (labels container, id, image, name, namespace, pod as the kubelet's
/metrics/cadvisor writes them; one series per container, plus the pod-level cgroup with
container="" image="" name="" that real queries filter out with container!=""):
  container_cpu_usage_seconds_total, container_cpu_cfs_periods_total,
  container_cpu_cfs_throttled_periods_total, container_spec_cpu_quota, container_spec_cpu_period,
  container_memory_working_set_bytes, container_memory_usage_bytes,
  container_spec_memory_limit_bytes, container_fs_usage_bytes, container_fs_limit_bytes,
  container_network_receive_bytes_total, container_network_transmit_bytes_total (pod level).
kube-state-metrics-style series (labels namespace, pod, uid, container, node, deployment,
horizontalpodautoscaler, ... as KSM v2 names them): kube_pod_info, kube_pod_owner,
kube_pod_status_phase, kube_pod_status_ready, kube_pod_container_info,
kube_pod_container_resource_requests/limits (resource="cpu" unit="core",
resource="memory" unit="byte"), kube_pod_container_status_{running,waiting,terminated,ready},
kube_pod_container_status_{waiting,terminated,last_terminated}_reason,
kube_pod_container_status_restarts_total, kube_replicaset_owner, kube_deployment_*,
kube_horizontalpodautoscaler_*.

Usage is simulated per container: a CPU fraction and a memory fraction of the container's
limit (of its request when it has no limit), a disk fraction and network rates. Defaults are
stable per container (derived from a hash of its name, below the manual's warning levels);
a container that was OOMKilled sits at 97 % of its memory limit, a crash-looping one that is
backing off uses next to no CPU. POST /_double/usage overrides them (see Usage.set); with
--live the defaults wander a little (overrides stay exact, so tests can rely on them).
Counters are integrated over wall-clock time at the current rates and restart from zero
with a new container ID, as cAdvisor's do for a restarted container.
"""

import hashlib
import math
import re
import threading
import time
import traceback

from store import ApiError, parse_time

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
NODE_FS_BYTES = 20 * 2 ** 30       # the simulated nodes' disk: container_fs_limit_bytes without a limit
CFS_PERIOD_US = 100000              # the kernel's default CFS period
FRACTIONS = ("cpu", "memory", "disk")
RATES = ("rxBytesPerSecond", "txBytesPerSecond")

_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")
_SUFFIX = {None: 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
           "E": 1e18, "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}


def quantity(s):
    """A Kubernetes resource quantity ("500m", "1", "256Mi", "1e3") as a float; None if unset or bad."""
    if s is None or s == "":
        return None
    m = _QUANTITY.match(str(s).strip())
    if not m:
        return None
    return float(m.group(1)) * _SUFFIX[m.group(2)]


def _unit(h, lo, hi):
    """A stable number in [lo, hi) from a hex digest slice."""
    return lo + (hi - lo) * (int(h, 16) / float(16 ** len(h)))


def _fmt(v):
    """A sample value as the text format writes it."""
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def _esc(v):
    return str(v).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")


class Families:
    """Metric families in the order first declared, each with HELP, TYPE and samples."""

    def __init__(self):
        self.order = []
        self.fam = {}

    def add(self, name, mtype, help_text, labels, value):
        f = self.fam.get(name)
        if f is None:
            f = self.fam[name] = (mtype, help_text, [])
            self.order.append(name)
        f[2].append((labels, value))

    def render(self):
        out = []
        for name in self.order:
            mtype, help_text, samples = self.fam[name]
            out.append("# HELP %s %s\n# TYPE %s %s\n" % (name, help_text, name, mtype))
            for labels, value in samples:
                lab = ",".join('%s="%s"' % (k, _esc(v)) for k, v in labels)
                out.append("%s{%s} %s\n" % (name, lab, _fmt(value)) if lab else "%s %s\n" % (name, _fmt(value)))
        return "".join(out).encode("utf-8")


def _owner(obj, kind):
    for ref in obj.md.get("ownerReferences") or []:
        if ref.get("kind") == kind and ref.get("controller"):
            return ref.get("name")
    return None


def _state(cs):
    """(state name, reason) of a containerStatus: running/waiting/terminated."""
    st = cs.get("state") or {}
    for k in ("running", "waiting", "terminated"):
        if k in st:
            return k, (st[k] or {}).get("reason")
    return None, None


class Usage:
    """The simulated usage of every container, its overrides and its counters."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        # (ns, "pod"|"deployment", name, container or "") -> {"cpu": f, "memory": f, ...}
        self.overrides = {}
        # series key -> [total, time of last integration]
        self.counters = {}

    # ------------------------------------------------------------------ the model
    def _deployment_of(self, pod):
        rs = _owner(pod, "ReplicaSet")
        if rs is None:
            return None
        rso = self.app.store.get("replicasets", pod.ns, rs)
        return _owner(rso, "Deployment") if rso is not None else None

    def _override(self, pod, deploy, cname):
        """The override fields in force for one container, most specific last."""
        out = {}
        for key in ((pod.ns, "deployment", deploy, ""), (pod.ns, "deployment", deploy, cname),
                    (pod.ns, "pod", pod.name, ""), (pod.ns, "pod", pod.name, cname)):
            if key[2] is not None and key in self.overrides:
                out.update(self.overrides[key])
        return out

    def model(self, pod, deploy, c, cs, now):
        """The current usage of container spec c (status cs) of pod: a dict of rates and levels."""
        res = c.get("resources") or {}
        lim, req = res.get("limits") or {}, res.get("requests") or {}
        cpu_lim, mem_lim = quantity(lim.get("cpu")), quantity(lim.get("memory"))
        cpu_base = cpu_lim or quantity(req.get("cpu")) or 1.0
        mem_base = mem_lim or quantity(req.get("memory")) or float(2 ** 30)
        eph = quantity(lim.get("ephemeral-storage"))
        fs_limit = eph or NODE_FS_BYTES
        h = hashlib.sha256(("%s/%s/%s" % (pod.ns, pod.name, c["name"])).encode()).hexdigest()
        state, reason = _state(cs)
        last = ((cs.get("lastState") or {}).get("terminated") or {}).get("reason")
        frac = {"cpu": _unit(h[0:6], 0.12, 0.45), "memory": _unit(h[6:12], 0.35, 0.62),
                "disk": _unit(h[12:18], 0.08, 0.30)}
        rx = _unit(h[18:24], 20e3, 400e3)
        rates = {"rxBytesPerSecond": rx, "txBytesPerSecond": rx * _unit(h[24:30], 0.3, 0.9)}
        if reason == "OOMKilled" or last == "OOMKilled":
            frac["memory"] = 0.97                   # it keeps running into its memory limit
        if state == "waiting" and reason == "CrashLoopBackOff" or state == "terminated":
            frac["cpu"] = 0.01                      # backing off: next to nothing runs
        if self.app.live is not None:                # wander slowly around the default
            phase = int(h[30:36], 16) % 628 / 100.0
            for i, k in enumerate(FRACTIONS):
                frac[k] = min(0.99, max(0.0, frac[k] + 0.03 * math.sin(now / (40.0 + 7 * i) + phase + i)))
            rates = {k: v * (1 + 0.2 * math.sin(now / 23.0 + phase)) for k, v in rates.items()}
        over = self._override(pod, deploy, c["name"])
        frac.update({k: v for k, v in over.items() if k in FRACTIONS})
        rates.update({k: v for k, v in over.items() if k in RATES})
        return {"cpuCores": frac["cpu"] * cpu_base, "cpuLimitCores": cpu_lim, "cpuFraction": frac["cpu"],
                "memoryBytes": frac["memory"] * mem_base, "memoryLimitBytes": mem_lim,
                "memoryFraction": frac["memory"], "diskBytes": frac["disk"] * fs_limit, "diskLimitBytes": fs_limit,
                "diskFraction": frac["disk"], "rxBytesPerSecond": rates["rxBytesPerSecond"],
                "txBytesPerSecond": rates["txBytesPerSecond"], "overridden": sorted(over)}

    def _containers(self, pod):
        """(container spec, status) pairs of the containers of pod that have started at least once."""
        specs = {c["name"]: c for c in (pod.data.get("spec") or {}).get("containers") or []}
        for cs in (pod.data.get("status") or {}).get("containerStatuses") or []:
            if cs.get("containerID") and cs.get("name") in specs:
                yield specs[cs["name"]], cs

    def _counter(self, key, rate, now, start=None):
        """Advance the counter of series key at rate per second up to now; return its value.
        A new series starts where a counter running since start would be."""
        cur = self.counters.get(key)
        if cur is None:
            cur = self.counters[key] = [rate * max(0.0, now - start) if start else 0.0, now]
        cur[0] += rate * max(0.0, now - cur[1])
        cur[1] = now
        return cur[0]

    def advance(self, now=None):
        """Bring every counter up to now at the current rates (before the rates change)."""
        self.collect(now or time.time())

    # ------------------------------------------------------------------ the control API
    def set(self, spec):
        """POST /_double/usage: {"namespace", "pod"|"deployment", "container"?, "cpu", "memory", "disk",
        "rxBytesPerSecond", "txBytesPerSecond"} (fractions 0..1 of the limit; null removes an override),
        or {"reset": true} (with pod/deployment: only theirs). Answers the usage now in force."""
        store = self.app.store
        ns = spec.get("namespace") or "soundcore-kcp-prod"
        pod, deploy, cname = spec.get("pod"), spec.get("deployment"), spec.get("container") or ""
        if pod and deploy:
            raise ApiError(400, "BadRequest", "usage takes a pod or a deployment, not both", {})
        if pod and store.get("pods", ns, pod) is None:
            raise ApiError(404, "NotFound", 'pods "%s" not found' % pod, {"name": pod, "kind": "pods"})
        if deploy and store.get("deployments", ns, deploy) is None:
            raise ApiError(404, "NotFound", 'deployments.apps "%s" not found' % deploy,
                           {"name": deploy, "group": "apps", "kind": "deployments"})
        fields = {}
        for k, v in spec.items():
            if k in ("namespace", "pod", "deployment", "container", "reset"):
                continue
            if k not in FRACTIONS + RATES:
                raise ApiError(400, "BadRequest", "unknown usage field %r (cpu, memory, disk, rxBytesPerSecond, "
                               "txBytesPerSecond)" % k, {})
            if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0 or
                                  (k in FRACTIONS and v > 1)):
                raise ApiError(400, "BadRequest", "%s must be %s or null" % (
                    k, "a fraction of the limit, 0 to 1" if k in FRACTIONS else "a rate >= 0"), {})
            fields[k] = v
        if not spec.get("reset") and not (pod or deploy):
            raise ApiError(400, "BadRequest", "usage needs a pod or a deployment (or reset)", {})
        self.advance()
        with self.lock:
            if spec.get("reset"):
                for key in list(self.overrides):
                    if (not pod and not deploy) or key[:3] in ((ns, "pod", pod), (ns, "deployment", deploy)):
                        del self.overrides[key]
            if pod or deploy:
                key = (ns, "pod", pod, cname) if pod else (ns, "deployment", deploy, cname)
                cur = dict(self.overrides.get(key) or {})
                for k, v in fields.items():
                    if v is None:
                        cur.pop(k, None)
                    else:
                        cur[k] = float(v)
                if cur:
                    self.overrides[key] = cur
                else:
                    self.overrides.pop(key, None)
        return {"usage": self.view(ns, pod, deploy)}

    def view(self, ns=None, pod=None, deploy=None):
        """GET /_double/usage[?namespace=&pod=&deployment=]: the usage of each running container."""
        store = self.app.store
        now = time.time()
        out = []
        with store.lock:
            pods = store.list("pods", ns)
            with self.lock:
                for p in pods:
                    d = self._deployment_of(p)
                    if (pod and p.name != pod) or (deploy and d != deploy):
                        continue
                    for c, cs in self._containers(p):
                        u = self.model(p, d, c, cs, now)
                        u.update({"namespace": p.ns, "pod": p.name, "container": c["name"], "deployment": d})
                        out.append(u)
        return out

    # ------------------------------------------------------------------ the exposition
    def collect(self, now):
        """All series, as Families."""
        store = self.app.store
        fam = Families()
        with store.lock:
            pods = store.list("pods")
            rss = store.list("replicasets")
            deploys = store.list("deployments")
            hpas = store.list("horizontalpodautoscalers")
            with self.lock:
                seen = set()
                for p in pods:
                    self._pod_cadvisor(fam, p, now, seen)
                for key in list(self.counters):      # series of containers that are gone
                    if key not in seen:
                        del self.counters[key]
        for p in pods:
            self._pod_ksm(fam, p)
        for rs in rss:
            self._replicaset(fam, rs)
        for d in deploys:
            self._deployment(fam, d)
        for h in hpas:
            self._hpa(fam, h)
        return fam

    def _pod_cadvisor(self, fam, p, now, seen):
        uid = p.md.get("uid", "")
        qos = ((p.data.get("status") or {}).get("qosClass") or "BestEffort").lower()
        pod_cg = "/kubepods/%spod%s" % ("" if qos == "guaranteed" else qos + "/", uid)
        deploy = self._deployment_of(p)
        pod_lab = [("container", ""), ("id", pod_cg), ("image", ""), ("name", ""), ("namespace", p.ns),
                   ("pod", p.name)]
        tot = {"cpu": 0.0, "ws": 0.0, "usage": 0.0, "limit": 0.0, "rx": 0.0, "tx": 0.0}
        unlimited = False
        any_c = False
        for c, cs in self._containers(p):
            any_c = True
            u = self.model(p, deploy, c, cs, now)
            cid = cs["containerID"].split("://", 1)[-1]
            lab = [("container", c["name"]), ("id", "%s/%s" % (pod_cg, cid)), ("image", cs.get("image") or
                   c.get("image", "")), ("name", cid), ("namespace", p.ns), ("pod", p.name)]
            started = parse_time(((cs.get("state") or {}).get("running") or {}).get("startedAt"))
            key = ("cpu", cid)
            seen.add(key)
            cpu = self._counter(key, u["cpuCores"], now, started)
            tot["cpu"] += u["cpuCores"]
            fam.add("container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed in seconds.",
                    lab, cpu)
            if u["cpuLimitCores"]:
                # ten CFS periods a second; throttling starts as the usage nears the quota
                frac = u["cpuCores"] / u["cpuLimitCores"]
                throttled = 10.0 * min(1.0, max(0.0, frac - 0.8) * 5)
                for kind, rate, name, what in (("periods", 10.0, "periods", "elapsed enforcement"),
                                               ("throttled", throttled, "throttled_periods", "throttled")):
                    seen.add((kind, cid))
                    v = self._counter((kind, cid), rate, now, started)
                    fam.add("container_cpu_cfs_%s_total" % name, "counter", "Number of %s period intervals." % what,
                            lab, int(v))
                fam.add("container_spec_cpu_quota", "gauge", "CPU quota of the container.", lab,
                        int(u["cpuLimitCores"] * CFS_PERIOD_US))
                fam.add("container_spec_cpu_period", "gauge", "CPU period of the container.", lab, CFS_PERIOD_US)
            ws = int(u["memoryBytes"])
            usage = int(ws * 1.05)                   # the page cache on top of the working set ...
            if u["memoryLimitBytes"]:
                usage = min(usage, int(u["memoryLimitBytes"]))   # ... which the limit caps
            tot["ws"] += ws
            tot["usage"] += usage
            if u["memoryLimitBytes"]:
                tot["limit"] += u["memoryLimitBytes"]
            else:
                unlimited = True
            fam.add("container_memory_working_set_bytes", "gauge", "Current working set in bytes.", lab, ws)
            fam.add("container_memory_usage_bytes", "gauge",
                    "Current memory usage in bytes, including all memory regardless of when it was accessed.",
                    lab, usage)
            fam.add("container_spec_memory_limit_bytes", "gauge", "Memory limit for the container.", lab,
                    int(u["memoryLimitBytes"] or 0))
            fs_lab = lab[:1] + [("device", "/dev/vda1")] + lab[1:]
            fam.add("container_fs_usage_bytes", "gauge", "Number of bytes that are consumed by the container on "
                    "this filesystem.", fs_lab, int(u["diskBytes"]))
            fam.add("container_fs_limit_bytes", "gauge", "Number of bytes that can be consumed by the container on "
                    "this filesystem.", fs_lab, int(u["diskLimitBytes"]))
            tot["rx"] += u["rxBytesPerSecond"]
            tot["tx"] += u["txBytesPerSecond"]
        if not any_c:
            return
        # the pod's own cgroup: the sum of its containers, outliving their restarts; network is only known
        # per pod (its sandbox)
        start = parse_time((p.data.get("status") or {}).get("startTime"))
        seen.add(("cpu-pod", uid))
        fam.add("container_cpu_usage_seconds_total", "counter", "", pod_lab,
                self._counter(("cpu-pod", uid), tot["cpu"], now, start))
        fam.add("container_memory_working_set_bytes", "gauge", "", pod_lab, int(tot["ws"]))
        fam.add("container_memory_usage_bytes", "gauge", "", pod_lab, int(tot["usage"]))
        fam.add("container_spec_memory_limit_bytes", "gauge", "", pod_lab, 0 if unlimited else int(tot["limit"]))
        net_lab = pod_lab[:1] + [("id", pod_cg), ("image", ""), ("interface", "eth0")] + pod_lab[3:]
        for k, name, what in (("rx", "receive", "received"), ("tx", "transmit", "transmitted")):
            key = ("net-" + k, uid)
            seen.add(key)
            fam.add("container_network_%s_bytes_total" % name, "counter",
                    "Cumulative count of bytes %s" % what, net_lab, int(self._counter(key, tot[k], now, start)))

    def _pod_ksm(self, fam, p):
        md, spec, st = p.md, p.data.get("spec") or {}, p.data.get("status") or {}
        base = [("namespace", p.ns), ("pod", p.name), ("uid", md.get("uid", ""))]
        node = spec.get("nodeName", "")
        owner = (md.get("ownerReferences") or [{}])[0]
        fam.add("kube_pod_info", "gauge", "Information about pod.", base + [
            ("host_ip", st.get("hostIP", "")), ("pod_ip", st.get("podIP", "")), ("node", node),
            ("created_by_kind", owner.get("kind", "")), ("created_by_name", owner.get("name", "")),
            ("priority_class", spec.get("priorityClassName", "")), ("host_network", "false")], 1)
        for ref in md.get("ownerReferences") or []:
            fam.add("kube_pod_owner", "gauge", "Information about the Pod's owner.", base + [
                ("owner_kind", ref.get("kind", "")), ("owner_name", ref.get("name", "")),
                ("owner_is_controller", "true" if ref.get("controller") else "false")], 1)
        phase = st.get("phase", "Pending")
        for ph in ("Pending", "Succeeded", "Failed", "Unknown", "Running"):
            fam.add("kube_pod_status_phase", "gauge", "The pods current phase.", base + [("phase", ph)],
                    1 if ph == phase else 0)
        ready = next((c.get("status") for c in st.get("conditions") or [] if c.get("type") == "Ready"), None)
        if ready is not None:
            for cond in ("true", "false", "unknown"):
                fam.add("kube_pod_status_ready", "gauge", "Describes whether the pod is ready to serve requests.",
                        base + [("condition", cond)], 1 if ready.lower() == cond else 0)
        statuses = {cs.get("name"): cs for cs in st.get("containerStatuses") or []}
        for c in spec.get("containers") or []:
            clab = base + [("container", c["name"])]
            res = c.get("resources") or {}
            for fam_name, which, what in (("kube_pod_container_resource_requests", "requests", "requested"),
                                          ("kube_pod_container_resource_limits", "limits", "limit")):
                for rname, unit in (("cpu", "core"), ("memory", "byte"), ("ephemeral-storage", "byte")):
                    v = quantity((res.get(which) or {}).get(rname))
                    if v is not None:
                        fam.add(fam_name, "gauge", "The number of %s resource %s by a container." % (
                            what, which[:-1] if which == "limits" else "request"),
                            clab + [("node", node), ("resource", rname), ("unit", unit)], v)
            cs = statuses.get(c["name"])
            if cs is None:
                continue
            fam.add("kube_pod_container_info", "gauge", "Information about a container in a pod.", clab + [
                ("image_spec", c.get("image", "")), ("image", cs.get("image", "")),
                ("image_id", cs.get("imageID", "")), ("container_id", cs.get("containerID", ""))], 1)
            state, reason = _state(cs)
            for s in ("running", "waiting", "terminated"):
                fam.add("kube_pod_container_status_%s" % s, "gauge",
                        "Describes whether the container is currently in %s state." % s, clab, int(state == s))
            fam.add("kube_pod_container_status_ready", "gauge",
                    "Describes whether the containers readiness check succeeded.", clab, int(bool(cs.get("ready"))))
            if state in ("waiting", "terminated") and reason:
                fam.add("kube_pod_container_status_%s_reason" % state, "gauge",
                        "Describes the reason the container is currently in %s state." % state,
                        clab + [("reason", reason)], 1)
            last = ((cs.get("lastState") or {}).get("terminated") or {}).get("reason")
            if last:
                fam.add("kube_pod_container_status_last_terminated_reason", "gauge",
                        "Describes the last reason the container was in terminated state.",
                        clab + [("reason", last)], 1)
            fam.add("kube_pod_container_status_restarts_total", "counter",
                    "The number of container restarts per container.", clab, int(cs.get("restartCount") or 0))

    @staticmethod
    def _replicaset(fam, rs):
        for ref in rs.md.get("ownerReferences") or []:
            fam.add("kube_replicaset_owner", "gauge", "Information about the ReplicaSet's owner.", [
                ("namespace", rs.ns), ("replicaset", rs.name), ("owner_kind", ref.get("kind", "")),
                ("owner_name", ref.get("name", "")),
                ("owner_is_controller", "true" if ref.get("controller") else "false")], 1)

    @staticmethod
    def _deployment(fam, d):
        lab = [("namespace", d.ns), ("deployment", d.name)]
        spec, st = d.data.get("spec") or {}, d.data.get("status") or {}
        fam.add("kube_deployment_spec_replicas", "gauge", "Number of desired pods for a deployment.", lab,
                int(spec.get("replicas", 1)))
        for field, name, what in (("replicas", "replicas", "The number of replicas per deployment."),
                                  ("availableReplicas", "replicas_available",
                                   "The number of available replicas per deployment."),
                                  ("unavailableReplicas", "replicas_unavailable",
                                   "The number of unavailable replicas per deployment."),
                                  ("updatedReplicas", "replicas_updated",
                                   "The number of updated replicas per deployment."),
                                  ("readyReplicas", "replicas_ready",
                                   "The number of ready replicas per deployment.")):
            fam.add("kube_deployment_status_" + name, "gauge", what, lab, int(st.get(field) or 0))
        fam.add("kube_deployment_status_observed_generation", "gauge",
                "The generation observed by the deployment controller.", lab, int(st.get("observedGeneration") or 0))
        fam.add("kube_deployment_metadata_generation", "gauge",
                "Sequence number representing a specific generation of the desired state.", lab,
                int(d.md.get("generation") or 0))

    @staticmethod
    def _hpa(fam, h):
        lab = [("namespace", h.ns), ("horizontalpodautoscaler", h.name)]
        spec, st = h.data.get("spec") or {}, h.data.get("status") or {}
        ref = spec.get("scaleTargetRef") or {}
        fam.add("kube_horizontalpodautoscaler_info", "gauge", "Information about this autoscaler.", lab + [
            ("scaletargetref_api_version", ref.get("apiVersion", "")), ("scaletargetref_kind", ref.get("kind", "")),
            ("scaletargetref_name", ref.get("name", ""))], 1)
        for name, v, what in (("spec_min_replicas", spec.get("minReplicas", 1),
                               "Lower limit for the number of pods that can be set by the autoscaler, default 1."),
                              ("spec_max_replicas", spec.get("maxReplicas", 0),
                               "Upper limit for the number of pods that can be set by the autoscaler; cannot be "
                               "smaller than MinReplicas."),
                              ("status_current_replicas", st.get("currentReplicas", 0),
                               "Current number of replicas of pods managed by this autoscaler."),
                              ("status_desired_replicas", st.get("desiredReplicas", 0),
                               "Desired number of replicas of pods managed by this autoscaler.")):
            fam.add("kube_horizontalpodautoscaler_" + name, "gauge", what, lab, int(v or 0))
        mlab = lab + [("metric_name", "cpu"), ("metric_target_type", "utilization")]
        if spec.get("targetCPUUtilizationPercentage") is not None:
            fam.add("kube_horizontalpodautoscaler_spec_target_metric", "gauge",
                    "The metric specifications used by this autoscaler when calculating the desired replica count.",
                    mlab, int(spec["targetCPUUtilizationPercentage"]))
        if st.get("currentCPUUtilizationPercentage") is not None:
            fam.add("kube_horizontalpodautoscaler_status_target_metric", "gauge",
                    "The current metric status used by this autoscaler when calculating the desired replica "
                    "count.", mlab, int(st["currentCPUUtilizationPercentage"]))


def serve(h):
    """Answer GET /metrics on handler h: the exposition of the app's Usage."""
    try:
        body, code, ctype = h.server.app.usage.collect(time.time()).render(), 200, CONTENT_TYPE
    except Exception as e:  # a bug here: a failed scrape (up == 0), and the trace on stderr
        traceback.print_exc()
        body, code, ctype = ("metrics: %s\n" % e).encode(), 500, "text/plain; charset=utf-8"
    h.send_response(code)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def control(h, method, q, data):
    """The /_double/usage control endpoint: GET shows, POST sets (see Usage.set)."""
    usage = h.server.app.usage
    if method == "GET":
        h.send_body(200, {"usage": usage.view(q.get("namespace") or None, q.get("pod") or None,
                                              q.get("deployment") or None)})
    elif method == "POST":
        h.send_body(200, usage.set(data))
    else:
        raise ApiError(405, "MethodNotAllowed", "use GET or POST for /_double/usage", {})
