"""Resource verbs: get, list (selectors, limit/continue, Table, PartialObjectMetadata),
create, update (PUT), patch (three patch types), delete, the scale subresource, the
status subresources, events.k8s.io/v1 conversion and SelfSubjectAccessReviews.
"""

import base64
import copy
import json
import time

import kubelet
import pb
import printers
from kinds import EVENT_V1, STORAGE, apply_defaults, canonical
from labelsel import (check_fields, matches_fields, matches_labels, parse_fields, parse_labels,
                      selector_matches, selector_string)
from patch import _DELETE, PatchError, json_patch, merge_patch, strategic_merge
from rbac import allowed
from store import ApiError, conflict, encode, invalid, not_found

STATUS_KINDS = ("deployments", "replicasets", "pods", "horizontalpodautoscalers", "namespaces")


def parse_json(body, what="request body"):
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except (ValueError, UnicodeDecodeError) as e:
        raise ApiError(400, "BadRequest", "error decoding %s: %s" % (what, e), {})


def decode_body(h, body):
    """A JSON body, or a protobuf one for the few kinds pb.py knows (kubectl's typed clients send those)."""
    if "protobuf" in (h.headers.get("Content-Type") or "").lower():
        try:
            return pb.decode_object(body)
        except (ValueError, IndexError, KeyError) as e:
            raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                           "accepted media types include: application/json (%s)" % e, {})
    return parse_json(body)


# ---------------------------------------------------------------------------- content negotiation

def negotiate(accept):
    """('json'|'table'|'meta'|'metalist', meta version) for an Accept header, or None (406)."""
    if not accept:
        return ("json", None)
    for entry in accept.split(","):
        parts = [p.strip() for p in entry.split(";")]
        mt = parts[0].lower()
        params = {}
        for p in parts[1:]:
            if "=" in p:
                k, v = p.split("=", 1)
                params[k.strip()] = v.strip()
        if mt not in ("application/json", "*/*", "application/*"):
            continue
        as_ = params.get("as")
        if as_ is None:
            return ("json", None)
        if params.get("g") == "meta.k8s.io" and params.get("v") in ("v1", "v1beta1"):
            if as_ == "Table":
                return ("table", params["v"])
            if as_ == "PartialObjectMetadata":
                return ("meta", params["v"])
            if as_ == "PartialObjectMetadataList":
                return ("metalist", params["v"])
    return None


def fmt_for(h):
    f = negotiate(h.headers.get("Accept"))
    if f is None:
        raise ApiError(406, "NotAcceptable", "only the following media types are accepted: application/json, "
                       "application/json;as=Table;v=v1;g=meta.k8s.io, application/yaml", {})
    return f


def content_type(fmt):
    kind, v = fmt
    if kind == "table":
        return "application/json;as=Table;v=%s;g=meta.k8s.io" % v
    if kind == "meta":
        return "application/json;as=PartialObjectMetadata;v=%s;g=meta.k8s.io" % v
    if kind == "metalist":
        return "application/json;as=PartialObjectMetadataList;v=%s;g=meta.k8s.io" % v
    return "application/json"


# ---------------------------------------------------------------------------- events.k8s.io/v1

def core_to_v1(e):
    out = {"kind": "Event", "apiVersion": "events.k8s.io/v1", "metadata": e["metadata"],
           "eventTime": e.get("eventTime")}
    if e.get("series"):
        out["series"] = e["series"]
    for src, dst in (("reportingComponent", "reportingController"), ("reportingInstance", "reportingInstance"),
                     ("action", "action"), ("reason", "reason"), ("involvedObject", "regarding"),
                     ("related", "related"), ("message", "note"), ("type", "type")):
        if e.get(src) not in (None, ""):
            out[dst] = e[src]
    if e.get("source"):
        out["deprecatedSource"] = e["source"]
    for src, dst in (("firstTimestamp", "deprecatedFirstTimestamp"), ("lastTimestamp", "deprecatedLastTimestamp"),
                     ("count", "deprecatedCount")):
        if e.get(src) not in (None, 0):
            out[dst] = e[src]
    return out


def v1_to_core(e):
    out = {"kind": "Event", "apiVersion": "v1", "metadata": e.get("metadata") or {},
           "involvedObject": e.get("regarding") or {}}
    for src, dst in (("reason", "reason"), ("note", "message"), ("type", "type"), ("eventTime", "eventTime"),
                     ("series", "series"), ("action", "action"), ("related", "related"),
                     ("reportingController", "reportingComponent"), ("reportingInstance", "reportingInstance"),
                     ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
                     ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count")):
        if e.get(src) is not None:
            out[dst] = e[src]
    out.setdefault("source", {})
    return out


def external(kind, obj):
    """An object's data in the version the request addressed."""
    return core_to_v1(obj.data) if kind is EVENT_V1 else obj.data


def obj_json(kind, obj):
    return encode(core_to_v1(obj.data)) if kind is EVENT_V1 else obj.json()


# ---------------------------------------------------------------------------- validation

def _valid_name(n):
    import re
    return bool(re.match(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", n or "")) and len(n) <= 253


def _go_map(m):
    return "map[string]string{%s}" % ", ".join('"%s":"%s"' % (k, v) for k, v in sorted((m or {}).items()))


def validate(kind, data, api_kind=None):
    md = data.get("metadata") or {}
    name = md.get("name", "")
    causes = []
    if name and not _valid_name(name) and kind.storage != "events":
        causes.append(("FieldValueInvalid", "metadata.name",
                       'Invalid value: "%s": a lowercase RFC 1123 subdomain must consist of lower case '
                       "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                       "character" % name))
    st = kind.storage
    if st in ("deployments", "replicasets"):
        spec = data.get("spec") or {}
        if (spec.get("replicas") or 0) < 0:
            causes.append(("FieldValueInvalid", "spec.replicas",
                           "Invalid value: %d: must be greater than or equal to 0" % spec["replicas"]))
        sel = spec.get("selector")
        tpl_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not sel or not (sel.get("matchLabels") or sel.get("matchExpressions")):
            causes.append(("FieldValueRequired", "spec.selector", "Required value"))
        elif not selector_matches(sel, tpl_labels):
            causes.append(("FieldValueInvalid", "spec.template.metadata.labels",
                           "Invalid value: %s: `selector` does not match template `labels`" % _go_map(tpl_labels)))
        causes += _validate_containers(((spec.get("template") or {}).get("spec") or {}), "spec.template.spec")
    elif st == "pods":
        causes += _validate_containers(data.get("spec") or {}, "spec")
    elif st == "horizontalpodautoscalers":
        spec = data.get("spec") or {}
        mx, mn = spec.get("maxReplicas") or 0, spec.get("minReplicas")
        if mx < 1:
            causes.append(("FieldValueInvalid", "spec.maxReplicas",
                           "Invalid value: %d: must be greater than or equal to 1" % mx))
        if mn is not None and mn > mx:
            causes.append(("FieldValueInvalid", "spec.minReplicas",
                           "Invalid value: %d: must be less than or equal to maxReplicas" % mn))
    elif st == "events":
        causes += _validate_event(data, api_kind)
    if causes:
        raise invalid(api_kind or kind, name, causes)


def _validate_containers(spec, path):
    out = []
    cs = spec.get("containers") or []
    if not cs:
        out.append(("FieldValueRequired", path + ".containers", "Required value"))
    seen = set()
    for i, c in enumerate(cs):
        if not c.get("name"):
            out.append(("FieldValueRequired", "%s.containers[%d].name" % (path, i), "Required value"))
        elif c["name"] in seen:
            out.append(("FieldValueDuplicate", "%s.containers[%d].name" % (path, i),
                        'Duplicate value: "%s"' % c["name"]))
        seen.add(c.get("name"))
        if not c.get("image"):
            out.append(("FieldValueRequired", "%s.containers[%d].image" % (path, i), "Required value"))
    return out


def _validate_event(core, api_kind):
    out = []
    ns = (core.get("metadata") or {}).get("namespace", "")
    inv = core.get("involvedObject") or {}
    if api_kind is EVENT_V1:
        if not core.get("eventTime"):
            out.append(("FieldValueRequired", "eventTime", "Required value"))
        for f, src in (("reportingController", "reportingComponent"), ("reportingInstance", "reportingInstance"),
                       ("action", "action"), ("reason", "reason")):
            if not core.get(src):
                out.append(("FieldValueRequired", f, "Required value"))
        if inv.get("namespace", "") != ns:
            out.append(("FieldValueInvalid", "regarding.namespace",
                        'Invalid value: "%s": does not match event.namespace' % inv.get("namespace", "")))
        if len(core.get("message") or "") > 1024:
            out.append(("FieldValueTooLong", "note", "Too long: may not be longer than 1024"))
        return out
    if inv.get("namespace") and inv.get("namespace") != ns:
        out.append(("FieldValueInvalid", "involvedObject.namespace",
                    'Invalid value: "%s": does not match event.namespace' % inv.get("namespace")))
    if core.get("eventTime"):
        for f in ("reportingComponent", "reportingInstance", "action"):
            if not core.get(f):
                out.append(("FieldValueRequired", f, "Required value"))
    if core.get("type") and core["type"] not in ("Normal", "Warning"):
        out.append(("FieldValueNotSupported", "type", 'Unsupported value: "%s": supported values: "Normal", '
                                                      '"Warning"' % core["type"]))
    return out


# ---------------------------------------------------------------------------- selectors and paging

class Filter:
    def __init__(self, kind, q):
        try:
            self.labels = parse_labels(q.get("labelSelector"))
            self.fields = parse_fields(q.get("fieldSelector"))
            check_fields(kind.storage, self.fields)
        except ValueError as e:
            raise ApiError(400, "BadRequest", str(e), {})
        self.empty = not self.labels and not self.fields

    def match(self, obj):
        if obj is None:
            return False
        if self.empty:
            return True
        return matches_labels(self.labels, obj.md.get("labels")) and matches_fields(self.fields, obj.data)


def make_continue(rv, key, namespaced):
    start = ("%s/%s" % key if namespaced else key[1]) + "\x00"
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def parse_continue(tok, namespaced):
    try:
        raw = base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4))
        d = json.loads(raw)
        start = d["start"].rstrip("\x00")
        rv = int(d["rv"])
        if d.get("v") != "meta.k8s.io/v1":
            raise ValueError("continue key is not valid: incorrect encoded start resourceVersion (version "
                             "meta.k8s.io/v1)")
    except (ValueError, KeyError, TypeError) as e:
        raise ApiError(400, "BadRequest", "continue key is not valid: %s" % e, {})
    if namespaced:
        ns, _, name = start.partition("/")
        return rv, (ns, name)
    return rv, ("", start)


def expired_continue(kind, rv, key, store):
    tok = make_continue(store.rv, key, kind.namespaced)
    return ApiError(410, "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start "
                    "a new list without the continue parameter, or use the continue token in this response to "
                    "retrieve the remainder of the results. Continuing with the provided token results in an "
                    "inconsistent list - objects that were created, modified, or deleted between the time the first "
                    "chunk was returned and now may show up in the list.", None,
                    extra={"metadata": {"continue": tok}})


# ---------------------------------------------------------------------------- rendering

def table(kind, objs, meta, include, now, version="v1", with_columns=True):
    rows = []
    for o in objs:
        row = b'{"cells":' + encode(printers.cells(o, now))
        conds = printers.row_conditions(o)
        if conds:
            row += b',"conditions":' + encode(conds)
        if include == "None":
            row += b',"object":null'
        elif include == "Object":
            row += b',"object":' + obj_json(kind, o)
        else:
            row += b',"object":' + o.meta_json()
        rows.append(row + b"}")
    head = encode({"kind": "Table", "apiVersion": "meta.k8s.io/" + version, "metadata": meta,
                   "columnDefinitions": printers.columns(kind.storage) if with_columns else None})
    return head[:-1] + b',"rows":[' + b",".join(rows) + b"]}"


def render_list(kind, objs, meta, fmt, q, now):
    if fmt[0] == "table":
        return table(kind, objs, meta, q.get("includeObject", "Metadata"), now, fmt[1])
    if fmt[0] in ("metalist", "meta"):
        head = encode({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/" + fmt[1], "metadata": meta})
        return head[:-1] + b',"items":[' + b",".join(o.meta_json() for o in objs) + b"]}"
    head = encode({"kind": kind.list_kind, "apiVersion": kind.api_version, "metadata": meta})
    return head[:-1] + b',"items":[' + b",".join(obj_json(kind, o) for o in objs) + b"]}"


def render_one(kind, obj, fmt, q, now):
    if fmt[0] == "table":
        return table(kind, [obj], {"resourceVersion": obj.md.get("resourceVersion", "")},
                     q.get("includeObject", "Metadata"), now, fmt[1])
    if fmt[0] in ("meta", "metalist"):
        return obj.meta_json()
    return obj_json(kind, obj)


# ---------------------------------------------------------------------------- verbs

def handle(h, r, q, body, user):
    if r.kind.plural == "selfsubjectaccessreviews":
        return ssar(h, r, body, user)
    dry = q.get("dryRun")
    if dry not in (None, "", "All"):
        raise ApiError(400, "BadRequest", 'Unsupported value: "%s": supported values: "All"' % dry, {})
    v = r.verb
    if v == "list":
        return do_list(h, r, q)
    if v == "get":
        return do_get(h, r, q)
    if v == "create":
        return do_create(h, r, q, body)
    if v in ("update", "patch"):
        return do_write(h, r, q, body)
    if v == "delete":
        return do_delete(h, r, q, body)
    if v == "deletecollection":
        return do_delete_collection(h, r, q)
    raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {})


def do_list(h, r, q):
    app = h.server.app
    store = app.store
    kind = r.kind
    fmt = fmt_for(h)
    flt = Filter(kind, q)
    cont = q.get("continue")
    rvq = q.get("resourceVersion")
    if cont and rvq not in (None, ""):
        raise ApiError(400, "BadRequest", "specifying resource version is not allowed when using continue", {})
    try:
        limit = int(q.get("limit") or 0)
    except ValueError:
        raise ApiError(400, "BadRequest", "limit: Invalid value: %r" % q.get("limit"), {})
    if rvq == "0":
        limit = 0  # served from the watch cache: a real server ignores limit
    with store.lock:
        list_rv = store.rv
        start = None
        if cont:
            tok_rv, start = parse_continue(cont, kind.namespaced)
            if tok_rv < store.rv_at(time.time() - app.continue_ttl):
                raise expired_continue(kind, tok_rv, start, store)
            list_rv = tok_rv
        objs = store.list(kind.storage, r.ns)
    if start is not None:
        objs = [o for o in objs if o.key > start]
    if not flt.empty:
        objs = [o for o in objs if flt.match(o)]
    meta = {"resourceVersion": str(list_rv)}
    if limit > 0 and len(objs) > limit:
        rest = len(objs) - limit
        objs = objs[:limit]
        meta["continue"] = make_continue(list_rv, objs[-1].key, kind.namespaced)
        if flt.empty:
            meta["remainingItemCount"] = rest
    h.send_body(200, render_list(kind, objs, meta, fmt, q, time.time()), content_type(fmt))


def _get(store, r):
    obj = store.get(r.kind.storage, r.ns or "", r.name)
    if obj is None:
        raise not_found(r.kind, r.name)
    return obj


def scale_of(obj):
    d = obj.data
    spec = {}
    if d["spec"].get("replicas"):
        spec["replicas"] = d["spec"]["replicas"]
    md = {k: obj.md[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp") if k in obj.md}
    return {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": md, "spec": spec,
            "status": {"replicas": (d.get("status") or {}).get("replicas", 0),
                       "selector": selector_string(d["spec"].get("selector"))}}


def do_get(h, r, q):
    app = h.server.app
    fmt = fmt_for(h)
    with app.store.lock:
        obj = _get(app.store, r)
    if r.sub == "scale":
        h.send_body(200, scale_of(obj))
        return
    h.send_body(200, render_one(r.kind, obj, fmt, q, time.time()), content_type(fmt))


def _namespace_check(r, data):
    md = data.setdefault("metadata", {})
    if not isinstance(md, dict):
        raise ApiError(400, "BadRequest", "metadata must be an object", {})
    if r.kind.namespaced:
        if md.get("namespace") and md["namespace"] != r.ns:
            raise ApiError(400, "BadRequest", "the namespace of the provided object does not match the namespace "
                                              "sent on the request", {})
        md["namespace"] = r.ns


def _clean_meta(md):
    for f in ("managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"):
        md.pop(f, None)


def do_create(h, r, q, body):
    app = h.server.app
    store = app.store
    kind = r.kind
    if r.name is not None or r.sub is not None:
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                       {})
    data = decode_body(h, body)
    if not isinstance(data, dict):
        raise ApiError(400, "BadRequest", "the request body must be a JSON object", {})
    _namespace_check(r, data)
    if kind is EVENT_V1:
        data = v1_to_core(data)
    md = data["metadata"]
    _clean_meta(md)
    md.pop("resourceVersion", None)
    md.pop("creationTimestamp", None)
    gen = md.get("generateName")
    if not md.get("name") and gen:
        prefix = gen[:-1] + "a" if gen.endswith("-") else gen
        if not _valid_name(prefix):
            raise invalid(kind, "", [("FieldValueInvalid", "metadata.generateName",
                                      'Invalid value: "%s": a lowercase RFC 1123 subdomain must consist of lower '
                                      "case alphanumeric characters, '-' or '.', and must start and end with an "
                                      "alphanumeric character (e.g. 'example.com', regex used for validation is "
                                      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
                                      % gen)])
    if kind.storage in ("deployments", "replicasets", "horizontalpodautoscalers"):
        data["status"] = {}
    if kind.storage == "pods":
        data["status"] = {}
    apply_defaults(kind.storage, data)
    validate(STORAGE[kind.storage], data, kind)
    dry = q.get("dryRun") == "All"
    with store.lock:
        if kind.storage == "pods" and not data["spec"].get("nodeName"):
            data["spec"]["nodeName"] = kubelet.node_for(md.get("name") or md.get("generateName", ""))[0]
        if kind.storage == "pods":
            data["status"] = kubelet.status_creating(data, store.now())
        obj = store.create(kind.storage, data, dry_run=dry)
        if kind.storage == "pods" and not dry:
            app.controller.start_at[obj.key] = store.now() + max(0.0, app.controller.ready_delay)
    h.send_body(201, obj_json(kind, obj))


def _apply_patch(h, base, body):
    ctype = (h.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    doc = parse_json(body, "patch")
    try:
        if ctype == "application/json-patch+json":
            return json_patch(base, doc), doc, ctype
        if ctype == "application/merge-patch+json":
            if not isinstance(doc, dict):
                raise PatchError("merge patch must be a JSON object", 400)
            return merge_patch(base, doc), doc, ctype
        if ctype == "application/strategic-merge-patch+json":
            if not isinstance(doc, dict):
                raise PatchError("strategic merge patch must be a JSON object", 400)
            res = strategic_merge(base, doc)
            if res is _DELETE:
                raise PatchError("a strategic merge patch may not delete the whole object")
            return res, doc, ctype
    except PatchError as e:
        if e.code == 400:
            raise ApiError(400, "BadRequest", str(e), {})
        raise ApiError(422, "Invalid", str(e), {})
    if ctype == "application/apply-patch+yaml":
        raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
                       "media types include: application/json-patch+json, application/merge-patch+json, "
                       "application/strategic-merge-patch+json (server-side apply is not implemented by "
                       "kube-double)", {})
    raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
                   "media types include: application/json-patch+json, application/merge-patch+json, "
                   "application/strategic-merge-patch+json", {})


def _patch_rv(doc, ctype, patched):
    if ctype == "application/json-patch+json":
        return (patched.get("metadata") or {}).get("resourceVersion")
    return ((doc or {}).get("metadata") or {}).get("resourceVersion") if isinstance(doc, dict) else None


def do_write(h, r, q, body):
    """PUT and PATCH on an object, its status or its scale."""
    app = h.server.app
    store = app.store
    kind = r.kind
    dry = q.get("dryRun") == "All"
    is_patch = r.verb == "patch"
    data_in = None if is_patch else decode_body(h, body)
    if not is_patch and not isinstance(data_in, dict):
        raise ApiError(400, "BadRequest", "the request body must be a JSON object", {})
    with store.lock:
        old = _get(store, r)
        if r.sub == "scale":
            return _write_scale(h, r, old, body, data_in, dry)
        base = copy.deepcopy(external(kind, old))
        if is_patch:
            new, doc, ctype = _apply_patch(h, base, body)
            rv = _patch_rv(doc, ctype, new)
            if rv is not None and str(rv) != old.md.get("resourceVersion"):
                raise conflict(kind, r.name)
            expect = None
        else:
            new = data_in
            nmd = new.get("metadata") or {}
            if nmd.get("name") not in (None, r.name):
                raise ApiError(400, "BadRequest", 'the name of the object (%s) does not match the name on the URL '
                                                  '(%s)' % (nmd.get("name"), r.name), {})
            expect = nmd.get("resourceVersion") or None
        if not isinstance(new, dict):
            raise ApiError(422, "Invalid", "the patched object is not a JSON object", {})
        if kind is EVENT_V1:
            new = v1_to_core(new)
        new = _finish_update(kind, r, old, new)
        validate(STORAGE[kind.storage], new, kind)
        obj = store.update(kind.storage, new, expect_rv=expect, dry_run=dry)
        if kind.storage == "pods" and r.sub == "status" and not dry:
            app.controller.forget_pod(obj.key)
    h.send_body(200, obj_json(kind, obj))


def _finish_update(kind, r, old, new):
    md = new.setdefault("metadata", {})
    if not isinstance(md, dict):
        raise ApiError(422, "Invalid", "metadata must be an object", {})
    md["name"] = old.name
    if kind.namespaced:
        md["namespace"] = old.ns
    _clean_meta(md)
    for f in ("uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds",
              "ownerReferences" if r.sub == "status" else None):
        if f and f in old.md:
            md[f] = old.md[f]
    st = kind.storage
    if r.sub == "status":
        full = copy.deepcopy(old.data)
        full["status"] = new.get("status") or {}
        new = full
    elif st in STATUS_KINDS:
        new["status"] = copy.deepcopy(old.data.get("status") or {})
    apply_defaults(st, new)
    if st == "pods" and r.sub != "status":
        _check_pod_update(old, new)
    if st in ("deployments", "replicasets") and r.sub != "status":
        # As the deployment strategy's PrepareForUpdate: a Deployment's
        # annotations bump its generation too (they are copied to its
        # ReplicaSets); a ReplicaSet's only on spec changes.
        ann_changed = st == "deployments" and canonical(md.get("annotations") or {}) != \
            canonical(old.md.get("annotations") or {})
        if canonical(new.get("spec")) != canonical(old.data.get("spec")) or ann_changed:
            md["generation"] = old.md.get("generation", 1) + 1
    return new


def _check_pod_update(old, new):
    a, b = copy.deepcopy(old.data.get("spec") or {}), copy.deepcopy(new.get("spec") or {})
    for s in (a, b):
        for c in (s.get("containers") or []) + (s.get("initContainers") or []):
            c.pop("image", None)
        for f in ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"):
            s.pop(f, None)
    if canonical(a) != canonical(b):
        raise invalid(STORAGE["pods"], old.name, [(
            "FieldValueForbidden", "spec",
            "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
            "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
            "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
            "previously negative)")])


def _write_scale(h, r, old, body, data_in, dry):
    store = h.server.app.store
    kind = r.kind
    cur = scale_of(old)
    if r.verb == "patch":
        new, doc, ctype = _apply_patch(h, copy.deepcopy(cur), body)
        rv = _patch_rv(doc, ctype, new)
    else:
        new = data_in
        rv = (new.get("metadata") or {}).get("resourceVersion") or None
    if rv is not None and str(rv) != old.md.get("resourceVersion"):
        raise conflict(kind, r.name)
    replicas = ((new or {}).get("spec") or {}).get("replicas") or 0
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise ApiError(400, "BadRequest", "spec.replicas must be an integer", {})
    if replicas < 0:
        raise ApiError(422, "Invalid", 'Scale.autoscaling "%s" is invalid: spec.replicas: Invalid value: %d: must '
                                       'be greater than or equal to 0' % (r.name, replicas),
                       {"name": r.name, "group": "autoscaling", "kind": "Scale",
                        "causes": [{"reason": "FieldValueInvalid", "message": "Invalid value: %d: must be greater "
                                    "than or equal to 0" % replicas, "field": "spec.replicas"}]})
    data = old.copy()
    if data["spec"].get("replicas") != replicas:
        data["spec"]["replicas"] = replicas
        data["metadata"]["generation"] = old.md.get("generation", 1) + 1
    obj = store.update(kind.storage, data, dry_run=dry)
    h.send_body(200, scale_of(obj))


def do_delete(h, r, q, body):
    app = h.server.app
    store = app.store
    kind = r.kind
    opts = parse_json(body, "DeleteOptions") if body else None
    opts = opts if isinstance(opts, dict) else {}
    grace = q.get("gracePeriodSeconds", opts.get("gracePeriodSeconds"))
    try:
        grace = int(grace) if grace not in (None, "") else None
    except ValueError:
        raise ApiError(400, "BadRequest", "gracePeriodSeconds must be an integer", {})
    dry = q.get("dryRun") == "All" or "All" in (opts.get("dryRun") or [])
    with store.lock:
        obj = _get(store, r)
        pre = opts.get("preconditions") or {}
        if pre.get("uid") and pre["uid"] != obj.md.get("uid"):
            raise ApiError(409, "Conflict", "Precondition failed: UID in precondition: %s, UID in object meta: %s"
                           % (pre["uid"], obj.md.get("uid")), {"name": r.name, "group": kind.group,
                                                               "kind": kind.plural})
        if pre.get("resourceVersion") and pre["resourceVersion"] != obj.md.get("resourceVersion"):
            raise ApiError(409, "Conflict", "Precondition failed: ResourceVersion in precondition: %s, "
                           "ResourceVersion in object meta: %s" % (pre["resourceVersion"],
                                                                  obj.md.get("resourceVersion")),
                           {"name": r.name, "group": kind.group, "kind": kind.plural})
        if dry:
            h.send_body(200, obj_json(kind, obj))
            return
        if kind.storage == "pods":
            res = app.controller.delete_pod(obj, grace)
            if store.get("pods", obj.ns, obj.name) is not None:
                h.send_body(200, obj_json(kind, res))
                return
        elif kind.storage == "namespaces":
            for st in ("pods", "replicasets", "deployments", "horizontalpodautoscalers", "events"):
                for o in store.list(st, obj.name):
                    store.delete(st, o.ns, o.name)
            store.delete("namespaces", "", obj.name)
        else:
            store.delete(kind.storage, obj.ns, obj.name)
    h.send_body(200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                      "details": {"name": r.name, "group": kind.group, "kind": kind.plural, "uid": obj.md.get("uid")}})


def do_delete_collection(h, r, q):
    app = h.server.app
    store = app.store
    kind = r.kind
    if r.sub is not None or kind.storage == "namespaces":
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                       {})
    flt = Filter(kind, q)
    dry = q.get("dryRun") == "All"
    with store.lock:
        gone = [o for o in store.list(kind.storage, r.ns) if flt.match(o)]
        if not dry:
            for o in gone:
                if kind.storage == "pods":
                    app.controller.delete_pod(o)
                elif store.get(kind.storage, o.ns, o.name) is not None:
                    store.delete(kind.storage, o.ns, o.name)
        rv = store.rv
    h.send_body(200, render_list(kind, gone, {"resourceVersion": str(rv)}, ("json", None), q, time.time()))


def ssar(h, r, body, user):
    app = h.server.app
    ctype = (h.headers.get("Content-Type") or "").lower()
    if "protobuf" in ctype:
        try:
            spec = pb.decode_ssar_spec(body)
        except (ValueError, IndexError) as e:
            raise ApiError(400, "BadRequest", "error decoding protobuf SelfSubjectAccessReview: %s" % e, {})
    else:
        data = parse_json(body)
        spec = (data or {}).get("spec") or {}
    ra, nra = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
    if bool(ra) == bool(nra):
        raise ApiError(422, "Invalid", 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: '
                                       'spec.resourceAttributes: Invalid value: "null": exactly one of '
                                       'nonResourceAttributes or resourceAttributes must be specified',
                       {"group": "authorization.k8s.io", "kind": "SelfSubjectAccessReview"})
    if ra:
        ok = allowed(user, ra.get("verb", ""), ra.get("group", ""), ra.get("resource", ""), ra.get("subresource"))
    else:
        ok = user == "admin" or (nra.get("verb") == "get" and user == "viewer")
    if app.ssar_force is not None:
        ok = app.ssar_force
    status = {"allowed": bool(ok)}
    if ok and app.ssar_force is None:
        role, binding = ("cluster-admin", "kube-double-admin") if user == "admin" else ("view", "kube-double-viewer")
        status["reason"] = 'RBAC: allowed by ClusterRoleBinding "%s" of ClusterRole "%s" to User "%s"' % (
            binding, role, user)
    h.send_body(201, {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                      "metadata": {"creationTimestamp": None}, "spec": spec, "status": status})
