"""Things that change by themselves: --live mode (crash-looping pods keep restarting, one
pod's readiness flaps) and POST /_double/churn (N pod status changes a second).
"""

import copy
import random
import threading
import time
import traceback

import kubelet
from store import ApiError, rfc3339


def _set_ready(data, ready, now_s, restart=False, now=None):
    """Flip a running pod's readiness; with restart, count a container restart too."""
    st = data.setdefault("status", {})
    names = [c["name"] for c in (data.get("spec") or {}).get("containers") or []]
    for c in st.get("conditions") or []:
        if c.get("type") in ("Ready", "ContainersReady"):
            c["status"] = "True" if ready else "False"
            c["lastTransitionTime"] = now_s
            if ready:
                c.pop("reason", None)
                c.pop("message", None)
            else:
                c["reason"] = "ContainersNotReady"
                c["message"] = "containers with unready status: [%s]" % " ".join(names)
    for cs in st.get("containerStatuses") or []:
        cs["ready"] = ready
        if restart:
            md = data["metadata"]
            n = (cs.get("restartCount") or 0) + 1
            cs["lastState"] = {"terminated": {
                "exitCode": 1, "reason": "Error", "startedAt": rfc3339((now or time.time()) - 120),
                "finishedAt": now_s,
                "containerID": kubelet.container_id(md.get("namespace", ""), md["name"], cs["name"], n - 1)}}
            cs["restartCount"] = n
            cs["containerID"] = kubelet.container_id(md.get("namespace", ""), md["name"], cs["name"], n)
            cs["state"] = {"running": {"startedAt": now_s}}
            cs["started"] = True


def _running(pod):
    """A pod the simulated kubelet runs normally (no fault state): candidates for churn and flapping."""
    if pod.md.get("deletionTimestamp"):
        return False
    css = (pod.data.get("status") or {}).get("containerStatuses") or []
    return bool(css) and all("running" in (cs.get("state") or {}) for cs in css)


class Churn(threading.Thread):
    def __init__(self, app, rate, seconds, namespace=None):
        super().__init__(name="churn", daemon=True)
        self.app = app
        self.rate = rate
        self.seconds = seconds
        self.namespace = namespace
        self.changes = 0
        self.started = time.time()
        self.stop = threading.Event()
        self.rng = random.Random()

    def view(self):
        return {"rate": self.rate, "seconds": self.seconds, "namespace": self.namespace, "changes": self.changes,
                "running": self.is_alive()}

    def run(self):
        store = self.app.store
        end = self.started + self.seconds
        done = 0
        while not self.stop.is_set() and not self.app.stopping.is_set():
            now = time.time()
            target = int(self.rate * (min(now, end) - self.started))
            if target > done:
                with store.lock:
                    pods = store.list("pods", self.namespace)
                    for _ in range(target - done):
                        self._one(pods)
                done = target
            if now >= end:
                break
            self.stop.wait(0.02)

    def _one(self, pods):
        store = self.app.store
        for _ in range(20):
            if not pods:
                return
            p = self.rng.choice(pods)
            cur = store.get("pods", p.ns, p.name)
            if cur is None or not _running(cur):
                continue
            data = copy.deepcopy(cur.data)
            now = store.now()
            ready = kubelet.is_ready(data)
            _set_ready(data, not ready, rfc3339(now), restart=not ready, now=now)
            store.update("pods", data)
            self.app.controller.forget_pod(cur.key)
            self.changes += 1
            return


def start_churn(app, spec):
    rate = spec.get("rate", 100)
    seconds = spec.get("seconds", 10)
    ns = spec.get("namespace") or None
    if not isinstance(rate, (int, float)) or rate < 0 or not isinstance(seconds, (int, float)) or seconds < 0:
        raise ApiError(400, "BadRequest", "churn needs a non-negative rate and seconds", {})
    if app.churn is not None:
        app.churn.stop.set()
    app.churn = None
    if rate == 0 or seconds == 0:
        return {"churn": None}
    c = Churn(app, float(rate), float(seconds), ns)
    app.churn = c
    c.start()
    return {"churn": c.view()}


class Live(threading.Thread):
    """--live: crash-looping pods cycle CrashLoopBackOff -> Running -> Error -> CrashLoopBackOff with a growing
    restart count (and their BackOff event counts up); one healthy pod's readiness flaps."""

    def __init__(self, app, namespace="soundcore-kcp-prod", period=1.0):
        super().__init__(name="live", daemon=True)
        self.app = app
        self.namespace = namespace
        self.period = period
        self.next = {}       # pod key -> (time of next transition)
        self.flap_key = None
        self.flap_next = 0.0
        self.stop = threading.Event()

    def run(self):
        while not self.app.stopping.wait(self.period) and not self.stop.is_set():
            store = self.app.store
            with store.lock:
                try:
                    now = store.now()
                    for p in store.list("pods", self.namespace):
                        self._crashloop(p, now)
                    self._flap(now)
                except Exception:
                    traceback.print_exc()

    def _crashloop(self, p, now):
        store = self.app.store
        if p.md.get("deletionTimestamp"):
            return
        css = (p.data.get("status") or {}).get("containerStatuses") or []
        if not css:
            return
        state = css[0].get("state") or {}
        wait_reason = (state.get("waiting") or {}).get("reason")
        key = p.key
        if wait_reason != "CrashLoopBackOff" and key not in self.next:
            return
        due = self.next.get(key)
        if due is None:
            self.next[key] = now + 6
            return
        if now < due:
            return
        data = copy.deepcopy(p.data)
        cs = data["status"]["containerStatuses"][0]
        now_s = rfc3339(now)
        md = data["metadata"]
        if wait_reason == "CrashLoopBackOff":      # the back-off ended: the container runs again
            n = (cs.get("restartCount") or 0) + 1
            cs["restartCount"] = n
            cs["state"] = {"running": {"startedAt": now_s}}
            cs["started"] = True
            cs["containerID"] = kubelet.container_id(md.get("namespace", ""), md["name"], cs["name"], n)
            self.next[key] = now + 4
        elif "running" in (cs.get("state") or {}):  # it crashes
            cs["state"] = {"terminated": {"exitCode": 1, "reason": "Error",
                                          "startedAt": cs["state"]["running"].get("startedAt", now_s),
                                          "finishedAt": now_s, "containerID": cs.get("containerID", "")}}
            cs["started"] = False
            self.next[key] = now + 2
        else:                                       # and backs off again; the crash becomes lastState
            if "terminated" in (cs.get("state") or {}):
                cs["lastState"] = {"terminated": cs["state"]["terminated"]}
            cs["state"] = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed "
                           "container=%s pod=%s_%s(%s)" % (cs["name"], md["name"], md.get("namespace", ""),
                                                           md.get("uid", ""))}}
            self.next[key] = now + 6
            self._bump_backoff_event(p, now_s)
        store.update("pods", data)
        self.app.controller.forget_pod(key)

    def _bump_backoff_event(self, pod, now_s):
        store = self.app.store
        for e in store.list("events", pod.ns):
            inv = e.data.get("involvedObject") or {}
            if inv.get("name") == pod.name and e.data.get("reason") == "BackOff":
                data = copy.deepcopy(e.data)
                data["count"] = (data.get("count") or 1) + 1
                data["lastTimestamp"] = now_s
                store.update("events", data)
                return

    def _flap(self, now):
        store = self.app.store
        if now < self.flap_next:
            return
        self.flap_next = now + 7
        p = store.get("pods", *self.flap_key) if self.flap_key else None
        if p is None or not _running(p):
            cands = [x for x in store.list("pods", self.namespace)
                     if _running(x) and (x.md.get("labels") or {}).get("app") == "auth-service"]
            cands = cands or [x for x in store.list("pods", self.namespace) if _running(x)]
            if not cands:
                return
            p = cands[0]
            self.flap_key = p.key
        data = copy.deepcopy(p.data)
        ready = kubelet.is_ready(data)
        _set_ready(data, not ready, rfc3339(now))
        store.update("pods", data)
        self.app.controller.forget_pod(p.key)
        if ready:
            self.app.controller.event(p, "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with "
                                      "statuscode: 503", "kubelet")
