"""The object store: one lock, a global resourceVersion counter, a bounded watch history.

Objects are copy-on-write: a stored Obj is never mutated; every change stores a new Obj,
so watch events and list snapshots can hold references without copying. Each Obj caches
its JSON encoding. Listeners (the controller) are called under the lock on every change.
"""

import bisect
import copy
import json
import os
import random
import threading
import time
import uuid

from kinds import STORAGE


class ApiError(Exception):
    """An error answered as a metav1.Status."""

    def __init__(self, code, reason, message, details=None, headers=None, extra=None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers or {}
        self.extra = extra or {}

    def status(self):
        st = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": self.message, "reason": self.reason}
        if self.details is not None:
            st["details"] = self.details
        st["code"] = self.code
        st.update(self.extra)
        return st


def not_found(kind, name):
    return ApiError(404, "NotFound", '%s "%s" not found' % (kind.qualified, name),
                    {"name": name, "group": kind.group, "kind": kind.plural})


def conflict(kind, name):
    return ApiError(409, "Conflict",
                    'Operation cannot be fulfilled on %s "%s": the object has been modified; please apply '
                    'your changes to the latest version and try again' % (kind.qualified, name),
                    {"name": name, "group": kind.group, "kind": kind.plural})


def invalid(kind, name, causes):
    """422 Invalid, causes = [(reason, field, message)], worded as the real server words it."""
    qual = kind.kind + ("." + kind.group if kind.group else "")
    msgs = ["%s: %s" % (f, m) for _, f, m in causes]
    text = msgs[0] if len(msgs) == 1 else "[" + ", ".join(msgs) + "]"
    return ApiError(422, "Invalid", '%s "%s" is invalid: %s' % (qual, name, text),
                    {"name": name, "group": kind.group, "kind": kind.kind,
                     "causes": [{"reason": r, "message": m, "field": f} for r, f, m in causes]})


def encode(data):
    """JSON as Go's encoding/json writes it: compact, UTF-8, with <, >, & escaped."""
    s = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if "\u2028" in s or "\u2029" in s:
        s = s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    b = s.encode("utf-8")
    if b"<" in b or b">" in b or b"&" in b:
        b = b.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
    return b


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def micro_time(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % int((t % 1) * 1e6)


def parse_time(s):
    """RFC 3339 (with optional fraction) to epoch seconds; None for empty."""
    if not s:
        return None
    import calendar
    base = s[:19]
    try:
        t = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None
    rest = s[19:]
    if rest.startswith("."):
        i = 1
        while i < len(rest) and rest[i].isdigit():
            i += 1
        t += float("0" + rest[:i])
        rest = rest[i:]
    if rest and rest[0] in "+-":
        sign = 1 if rest[0] == "+" else -1
        hh, mm = int(rest[1:3]), int(rest[4:6])
        t -= sign * (hh * 3600 + mm * 60)
    return t


class Obj:
    """One stored version of an object: the data (never mutated) and cached encodings."""
    __slots__ = ("storage", "data", "_json", "_meta", "printed")

    def __init__(self, storage, data):
        self.storage = storage
        self.data = data
        self._json = None
        self._meta = None
        self.printed = None  # printers' per-version cache

    @property
    def md(self):
        return self.data["metadata"]

    @property
    def ns(self):
        return self.data["metadata"].get("namespace", "")

    @property
    def name(self):
        return self.data["metadata"]["name"]

    @property
    def key(self):
        return (self.ns, self.name)

    @property
    def rv(self):
        return int(self.data["metadata"].get("resourceVersion") or 0)

    def json(self):
        if self._json is None:
            self._json = encode(self.data)
        return self._json

    def meta_json(self):
        """PartialObjectMetadata encoding of this object."""
        if self._meta is None:
            self._meta = encode({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                 "metadata": self.data["metadata"]})
        return self._meta

    def copy(self):
        return copy.deepcopy(self.data)


class Event:
    __slots__ = ("rv", "type", "obj", "prev")

    def __init__(self, rv, etype, obj, prev):
        self.rv = rv
        self.type = etype
        self.obj = obj
        self.prev = prev


class Expired(Exception):
    pass


_SAFE = "bcdfghjklmnpqrstvwxz2456789"


def rand_suffix(n=5, rng=random):
    return "".join(rng.choice(_SAFE) for _ in range(n))


def _locked(fn):
    def wrapper(self, *a, **kw):
        with self.lock:
            return fn(self, *a, **kw)
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


class Store:
    def __init__(self, history_max=10000):
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.rv = 0
        self.objs = {k: {} for k in STORAGE}
        self._sorted = {}
        self.history = []
        self.hist_rvs = []
        self.history_max = history_max
        self.compacted_rv = 0
        self.owned = {}         # owner uid -> set of (storage, ns, name)
        self.listeners = []
        self.clock_offset = 0.0  # scenario building runs the clock in the past
        self.dirty = False
        self.rv_times = []      # [(time, rv)] once a second, for continue-token expiry
        self.counts_changes = 0

    # ------------------------------------------------------------------ time and ids
    def now(self):
        return time.time() + self.clock_offset

    def now_str(self):
        return rfc3339(self.now())

    @staticmethod
    def new_uid():
        return str(uuid.uuid4())

    # ------------------------------------------------------------------ reads
    def get(self, storage, ns, name):
        return self.objs[storage].get((ns or "", name))

    @_locked
    def list(self, storage, ns=None):
        """Objects of one type in (namespace, name) order; ns None means all namespaces."""
        keys = self._sorted.get(storage)
        table = self.objs[storage]
        if keys is None:
            keys = sorted(table.keys())
            self._sorted[storage] = keys
        if ns is None:
            return [table[k] for k in keys]
        lo = bisect.bisect_left(keys, (ns, ""))
        out = []
        for i in range(lo, len(keys)):
            k = keys[i]
            if k[0] != ns:
                break
            out.append(table[k])
        return out

    def children(self, owner_uid, storage=None):
        out = []
        for st, ns, name in list(self.owned.get(owner_uid, ())):
            if storage and st != storage:
                continue
            o = self.objs[st].get((ns, name))
            if o is not None:
                out.append(o)
        return out

    # ------------------------------------------------------------------ writes
    def _index_owner(self, obj, add):
        for ref in obj.md.get("ownerReferences") or []:
            uid = ref.get("uid")
            if not uid:
                continue
            s = self.owned.setdefault(uid, set())
            if add:
                s.add((obj.storage, obj.ns, obj.name))
            else:
                s.discard((obj.storage, obj.ns, obj.name))
                if not s:
                    del self.owned[uid]

    def _bump(self):
        self.rv += 1
        t = int(time.time())
        if not self.rv_times or self.rv_times[-1][0] != t:
            self.rv_times.append((t, self.rv))
            if len(self.rv_times) > 4000:
                del self.rv_times[:1000]
        return self.rv

    def _record(self, etype, obj, prev):
        self.history.append(Event(obj.rv, etype, obj, prev))
        self.hist_rvs.append(obj.rv)
        if len(self.history) > self.history_max + self.history_max // 4:
            drop = len(self.history) - self.history_max
            self.compacted_rv = self.hist_rvs[drop - 1]
            del self.history[:drop]
            del self.hist_rvs[:drop]
        self.dirty = True
        self.counts_changes += 1
        for fn in self.listeners:
            fn(etype, obj, prev)
        self.cond.notify_all()

    @_locked
    def create(self, storage, data, dry_run=False):
        """Store a new object. data is owned by the store afterwards. Returns the Obj."""
        md = data.setdefault("metadata", {})
        kind = STORAGE[storage]
        if not md.get("name") and md.get("generateName"):
            for _ in range(20):
                cand = md["generateName"] + rand_suffix()
                if (md.get("namespace", ""), cand) not in self.objs[storage]:
                    md["name"] = cand
                    break
        name = md.get("name")
        if not name:
            raise invalid(kind, "", [("FieldValueRequired", "metadata.name",
                                      "Required value: name or generateName is required")])
        if not kind.namespaced:
            md.pop("namespace", None)
        key = (md.get("namespace", ""), name)
        if key in self.objs[storage]:
            raise ApiError(409, "AlreadyExists", '%s "%s" already exists' % (kind.qualified, name),
                           {"name": name, "group": kind.group, "kind": kind.plural})
        if kind.namespaced and key[0] and ("", key[0]) not in self.objs["namespaces"]:
            raise ApiError(404, "NotFound", 'namespaces "%s" not found' % key[0],
                           {"name": key[0], "kind": "namespaces"})
        md["uid"] = self.new_uid()
        if not md.get("creationTimestamp"):
            md["creationTimestamp"] = self.now_str()
        if storage in ("deployments", "replicasets"):
            md["generation"] = 1
        data["apiVersion"] = kind.api_version
        data["kind"] = kind.kind
        _order_top(data)
        if dry_run:
            md.pop("resourceVersion", None)
            return Obj(storage, data)
        md["resourceVersion"] = str(self._bump())
        _reorder(md, _META_ORDER)
        obj = Obj(storage, data)
        self.objs[storage][key] = obj
        self._sorted.pop(storage, None)
        self._index_owner(obj, True)
        self._record("ADDED", obj, None)
        return obj

    @_locked
    def update(self, storage, data, expect_rv=None, dry_run=False):
        """Replace an object; data must be a fresh dict (never an Obj's). Returns the new Obj."""
        md = data["metadata"]
        key = (md.get("namespace", ""), md["name"])
        old = self.objs[storage].get(key)
        kind = STORAGE[storage]
        if old is None:
            raise not_found(kind, md["name"])
        if expect_rv is not None and str(expect_rv) != old.md.get("resourceVersion"):
            raise conflict(kind, md["name"])
        for f in ("uid", "creationTimestamp"):
            if f in old.md:
                md[f] = old.md[f]
        data["apiVersion"] = kind.api_version
        data["kind"] = kind.kind
        _order_top(data)
        if dry_run:
            md["resourceVersion"] = old.md.get("resourceVersion")
            return Obj(storage, data)
        md["resourceVersion"] = str(self._bump())
        _reorder(md, _META_ORDER)
        obj = Obj(storage, data)
        self.objs[storage][key] = obj
        self._index_owner(old, False)
        self._index_owner(obj, True)
        self._record("MODIFIED", obj, old)
        return obj

    @_locked
    def delete(self, storage, ns, name):
        key = (ns or "", name)
        old = self.objs[storage].get(key)
        if old is None:
            raise not_found(STORAGE[storage], name)
        data = copy.deepcopy(old.data)
        data["metadata"]["resourceVersion"] = str(self._bump())
        obj = Obj(storage, data)
        del self.objs[storage][key]
        self._sorted.pop(storage, None)
        self._index_owner(old, False)
        self._record("DELETED", obj, old)
        return obj

    # ------------------------------------------------------------------ watch support
    @_locked
    def events_after(self, rv):
        """Events with resourceVersion > rv, or Expired if some were compacted away."""
        if rv < self.compacted_rv:
            raise Expired(rv)
        i = bisect.bisect_right(self.hist_rvs, rv)
        return self.history[i:]

    def rv_at(self, t):
        """The resourceVersion current at wall time t (0 if unknown), for continue-token expiry."""
        i = bisect.bisect_right(self.rv_times, (t, float("inf")))
        return self.rv_times[i - 1][1] if i > 0 else 0

    # ------------------------------------------------------------------ persistence
    def snapshot(self):
        with self.lock:
            self.dirty = False
            return {"version": 1, "resourceVersion": self.rv,
                    "objects": {st: [o.data for o in self.list(st)] for st in self.objs}}

    def save(self, path):
        snap = self.snapshot()
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(snap, f, separators=(",", ":"))
        os.replace(tmp, path)

    def load(self, path):
        with open(path) as f:
            snap = json.load(f)
        with self.lock:
            self.rv = int(snap["resourceVersion"])
            for st, items in snap["objects"].items():
                if st not in self.objs:
                    continue
                for data in items:
                    obj = Obj(st, data)
                    self.objs[st][obj.key] = obj
                    self._index_owner(obj, True)
                self._sorted.pop(st, None)
            # a restarted apiserver's watch cache starts empty: older RVs are "too old"
            self.compacted_rv = self.rv
            self.dirty = False


_TOP_ORDER = ("kind", "apiVersion", "metadata", "spec", "status")
_META_ORDER = ("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
               "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
               "ownerReferences", "finalizers", "managedFields")


def _reorder(d, order):
    keys = list(d.keys())
    want = [k for k in order if k in d] + [k for k in keys if k not in order]
    if want != keys:
        items = [(k, d[k]) for k in want]
        d.clear()
        d.update(items)


def _order_top(data):
    """Field order as Go's structs marshal them: kind, apiVersion, metadata (name, namespace, uid, ...), spec,
    status. Clients must not depend on it; it only makes the double's JSON look like the real thing."""
    _reorder(data, _TOP_ORDER)
    if isinstance(data.get("metadata"), dict):
        _reorder(data["metadata"], _META_ORDER)
