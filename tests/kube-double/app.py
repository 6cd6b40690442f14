"""Process-wide state of the double besides the store: tokens, fault injection, open
watches, request counters and the recent-request log used by /_double/stats and
/_double/requests.
"""

import collections
import threading
import time
import uuid

import metrics
import resources
import watch
from rbac import forbidden
from store import ApiError

FAULT_MODES = ("none", "hang", "close-streams", "status", "cut-watches")

_STATUS = {
    400: ("BadRequest", "the server rejected our request for an unknown reason (injected fault)"),
    401: ("Unauthorized", "Unauthorized"),
    404: ("NotFound", "the server could not find the requested resource"),
    409: ("Conflict", "Operation cannot be fulfilled: the object has been modified; please apply your changes to "
                      "the latest version and try again"),
    410: ("Expired", "too old resource version"),
    422: ("Invalid", "the request is invalid (injected fault)"),
    429: ("TooManyRequests", "Too many requests, please try again later."),
    500: ("InternalError", "Internal error occurred: injected fault"),
    502: ("InternalError", "Internal error occurred: bad gateway (injected fault)"),
    503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
    504: ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing "
                     "the request"),
}


class App:
    def __init__(self, store, controller, tokens, verbose=False, anonymous=False, continue_ttl=300.0,
                 bookmark_interval=10.0):
        self.store = store
        self.controller = controller
        self.tokens = tokens                  # token -> user
        self.verbose = verbose
        self.anonymous = anonymous
        self.continue_ttl = continue_ttl
        self.bookmark_interval = bookmark_interval
        self.pf_uid = str(uuid.uuid4())
        self.stopping = threading.Event()
        self.started = time.time()
        self.ssar_force = None
        self.lock = threading.Lock()
        self.fault = {"mode": "none"}
        self.fault_cond = threading.Condition(self.lock)
        self.hang_gen = 0
        self.hanging = 0
        self.watches = {}
        self.counts = collections.Counter()
        self.total = 0
        self.seq = 0
        self.log = collections.deque(maxlen=1000)
        self.churn = None
        self.live = None
        self.save_fn = None
        self.usage = metrics.Usage(self)   # simulated container usage behind GET /metrics

    # ------------------------------------------------------------------ watches
    def add_watch(self, w):
        with self.lock:
            self.watches[w.id] = w

    def remove_watch(self, w):
        with self.lock:
            self.watches.pop(w.id, None)

    def list_watches(self):
        with self.lock:
            return list(self.watches.values())

    # ------------------------------------------------------------------ accounting
    def count(self, method, route):
        if route.discovery is not None:
            key = "discovery"
        else:
            res = route.kind.plural + ("/" + route.sub if route.sub else "")
            key = "%s %s" % (route.verb, res)
        with self.lock:
            self.counts[key] += 1

    def log_request(self, user, method, path, ctype, body, status, seconds, nbytes):
        with self.lock:
            self.total += 1
            self.seq += 1
            entry = {"seq": self.seq, "time": round(time.time(), 3), "user": user, "method": method, "path": path,
                     "status": status, "ms": round(seconds * 1000, 1), "bytes": nbytes}
            if ctype:
                entry["contentType"] = ctype
            if body and method in ("POST", "PUT", "PATCH"):
                entry["body"] = body[:4096].decode("utf-8", "replace")
            self.log.append(entry)

    def stats(self):
        st = self.store
        with st.lock:
            objs = {k: len(v) for k, v in st.objs.items()}
            rv, compacted, hist = st.rv, st.compacted_rv, len(st.history)
        with self.lock:
            watches = [{"id": w.id, "user": w.user, "path": w.path, "events": w.events,
                        "ageSeconds": round(time.time() - w.started, 1)} for w in self.watches.values()]
            counts = dict(self.counts)
            total = self.total
            fault = dict(self.fault)
            hanging = self.hanging
        return {"resourceVersion": rv, "compactedResourceVersion": compacted, "historySize": hist,
                "objects": objs, "watches": {"open": len(watches), "list": watches},
                "requests": {"total": total, "byVerb": counts}, "fault": fault, "hangingRequests": hanging,
                "ssarForced": self.ssar_force, "churn": self.churn.view() if self.churn else None,
                "live": self.live is not None, "uptimeSeconds": round(time.time() - self.started, 1)}

    def reset_counts(self):
        with self.lock:
            self.counts.clear()
            self.total = 0

    # ------------------------------------------------------------------ faults
    def set_fault(self, spec):
        mode = spec.get("mode", "none")
        if mode not in FAULT_MODES:
            raise ApiError(400, "BadRequest", "fault mode must be one of %s" % ", ".join(FAULT_MODES), {})
        paths = spec.get("paths")
        if isinstance(paths, str):
            paths = [paths] if paths else None
        if mode == "close-streams":
            return {"closed": watch.close_all(self, paths, bool(spec.get("abrupt")))}
        code = spec.get("code")
        if mode == "status":
            if not isinstance(code, int) or not 400 <= code <= 599:
                raise ApiError(400, "BadRequest", "fault mode status needs an integer code 400-599", {})
        events = spec.get("events", 1)
        if mode == "cut-watches" and (not isinstance(events, int) or events < 0):
            raise ApiError(400, "BadRequest", "events must be a non-negative integer", {})
        count = spec.get("count")
        if count is not None and (not isinstance(count, int) or count < 1):
            raise ApiError(400, "BadRequest", "count must be a positive integer", {})
        with self.fault_cond:
            self.fault = {"mode": mode}
            if mode == "status":
                self.fault["code"] = code
                if spec.get("message"):
                    self.fault["message"] = str(spec["message"])
                if code == 429:
                    self.fault["retryAfter"] = int(spec.get("retryAfter", 1))
            if mode == "cut-watches":
                self.fault["events"] = events
            if paths:
                self.fault["paths"] = paths
            if count is not None:
                self.fault["count"] = count
                self.fault["remaining"] = count
            self.hang_gen += 1
            self.fault_cond.notify_all()
        return {"fault": dict(self.fault)}

    def _take_fault(self, full):
        with self.lock:
            f = self.fault
            if f["mode"] not in ("hang", "status"):
                return None
            if f.get("paths") and not any(p in full for p in f["paths"]):
                return None
            if "remaining" in f:
                if f["remaining"] <= 0:
                    return None
                f["remaining"] -= 1
                taken = dict(f)
                if f["remaining"] == 0:
                    self.fault = {"mode": "none"}
                return taken
            return dict(f)

    def watch_cut(self, full):
        """With the cut-watches fault on and matching, how many events a watch gets before it ends; else None."""
        with self.lock:
            f = self.fault
            if f["mode"] != "cut-watches":
                return None
            if f.get("paths") and not any(p in full for p in f["paths"]):
                return None
            if "remaining" in f:
                if f["remaining"] <= 0:
                    return None
                f["remaining"] -= 1
                if f["remaining"] == 0:
                    self.fault = {"mode": "none"}
            return f.get("events", 1)

    def apply_fault(self, h, method, path, query, route, q, user=None):
        """Answer the request with the active fault; True if it was answered (or left hanging)."""
        full = path + ("?" + query if query else "")
        f = self._take_fault(full)
        if f is None:
            return False
        if f["mode"] == "hang":
            with self.fault_cond:
                gen = self.hang_gen
                self.hanging += 1
                try:
                    while not self.stopping.is_set() and self.hang_gen == gen:
                        self.fault_cond.wait(1.0)
                finally:
                    self.hanging -= 1
            h.close_connection = True
            return True
        code = f["code"]
        reason, message = _STATUS.get(code, ("InternalError", "Internal error occurred: injected fault"))
        message = f.get("message", message)
        if code == 410:
            if route.verb == "watch":
                rv = q.get("resourceVersion") or "0"
                watch.serve(h, route, q, user, inband_error={
                    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": "too old resource version: %s (%d)" % (rv, self.store.rv), "reason": "Expired",
                    "code": 410})
                return True
            if q.get("continue") and route.kind is not None:
                try:
                    _, start = resources.parse_continue(q["continue"], route.kind.namespaced)
                except ApiError:
                    start = ("", "")
                raise resources.expired_continue(route.kind, 0, start, self.store)
            message = "too old resource version: %s (%d)" % (q.get("resourceVersion") or "0", self.store.rv)
        if code == 403 and route.kind is not None:
            raise forbidden(user or "admin", route)
        headers = {}
        details = {}
        if code == 429:
            headers["Retry-After"] = str(f.get("retryAfter", 1))
            details = {"retryAfterSeconds": f.get("retryAfter", 1)}
        if route.kind is not None and route.name:
            details = dict(details, name=route.name, group=route.kind.group, kind=route.kind.plural)
        raise ApiError(code, reason, message, details, headers=headers)
