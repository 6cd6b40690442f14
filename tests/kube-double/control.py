"""The test-control API under /_double/ (admin token only). Every answer is JSON.

  POST /_double/fault       {"mode":"none|hang|close-streams|status|cut-watches","code":N,"paths":"substr"|[...],
                             "count":N,"abrupt":bool,"message":"...","retryAfter":N,"events":N}
  GET  /_double/fault       the active fault
  POST /_double/churn       {"rate":100,"seconds":S,"namespace":"ns"}   (rate 0 stops)
  POST /_double/pod-status  {"namespace","name","status":{...},"merge":false}
  POST /_double/ssar        {"allowed":false|true|null}                  (null: answer by role again)
  POST /_double/bookmark    send a BOOKMARK on every watch that allows them, now
  POST /_double/live        {"enabled":true|false}
  POST /_double/save        write DIR/state.json now
  GET  /_double/stats       counts, open watches, fault;  POST /_double/stats/reset clears the counters
  GET  /_double/requests    the last 1000 requests (?since=SEQ)
  POST /_double/usage       {"namespace","pod"|"deployment","container"?,"cpu":0.9,"memory":0.75,"disk":F,
                             "rxBytesPerSecond":N,"txBytesPerSecond":N} or {"reset":true}   (see metrics.py)
  GET  /_double/usage       the simulated usage behind GET /metrics (?namespace=&pod=&deployment=)
"""

import copy

import live
import metrics
from patch import merge_patch
from resources import parse_json
from store import ApiError


def _need(method, want):
    if method != want:
        raise ApiError(405, "MethodNotAllowed", "use %s for this control endpoint" % want, {})


def handle(h, method, path, q, body):
    app = h.server.app
    ep = path[len("/_double/"):].strip("/")
    data = parse_json(body) if body else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ApiError(400, "BadRequest", "the control API takes a JSON object", {})
    if ep == "fault":
        if method == "GET":
            h.send_body(200, {"fault": app.fault})
            return
        _need(method, "POST")
        h.send_body(200, app.set_fault(data))
    elif ep == "churn":
        _need(method, "POST")
        h.send_body(200, live.start_churn(app, data))
    elif ep == "pod-status":
        _need(method, "POST")
        h.send_body(200, _pod_status(app, data))
    elif ep == "ssar":
        _need(method, "POST")
        v = data.get("allowed")
        if v is not None and not isinstance(v, bool):
            raise ApiError(400, "BadRequest", "allowed must be true, false or null", {})
        app.ssar_force = v
        h.send_body(200, {"ssarForced": v})
    elif ep == "bookmark":
        _need(method, "POST")
        n = 0
        for w in app.list_watches():
            w.bookmark_now = True
            n += 1
        with app.store.cond:
            app.store.cond.notify_all()
        h.send_body(200, {"watches": n})
    elif ep == "live":
        _need(method, "POST")
        on = bool(data.get("enabled", True))
        if on and app.live is None:
            app.live = live.Live(app)
            app.live.start()
        elif not on and app.live is not None:
            app.live.stop.set()
            app.live = None
        h.send_body(200, {"live": app.live is not None})
    elif ep == "save":
        _need(method, "POST")
        if app.save_fn is None:
            raise ApiError(500, "InternalError", "no state file configured", {})
        path = app.save_fn()
        h.send_body(200, {"saved": path})
    elif ep == "stats":
        _need(method, "GET")
        h.send_body(200, app.stats())
    elif ep == "stats/reset":
        _need(method, "POST")
        app.reset_counts()
        h.send_body(200, {"reset": True})
    elif ep == "usage":
        metrics.control(h, method, q, data)
    elif ep == "requests":
        _need(method, "GET")
        since = int(q.get("since") or 0)
        with app.lock:
            items = [e for e in app.log if e["seq"] > since]
        h.send_body(200, {"items": items})
    else:
        raise ApiError(404, "NotFound", "unknown control endpoint /_double/%s" % ep, {})


def _pod_status(app, data):
    ns, name, status = data.get("namespace"), data.get("name"), data.get("status")
    if not ns or not name or not isinstance(status, dict):
        raise ApiError(400, "BadRequest", "pod-status needs namespace, name and a status object", {})
    store = app.store
    with store.lock:
        pod = store.get("pods", ns, name)
        if pod is None:
            raise ApiError(404, "NotFound", 'pods "%s" not found' % name, {"name": name, "kind": "pods"})
        new = copy.deepcopy(pod.data)
        new["status"] = merge_patch(new.get("status") or {}, status) if data.get("merge") else status
        obj = store.update("pods", new)
        app.controller.forget_pod(obj.key)
    return obj.data
