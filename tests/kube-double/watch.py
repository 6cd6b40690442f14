"""WATCH: chunked, newline-terminated JSON events flushed one by one.

resourceVersion semantics as the watch cache has them: unset or "0" (or sendInitialEvents)
starts with ADDED for the current state; N resumes after N; N older than the retained
history gets an in-band ERROR 410 Expired and the stream ends. Label/field selectors
turn MODIFIED into ADDED/DELETED when an object enters or leaves the selection.
BOOKMARKs go out every --bookmark-interval seconds and on POST /_double/bookmark.
Table watches send one-row Tables; only the first carries columnDefinitions.
"""

import copy
import random
import socket
import threading
import time

from resources import Filter, content_type, fmt_for, obj_json
from store import ApiError, Expired, Obj, encode

_ids = iter(range(1, 1 << 62))
_ids_lock = threading.Lock()


class Watch:
    def __init__(self, user, path, sock):
        with _ids_lock:
            self.id = next(_ids)
        self.user = user
        self.path = path
        self.sock = sock
        self.started = time.time()
        self.events = 0
        self.closing = False
        self.bookmark_now = False
        self.abrupt = False


def _bookmark_object(kind, rv, initial_end=False):
    md = {"resourceVersion": str(rv), "creationTimestamp": None}
    if initial_end:
        md["annotations"] = {"k8s.io/initial-events-end": "true"}
    o = {"kind": kind.kind, "apiVersion": kind.api_version, "metadata": md}
    if kind.storage == "pods":
        o["spec"] = {"containers": None}
        o["status"] = {}
    elif kind.storage in ("deployments", "replicasets"):
        o["spec"] = {"selector": None, "template": {"metadata": {"creationTimestamp": None},
                                                    "spec": {"containers": None}}}
        if kind.storage == "deployments":
            o["spec"]["strategy"] = {}
        o["status"] = {}
    return o


class Stream:
    """Writes one watch response body, chunk by chunk."""

    def __init__(self, h, kind, fmt, include):
        self.h = h
        self.kind = kind
        self.fmt = fmt
        self.include = include
        self.first_table = True

    def chunk(self, data):
        self.h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def event(self, etype, obj):
        kind = self.kind
        if self.fmt[0] == "table":
            meta = {"resourceVersion": obj.md.get("resourceVersion", "")}
            from resources import table
            body = table(kind, [obj], meta, self.include, time.time(), self.fmt[1], with_columns=self.first_table)
            self.first_table = False
        elif self.fmt[0] in ("meta", "metalist"):
            body = obj.meta_json()
        else:
            body = obj_json(kind, obj)
        self.chunk(b'{"type":"' + etype.encode() + b'","object":' + body + b"}\n")

    def raw(self, etype, obj_dict):
        self.chunk(b'{"type":"' + etype.encode() + b'","object":' + encode(obj_dict) + b"}\n")


def too_old(rv, oldest):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": "too old resource version: %d (%d)" % (rv, oldest), "reason": "Expired", "code": 410}


def serve(h, r, q, user, inband_error=None):
    """Serve a watch. inband_error: a Status to send as the only event (fault injection)."""
    app = h.server.app
    store = app.store
    kind = r.kind
    fmt = fmt_for(h)
    flt = Filter(kind, q)
    ns = r.ns
    if r.name:  # /namespaces/x/pods/NAME?watch=1: the deprecated single-object form
        flt.fields.append(("metadata.name", "=", r.name))
        flt.empty = False
    rvq = q.get("resourceVersion", "")
    send_initial = q.get("sendInitialEvents") == "true"
    bookmarks = q.get("allowWatchBookmarks") in ("true", "1")
    try:
        timeout = float(q["timeoutSeconds"]) if q.get("timeoutSeconds") else random.uniform(1800, 3600)
    except ValueError:
        raise ApiError(400, "BadRequest", "timeoutSeconds: invalid value %r" % q.get("timeoutSeconds"), {})
    if send_initial and q.get("resourceVersionMatch") != "NotOlderThan":
        raise ApiError(422, "Invalid", "resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
                                       "resourceVersionMatch to NotOlderThan", {})
    try:
        start_rv = int(rvq) if rvq not in ("", "0") else 0
    except ValueError:
        raise ApiError(400, "BadRequest", 'resourceVersion: Invalid value: "%s": must be a number' % rvq, {})

    initial, expired_at = [], None
    with store.lock:
        cur = store.rv
        if rvq in ("", "0") or send_initial:
            initial = [o for o in store.list(kind.storage, ns) if flt.match(o)]
            last = cur
        else:
            last = start_rv
            if start_rv < store.compacted_rv:
                expired_at = store.compacted_rv + 1

    h.send_response(200)
    h.common_headers(content_type(fmt))
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    h.close_connection = True
    w = Watch(user, h.path, h.connection)
    app.add_watch(w)
    s = Stream(h, kind, fmt, q.get("includeObject", "Metadata"))
    deadline = time.time() + timeout
    next_bookmark = time.time() + app.bookmark_interval
    try:
        if inband_error is not None:
            s.raw("ERROR", inband_error)
            return
        if expired_at is not None:
            s.raw("ERROR", too_old(start_rv, expired_at))
            return
        for o in initial:
            s.event("ADDED", o)
            w.events += 1
        if send_initial and bookmarks:
            s.raw("BOOKMARK", _bookmark_object(kind, last, initial_end=True))
        cut = app.watch_cut(h.path)
        if cut is not None:
            _cut(s, w, store, kind, ns, flt, cut)
            return
        while True:
            with store.cond:
                while True:
                    now = time.time()
                    if w.closing or app.stopping.is_set() or now >= deadline:
                        break
                    if store.rv > last or (bookmarks and (now >= next_bookmark or w.bookmark_now)):
                        break
                    wait = deadline - now
                    if bookmarks:
                        wait = min(wait, max(0.0, next_bookmark - now))
                    store.cond.wait(min(wait, 5.0))
                if w.closing or app.stopping.is_set() or time.time() >= deadline:
                    break
                try:
                    evs = store.events_after(last)
                except Expired:
                    evs = None
                    expired_at = store.compacted_rv + 1
                top = store.rv
            if evs is None:
                s.raw("ERROR", too_old(last, expired_at))
                return
            for ev in evs:
                out = _filter(ev, kind, ns, flt)
                if out is not None:
                    s.event(out[0], out[1])
                    w.events += 1
            last = top
            if bookmarks and (time.time() >= next_bookmark or w.bookmark_now):
                w.bookmark_now = False
                s.raw("BOOKMARK", _bookmark_object(kind, last))
                next_bookmark = time.time() + app.bookmark_interval
    except (ConnectionError, OSError):
        return
    finally:
        app.remove_watch(w)
        if not w.abrupt:
            try:
                h.wfile.write(b"0\r\n\r\n")
            except (ConnectionError, OSError):
                pass


def _cut(s, w, store, kind, ns, flt, n):
    """The cut-watches fault: n MODIFIED events (matching objects again, at the current resourceVersion), then
    the end of the stream, as a server or proxy that drops every watch right after it delivers something."""
    with store.lock:
        objs = [o for o in store.list(kind.storage, ns) if flt.match(o)][:n]
        rv = store.rv
    for o in objs:
        data = copy.deepcopy(o.data)
        data["metadata"]["resourceVersion"] = str(rv)
        s.event("MODIFIED", Obj(o.storage, data))
        w.events += 1


def _filter(ev, kind, ns, flt):
    obj = ev.obj
    if obj.storage != kind.storage:
        return None
    if ns is not None and obj.ns != ns:
        return None
    if flt.empty:
        return ev.type, obj
    now_in = flt.match(obj)
    if ev.type == "ADDED":
        return ("ADDED", obj) if now_in else None
    if ev.type == "DELETED":
        return ("DELETED", obj) if now_in else None
    was_in = flt.match(ev.prev)
    if now_in and was_in:
        return "MODIFIED", obj
    if now_in:
        return "ADDED", obj
    if was_in:
        data = copy.deepcopy(ev.prev.data)
        data["metadata"]["resourceVersion"] = str(ev.rv)
        return "DELETED", Obj(obj.storage, data)
    return None


def close_all(app, path_filters=None, abrupt=False):
    """Close open watch streams (all, or those whose path contains one of path_filters); returns how many."""
    n = 0
    for w in app.list_watches():
        if path_filters and not any(p in w.path for p in path_filters):
            continue
        w.closing = True
        w.abrupt = abrupt
        n += 1
        if abrupt:
            try:
                socket.socket.shutdown(w.sock, socket.SHUT_RDWR)
            except OSError:
                pass
    with app.store.cond:
        app.store.cond.notify_all()
    return n
