"""The controllers inside the double: deployment, replicaset, garbage collector, a kubelet
stand-in that starts new pods after --ready-delay, and HPA status.

It follows kube-controller-manager's deployment controller (pkg/controller/deployment):
new-RS adoption by template equality ignoring pod-template-hash, revision annotations,
rolling update with maxSurge/maxUnavailable, scaling events, Recreate, paused deployments,
Available/Progressing conditions and revision-history cleanup. Everything runs under the
store lock, from one thread; each step writes real objects, so watchers see each stage.
"""

import collections
import copy
import hashlib
import math
import random
import sys
import threading
import time
import traceback

import kubelet
from kinds import apply_defaults, canonical, template_without_hash, templates_equal
from store import ApiError, rand_suffix, rfc3339

REV = "deployment.kubernetes.io/revision"
REV_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
HASH = "pod-template-hash"
SKIP_COPY = {"kubectl.kubernetes.io/last-applied-configuration", REV, REV_HISTORY, DESIRED, MAX_REPLICAS,
             "deprecated.deployment.rollback.to"}
MAX_REV_HISTORY_CHARS = 2000
_SAFE = "bcdfghjklmnpqrstvwxz2456789"
EVENTS_CAP = 3000


def controller_ref(obj):
    for ref in obj.md.get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def revision(rs):
    v = (rs.md.get("annotations") or {}).get(REV)
    if v is None:
        return 0
    try:
        return int(v)
    except ValueError:
        return None


def _intstr(v, total, round_up):
    if isinstance(v, bool):
        return 0
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v.endswith("%"):
        try:
            x = int(v[:-1]) * total / 100.0
        except ValueError:
            return 0
        return int(math.ceil(x)) if round_up else int(math.floor(x))
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


def surge_unavailable(d):
    spec = d["spec"]
    replicas = spec.get("replicas") or 0
    st = spec.get("strategy") or {}
    if st.get("type") == "Recreate":
        return 0, 0
    ru = st.get("rollingUpdate") or {}
    surge = _intstr(ru.get("maxSurge", "25%"), replicas, True)
    unavail = _intstr(ru.get("maxUnavailable", "25%"), replicas, False)
    if surge == 0 and unavail == 0:
        unavail = 1
    return surge, unavail


def template_hash(tpl, collision=None):
    base = canonical(template_without_hash(tpl)) + ("" if collision is None else "/%d" % collision)
    h = hashlib.sha256(base.encode()).digest()
    return "".join(_SAFE[b % len(_SAFE)] for b in h[:10])


def _spec_replicas(rs):
    r = rs.data["spec"].get("replicas")
    return 1 if r is None else r


def _st(rs, field):
    return (rs.data.get("status") or {}).get(field) or 0


def get_cond(status, ctype):
    for c in status.get("conditions") or []:
        if c.get("type") == ctype:
            return c
    return None


def set_cond(status, ctype, cstatus, reason, message, now_s, force_update=False):
    """deploymentutil.SetDeploymentCondition; force_update replaces even the same reason (Progressing)."""
    cur = get_cond(status, ctype)
    if cur is not None and cur.get("status") == cstatus and cur.get("reason") == reason and not force_update:
        return
    cond = {"type": ctype, "status": cstatus, "lastUpdateTime": now_s, "lastTransitionTime": now_s,
            "reason": reason, "message": message}
    if cur is not None and cur.get("status") == cstatus:
        cond["lastTransitionTime"] = cur.get("lastTransitionTime", now_s)
    status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != ctype] + [cond]


def _pod_rank(p):
    """controller.ActivePods ordering: the pods a scale-down deletes first sort first."""
    st = p.data.get("status") or {}
    phase = {"Pending": 0, "Unknown": 1, "Running": 2}.get(st.get("phase"), 0)
    restarts = sum(cs.get("restartCount") or 0 for cs in st.get("containerStatuses") or [])
    created = p.md.get("creationTimestamp") or ""
    return (1 if p.data["spec"].get("nodeName") else 0, phase, 1 if kubelet.is_ready(p.data) else 0,
            -restarts, _neg(created))


def _active(p):
    """controller.IsPodActive: not being deleted, and neither Succeeded nor Failed."""
    return not p.md.get("deletionTimestamp") and \
        (p.data.get("status") or {}).get("phase") not in ("Succeeded", "Failed")


def _neg(s):
    # newer (larger timestamp) first: invert the characters' order
    return "".join(chr(0x10FFFF - ord(c)) for c in s)


class Controller:
    def __init__(self, store, ready_delay=1.0, terminate_delay=None, seed=None):
        self.store = store
        self.ready_delay = ready_delay
        self.terminate_delay = ready_delay if terminate_delay is None else terminate_delay
        self.rng = random.Random(seed)
        self.dirty_d = set()
        self.dirty_rs = set()
        self.gc_uids = set()
        self.start_at = {}       # pod key -> time the simulated kubelet starts it
        self.remove_at = {}      # pod key -> time a terminating pod disappears
        self.event_keys = collections.deque()
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.instant = False     # scenario building: pods start and vanish at once
        self.record_events = True
        self.last_resync = 0.0
        self.thread = None
        store.listeners.append(self._on_change)

    # ------------------------------------------------------------------ change notification
    def _on_change(self, etype, obj, prev):
        st = obj.storage
        if st == "deployments":
            self.dirty_d.add(obj.key)
            if etype == "DELETED":
                self.gc_uids.add(obj.md["uid"])
        elif st == "replicasets":
            self.dirty_rs.add(obj.key)
            ref = controller_ref(obj)
            if ref and ref.get("kind") == "Deployment":
                self.dirty_d.add((obj.ns, ref.get("name")))
            if etype == "DELETED":
                self.gc_uids.add(obj.md["uid"])
        elif st == "pods":
            ref = controller_ref(obj)
            if ref and ref.get("kind") == "ReplicaSet":
                self.dirty_rs.add((obj.ns, ref.get("name")))
            if etype == "DELETED":
                self.start_at.pop(obj.key, None)
                self.remove_at.pop(obj.key, None)
        elif st == "events" and etype == "ADDED":
            self.event_keys.append(obj.key)
        self.wake.set()

    def forget_pod(self, key):
        """Someone else (a status patch, a fault knob) owns this pod's status now."""
        self.start_at.pop(key, None)

    # ------------------------------------------------------------------ thread
    def start(self):
        self.thread = threading.Thread(target=self._run, name="controller", daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            timers = self.start_at or self.remove_at
            self.wake.wait(0.05 if timers else 1.0)
            self.wake.clear()
            with self.store.lock:
                try:
                    self.step(self.store.now())
                except Exception:  # a bug here must not stop the controller for good: say it and go on
                    traceback.print_exc()
            if self.dirty_d or self.dirty_rs or self.gc_uids:
                time.sleep(0.01)
                self.wake.set()

    def settle(self, max_steps=2000):
        """Run to quiescence at once (scenario building)."""
        with self.store.lock:
            self.instant = True
            try:
                for _ in range(max_steps):
                    if not (self.dirty_d or self.dirty_rs or self.gc_uids or self.start_at or self.remove_at):
                        return
                    self.step(self.store.now())
            finally:
                self.instant = False

    def step(self, now):
        store = self.store
        for key, due in list(self.start_at.items()):
            if self.instant or due <= now:
                del self.start_at[key]
                p = store.get("pods", *key)
                if p is not None and not p.md.get("deletionTimestamp") and kubelet.is_creating(p.data):
                    data = p.copy()
                    data["status"] = kubelet.status_running(data, now)
                    store.update("pods", data)
        for key, due in list(self.remove_at.items()):
            if self.instant or due <= now:
                del self.remove_at[key]
                if store.get("pods", *key) is not None:
                    store.delete("pods", *key)
        if self.gc_uids:
            uids, self.gc_uids = self.gc_uids, set()
            for uid in uids:
                for child in store.children(uid):
                    ref = controller_ref(child)
                    if not ref or ref.get("uid") != uid:
                        continue
                    if child.storage == "pods":
                        self.delete_pod(child)
                    elif store.get(child.storage, child.ns, child.name) is not None:
                        store.delete(child.storage, child.ns, child.name)
        if now - self.last_resync > 5:
            self.last_resync = now
            for d in store.list("deployments"):
                cond = get_cond(d.data.get("status") or {}, "Progressing")
                if cond is None or cond.get("reason") != "NewReplicaSetAvailable":
                    self.dirty_d.add(d.key)
        rs_keys, self.dirty_rs = self.dirty_rs, set()
        for key in sorted(rs_keys):
            self._guard(self.sync_replicaset, key)
        d_keys, self.dirty_d = self.dirty_d, set()
        for key in sorted(d_keys):
            self._guard(self.sync_deployment, key)

    @staticmethod
    def _guard(fn, key):
        try:
            fn(key)
        except Exception:
            sys.stderr.write("kube-double: controller: syncing %s/%s failed:\n" % key)
            traceback.print_exc()

    # ------------------------------------------------------------------ events
    def event(self, obj, etype, reason, message, component):
        if not self.record_events:
            return
        store = self.store
        now = store.now()
        ts = rfc3339(now)
        data = {"metadata": {"name": "%s.%x" % (obj.name, int(now * 1e9) + self.rng.randrange(1000)),
                             "namespace": obj.ns},
                "involvedObject": {"kind": obj.data["kind"], "namespace": obj.ns, "name": obj.name,
                                   "uid": obj.md.get("uid"), "apiVersion": obj.data["apiVersion"],
                                   "resourceVersion": obj.md.get("resourceVersion")},
                "reason": reason, "message": message, "source": {"component": component},
                "firstTimestamp": ts, "lastTimestamp": ts, "count": 1, "type": etype, "eventTime": None,
                "reportingComponent": component, "reportingInstance": ""}
        try:
            store.create("events", data)
        except ApiError:
            return
        while len(self.event_keys) > EVENTS_CAP:
            k = self.event_keys.popleft()
            if store.get("events", *k) is not None:
                store.delete("events", *k)

    # ------------------------------------------------------------------ pods
    def create_pod(self, rs):
        store = self.store
        tpl = rs.data["spec"]["template"]
        tmd = tpl.get("metadata") or {}
        for _ in range(50):
            name = "%s-%s" % (rs.name, rand_suffix(5, self.rng))
            if store.get("pods", rs.ns, name) is None:
                break
        md = {"name": name, "generateName": rs.name + "-", "namespace": rs.ns,
              "labels": copy.deepcopy(tmd.get("labels") or {}),
              "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs.name,
                                   "uid": rs.md["uid"], "controller": True, "blockOwnerDeletion": True}]}
        if tmd.get("annotations"):
            md["annotations"] = copy.deepcopy(tmd["annotations"])
        data = {"metadata": md, "spec": copy.deepcopy(tpl.get("spec") or {}), "status": {}}
        apply_defaults("pods", data)
        data["spec"]["nodeName"] = kubelet.node_for(name)[0]
        now = store.now()
        if self.instant or self.ready_delay <= 0:
            data["status"] = kubelet.status_running(data, now)
        else:
            data["status"] = kubelet.status_creating(data, now)
        obj = store.create("pods", data)
        if not self.instant and self.ready_delay > 0:
            self.start_at[obj.key] = now + max(0.0, self.ready_delay)
        self.event(rs, "Normal", "SuccessfulCreate", "Created pod: %s" % name, "replicaset-controller")
        return obj

    def delete_pod(self, pod, grace=None):
        """Graceful delete: Terminating for --ready-delay seconds, then gone. Unscheduled pods go at once."""
        store = self.store
        if pod.md.get("deletionTimestamp"):
            return pod
        if grace is None:
            grace = pod.data["spec"].get("terminationGracePeriodSeconds", 30)
        if self.instant or grace == 0 or not pod.data["spec"].get("nodeName") or self.terminate_delay <= 0:
            return store.delete("pods", pod.ns, pod.name)
        data = pod.copy()
        now = store.now()
        data["metadata"]["deletionTimestamp"] = rfc3339(now + grace)
        data["metadata"]["deletionGracePeriodSeconds"] = grace
        obj = store.update("pods", data)
        self.start_at.pop(pod.key, None)
        self.remove_at[pod.key] = now + min(self.terminate_delay, grace)
        return obj

    # ------------------------------------------------------------------ replicasets
    def sync_replicaset(self, key):
        store = self.store
        rs = store.get("replicasets", *key)
        if rs is None or rs.md.get("deletionTimestamp"):
            return
        uid = rs.md["uid"]
        pods = [p for p in store.children(uid, "pods") if (controller_ref(p) or {}).get("uid") == uid]
        active = [p for p in pods if _active(p)]
        want = _spec_replicas(rs)
        if len(active) < want:
            for _ in range(want - len(active)):
                active.append(self.create_pod(rs))
        elif len(active) > want:
            victims = sorted(active, key=_pod_rank)[:len(active) - want]
            for p in victims:
                self.delete_pod(p)
                self.event(rs, "Normal", "SuccessfulDelete", "Deleted pod: %s" % p.name, "replicaset-controller")
            gone = {p.key for p in victims}
            active = [p for p in active if p.key not in gone]
        active = [store.get("pods", *p.key) for p in active]
        active = [p for p in active if p is not None and _active(p)]
        ready = sum(1 for p in active if kubelet.is_ready(p.data))
        status = {"replicas": len(active)}
        labels = rs.data["spec"]["template"].get("metadata", {}).get("labels") or {}
        fully = sum(1 for p in active if all((p.md.get("labels") or {}).get(k) == v for k, v in labels.items()))
        if fully:
            status["fullyLabeledReplicas"] = fully
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        status["observedGeneration"] = rs.md.get("generation", 1)
        if status != rs.data.get("status"):
            data = rs.copy()
            data["status"] = status
            store.update("replicasets", data)

    def _scale_rs(self, d, rs, size):
        surge, _ = surge_unavailable(d)
        replicas = d["spec"].get("replicas") or 0
        ann = rs.md.get("annotations") or {}
        old = _spec_replicas(rs)
        need_ann = ann.get(DESIRED) != str(replicas) or ann.get(MAX_REPLICAS) != str(replicas + surge)
        if old == size and not need_ann:
            return rs
        data = rs.copy()
        data["spec"]["replicas"] = size
        a = data["metadata"].setdefault("annotations", {})
        a[DESIRED] = str(replicas)
        a[MAX_REPLICAS] = str(replicas + surge)
        if old != size:
            data["metadata"]["generation"] = rs.md.get("generation", 1) + 1
        obj = self.store.update("replicasets", data)
        if old != size:
            dobj = self.store.get("deployments", d["metadata"].get("namespace", ""), d["metadata"]["name"])
            if dobj is not None:
                self.event(dobj, "Normal", "ScalingReplicaSet", "Scaled %s replica set %s from %d to %d"
                           % ("up" if size > old else "down", rs.name, old, size), "deployment-controller")
        return obj

    # ------------------------------------------------------------------ deployments
    def _controlled_rs(self, dobj):
        uid = dobj.md["uid"]
        rss = [r for r in self.store.children(uid, "replicasets") if (controller_ref(r) or {}).get("uid") == uid]
        rss.sort(key=lambda r: (r.md.get("creationTimestamp") or "", r.name))
        return rss

    def _create_rs(self, d, dobj, rev, old):
        store = self.store
        spec = d["spec"]
        replicas = spec.get("replicas") or 0
        surge, _ = surge_unavailable(d)
        collision = (d.get("status") or {}).get("collisionCount")
        for _ in range(10):
            tpl = copy.deepcopy(spec["template"])
            h = template_hash(tpl, collision)
            name = "%s-%s" % (d["metadata"]["name"], h)
            existing = store.get("replicasets", d["metadata"].get("namespace", ""), name)
            if existing is None:
                break
            if (controller_ref(existing) or {}).get("uid") == dobj.md["uid"] and \
                    templates_equal(existing.data["spec"]["template"], spec["template"]):
                return existing
            collision = (collision or 0) + 1
            d.setdefault("status", {})["collisionCount"] = collision
        tpl.setdefault("metadata", {}).setdefault("labels", {})[HASH] = h
        if (spec.get("strategy") or {}).get("type") == "Recreate":
            size = 0 if any(_spec_replicas(o) > 0 for o in old) else replicas
        else:
            current = sum(_spec_replicas(o) for o in old)
            size = max(0, min(replicas + surge - current, replicas))
        ann = {k: v for k, v in (d["metadata"].get("annotations") or {}).items() if k not in SKIP_COPY}
        ann[REV] = str(rev)
        ann[DESIRED] = str(replicas)
        ann[MAX_REPLICAS] = str(replicas + surge)
        sel = copy.deepcopy(spec.get("selector") or {})
        sel.setdefault("matchLabels", {})[HASH] = h
        rs_spec = {"replicas": size}
        if spec.get("minReadySeconds"):
            rs_spec["minReadySeconds"] = spec["minReadySeconds"]
        rs_spec["selector"] = sel
        rs_spec["template"] = tpl
        data = {"metadata": {"name": name, "namespace": d["metadata"].get("namespace", ""),
                             "labels": copy.deepcopy(tpl["metadata"]["labels"]), "annotations": ann,
                             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                                  "name": d["metadata"]["name"], "uid": dobj.md["uid"],
                                                  "controller": True, "blockOwnerDeletion": True}]},
                "spec": rs_spec, "status": {"replicas": 0}}
        apply_defaults("replicasets", data)
        obj = store.create("replicasets", data)
        if size > 0:
            self.event(dobj, "Normal", "ScalingReplicaSet", "Scaled up replica set %s from 0 to %d" % (name, size),
                       "deployment-controller")
        return obj

    def _sync_new_rs_annotations(self, d, rs, new_rev):
        data = rs.copy()
        ann = data["metadata"].setdefault("annotations", {})
        changed = False
        for k, v in (d["metadata"].get("annotations") or {}).items():
            if k not in SKIP_COPY and ann.get(k) != v:
                ann[k] = v
                changed = True
        old = ann.get(REV)
        try:
            old_int = int(old) if old is not None else 0
        except ValueError:
            old_int = 0
        if old_int < new_rev:
            ann[REV] = str(new_rev)
            changed = True
            if old is not None:
                hist = ann.get(REV_HISTORY, "")
                revs = hist.split(",") if hist else []
                revs.append(old)
                while len(",".join(revs)) > MAX_REV_HISTORY_CHARS and len(revs) > 1:
                    revs.pop(0)
                ann[REV_HISTORY] = ",".join(revs)
        if not changed:
            return rs
        return self.store.update("replicasets", data)

    def _is_scaling_event(self, d, rss):
        replicas = d["spec"].get("replicas") or 0
        for rs in rss:
            if rs is None or _spec_replicas(rs) <= 0:
                continue
            want = (rs.md.get("annotations") or {}).get(DESIRED)
            if want is None:
                continue
            if want != str(replicas):
                return True
        return False

    def _scale(self, d, new_rs, old):
        replicas = d["spec"].get("replicas") or 0
        allrs = ([new_rs] if new_rs else []) + old
        active = [r for r in allrs if _spec_replicas(r) > 0]
        target = None
        if len(active) == 1:
            target = active[0]
        elif not active:
            target = new_rs or (old[-1] if old else None)
        if target is not None or not active:
            if target is not None:
                self._scale_rs(d, target, replicas)
            return
        if new_rs is not None and _spec_replicas(new_rs) == replicas and _st(new_rs, "availableReplicas") == replicas:
            for o in old:
                if _spec_replicas(o) > 0:
                    self._scale_rs(d, o, 0)
            return
        surge, _ = surge_unavailable(d)
        allowed = replicas + surge if replicas > 0 else 0
        total = sum(_spec_replicas(r) for r in active)
        delta = allowed - total
        if delta > 0:
            order = sorted(active, key=lambda r: (-_spec_replicas(r), _neg(r.md.get("creationTimestamp") or "")))
        else:
            order = sorted(active, key=lambda r: (-_spec_replicas(r), r.md.get("creationTimestamp") or ""))
        sizes = {r.key: _spec_replicas(r) for r in active}
        added = 0
        for r in order:
            share = int(round(_spec_replicas(r) * delta / float(total))) if total else 0
            if abs(added + share) > abs(delta):
                share = delta - added
            sizes[r.key] = max(0, sizes[r.key] + share)
            added += share
        if added != delta and order:
            sizes[order[0].key] = max(0, sizes[order[0].key] + delta - added)
        for r in active:
            self._scale_rs(d, r, sizes[r.key])

    def _reconcile_new(self, d, new_rs, old):
        replicas = d["spec"].get("replicas") or 0
        cur = _spec_replicas(new_rs)
        if cur == replicas:
            return new_rs, False
        if cur > replicas:
            return self._scale_rs(d, new_rs, replicas), True
        surge, _ = surge_unavailable(d)
        current = cur + sum(_spec_replicas(o) for o in old)
        max_total = replicas + surge
        if current >= max_total:
            return new_rs, False
        up = min(max_total - current, replicas - cur)
        return self._scale_rs(d, new_rs, cur + up), True

    def _reconcile_old(self, d, new_rs, old):
        if sum(_spec_replicas(o) for o in old) == 0:
            return old, False
        replicas = d["spec"].get("replicas") or 0
        _, unavail = surge_unavailable(d)
        all_count = _spec_replicas(new_rs) + sum(_spec_replicas(o) for o in old)
        min_avail = replicas - unavail
        new_unavail = _spec_replicas(new_rs) - _st(new_rs, "availableReplicas")
        max_down = all_count - min_avail - new_unavail
        if max_down <= 0:
            return old, False
        old = list(old)
        cleaned = 0
        for i, o in enumerate(old):
            if cleaned >= max_down:
                break
            size = _spec_replicas(o)
            avail = _st(o, "availableReplicas")
            if size == 0 or size == avail:
                continue
            n = min(max_down - cleaned, size - avail)
            old[i] = self._scale_rs(d, o, size - n)
            cleaned += n
        avail_pods = _st(new_rs, "availableReplicas") + sum(_st(o, "availableReplicas") for o in old)
        down = 0
        if avail_pods > min_avail:
            total_down = avail_pods - min_avail
            for i, o in enumerate(old):
                if down >= total_down:
                    break
                size = _spec_replicas(o)
                if size == 0:
                    continue
                n = min(size, total_down - down)
                old[i] = self._scale_rs(d, o, size - n)
                down += n
        return old, (cleaned + down) > 0

    def _recreate(self, d, new_rs, old):
        active_old = [o for o in old if _spec_replicas(o) > 0]
        if active_old:
            for o in active_old:
                self._scale_rs(d, o, 0)
            return
        for o in old:
            if _st(o, "replicas") > 0 or any(True for _ in self.store.children(o.md["uid"], "pods")):
                return
        if _spec_replicas(new_rs) != (d["spec"].get("replicas") or 0):
            self._scale_rs(d, new_rs, d["spec"].get("replicas") or 0)

    def _cleanup(self, d, old):
        limit = d["spec"].get("revisionHistoryLimit")
        if limit is None:
            return
        dead = [o for o in old if _spec_replicas(o) == 0 and _st(o, "replicas") == 0
                and not self.store.children(o.md["uid"], "pods")]
        if len(dead) <= limit:
            return
        dead.sort(key=lambda o: (revision(o) or 0, o.md.get("creationTimestamp") or ""))
        for o in dead[:len(dead) - limit]:
            self.store.delete("replicasets", o.ns, o.name)

    def sync_deployment(self, key):
        store = self.store
        dobj = store.get("deployments", *key)
        if dobj is None or dobj.md.get("deletionTimestamp"):
            return
        d = dobj.copy()
        spec = d["spec"]
        status = d.setdefault("status", {})
        now_s = rfc3339(store.now())
        rss = self._controlled_rs(dobj)
        new_rs = next((r for r in rss if templates_equal(r.data["spec"]["template"], spec["template"])), None)
        old = [r for r in rss if r is not new_rs]
        prog = get_cond(status, "Progressing")
        if spec.get("paused"):
            if prog is None or prog.get("reason") != "DeploymentPaused":
                set_cond(status, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now_s)
            if self._is_scaling_event(d, ([new_rs] if new_rs else []) + old):
                self._scale(d, new_rs, old)
            self._update_status(dobj, d, key)
            return
        if prog is not None and prog.get("reason") == "DeploymentPaused":
            set_cond(status, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now_s)
        revs = [revision(o) for o in old]
        new_rev = max([r for r in revs if r is not None] or [0]) + 1
        if new_rs is None:
            new_rs = self._create_rs(d, dobj, new_rev, old)
            set_cond(status, "Progressing", "True", "NewReplicaSetCreated",
                     'Created new replica set "%s"' % new_rs.name, now_s)
        else:
            new_rs = self._sync_new_rs_annotations(d, new_rs, new_rev)
            if get_cond(status, "Progressing") is None:
                set_cond(status, "Progressing", "True", "FoundNewReplicaSet",
                         'Found new replica set "%s"' % new_rs.name, now_s)
        ann = d["metadata"].setdefault("annotations", {})
        ann[REV] = (new_rs.md.get("annotations") or {}).get(REV, "1")
        if self._is_scaling_event(d, [new_rs] + old):
            self._scale(d, new_rs, old)
        elif (spec.get("strategy") or {}).get("type") == "Recreate":
            self._recreate(d, new_rs, old)
        else:
            new_rs, changed = self._reconcile_new(d, new_rs, old)
            if not changed:
                old, changed = self._reconcile_old(d, new_rs, old)
            if not changed and self._complete(d, self._calc_status(d, key)):
                self._cleanup(d, old)
        self._update_status(dobj, d, key)

    def _calc_status(self, d, key):
        store = self.store
        dobj = store.get("deployments", *key)
        rss = self._controlled_rs(dobj) if dobj else []
        tpl = d["spec"]["template"]
        new_rs = next((r for r in rss if templates_equal(r.data["spec"]["template"], tpl)), None)
        st = {}
        if d["metadata"].get("generation"):
            st["observedGeneration"] = d["metadata"]["generation"]
        replicas = sum(_st(r, "replicas") for r in rss)
        updated = _st(new_rs, "replicas") if new_rs else 0
        ready = sum(_st(r, "readyReplicas") for r in rss)
        avail = sum(_st(r, "availableReplicas") for r in rss)
        unavail = max(0, sum(_spec_replicas(r) for r in rss) - avail)
        for k, v in (("replicas", replicas), ("updatedReplicas", updated), ("readyReplicas", ready),
                     ("availableReplicas", avail), ("unavailableReplicas", unavail)):
            if v:
                st[k] = v
        return st, new_rs

    @staticmethod
    def _complete(d, calc):
        st = calc[0]
        r = d["spec"].get("replicas") or 0
        return (st.get("updatedReplicas", 0) == r and st.get("replicas", 0) == r
                and st.get("availableReplicas", 0) == r
                and st.get("observedGeneration", 0) >= d["metadata"].get("generation", 0))

    def _update_status(self, dobj, d, key):
        store = self.store
        now = store.now()
        now_s = rfc3339(now)
        old_status = dobj.data.get("status") or {}
        work = d.get("status") or {}
        calc, new_rs = self._calc_status(d, key)
        new = dict(calc)
        new["conditions"] = copy.deepcopy(work.get("conditions") or [])
        if work.get("collisionCount") is not None:
            new["collisionCount"] = work["collisionCount"]
        replicas = d["spec"].get("replicas") or 0
        _, unavail = surge_unavailable(d)
        if new.get("availableReplicas", 0) >= replicas - unavail:
            set_cond(new, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.",
                     now_s)
        else:
            set_cond(new, "Available", "False", "MinimumReplicasUnavailable",
                     "Deployment does not have minimum availability.", now_s)
        if not d["spec"].get("paused") and d["spec"].get("progressDeadlineSeconds") is not None:
            cur = get_cond(new, "Progressing")
            done = (new.get("replicas", 0) == new.get("updatedReplicas", 0) and cur is not None
                    and cur.get("reason") == "NewReplicaSetAvailable")
            rs_name = new_rs.name if new_rs else None
            if not done:
                if self._complete(d, (new, new_rs)):
                    msg = ('ReplicaSet "%s" has successfully progressed.' % rs_name if rs_name
                           else 'Deployment "%s" has successfully progressed.' % d["metadata"]["name"])
                    set_cond(new, "Progressing", "True", "NewReplicaSetAvailable", msg, now_s)
                elif self._progressing(old_status, new):
                    msg = ('ReplicaSet "%s" is progressing.' % rs_name if rs_name
                           else 'Deployment "%s" is progressing.' % d["metadata"]["name"])
                    set_cond(new, "Progressing", "True", "ReplicaSetUpdated", msg, now_s, force_update=True)
                elif cur is not None and cur.get("reason") not in ("NewReplicaSetAvailable",
                                                                    "ProgressDeadlineExceeded"):
                    from store import parse_time
                    since = parse_time(cur.get("lastUpdateTime")) or now
                    if since + d["spec"]["progressDeadlineSeconds"] < now and rs_name:
                        set_cond(new, "Progressing", "False", "ProgressDeadlineExceeded",
                                 'ReplicaSet "%s" has timed out progressing.' % rs_name, now_s)
        if not new["conditions"]:
            del new["conditions"]
        d["status"] = new
        if canonical(d) != canonical(dobj.data):
            nobj = store.update("deployments", d)
            if canonical(old_status) != canonical(new):
                self._sync_hpas(nobj)

    @staticmethod
    def _progressing(old, new):
        old_old = old.get("replicas", 0) - old.get("updatedReplicas", 0)
        new_old = new.get("replicas", 0) - new.get("updatedReplicas", 0)
        return (new.get("updatedReplicas", 0) > old.get("updatedReplicas", 0) or new_old < old_old
                or new.get("readyReplicas", 0) > old.get("readyReplicas", 0)
                or new.get("availableReplicas", 0) > old.get("availableReplicas", 0))

    def _sync_hpas(self, dobj):
        store = self.store
        for h in store.list("horizontalpodautoscalers", dobj.ns):
            ref = h.data["spec"].get("scaleTargetRef") or {}
            if ref.get("kind") != "Deployment" or ref.get("name") != dobj.name:
                continue
            data = h.copy()
            st = data.setdefault("status", {})
            spec = data["spec"]
            want = dobj.data["spec"].get("replicas") or 0
            want = max(spec.get("minReplicas") or 1, min(spec.get("maxReplicas") or want, want))
            cur = (dobj.data.get("status") or {}).get("replicas", 0)
            if st.get("currentReplicas") != cur or st.get("desiredReplicas") != want:
                st["currentReplicas"] = cur
                st["desiredReplicas"] = want
                store.update("horizontalpodautoscalers", data)
