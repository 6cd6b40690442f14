"""The three patch types kubectl sends: JSON patch (RFC 6902), JSON merge patch (RFC 7386)
and Kubernetes strategic merge patch (for the built-in types the double serves).

Each function takes the original object (not modified) and the decoded patch and returns
a new object, or raises PatchError with a message for a 422/400 answer.
"""

import copy


class PatchError(Exception):
    def __init__(self, message, code=422):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------- RFC 6902

def _unescape(tok):
    return tok.replace("~1", "/").replace("~0", "~")


def _pointer(path):
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError("invalid JSON pointer %r" % path, 400)
    return [_unescape(t) for t in path[1:].split("/")]


def _walk(doc, toks, op):
    cur = doc
    for t in toks:
        if isinstance(cur, dict):
            if t not in cur:
                raise PatchError("jsonpatch %s operation does not apply: doc is missing path: %s"
                                 % (op, "/" + "/".join(toks)))
            cur = cur[t]
        elif isinstance(cur, list):
            try:
                i = int(t)
            except ValueError:
                raise PatchError("jsonpatch %s operation does not apply: invalid index %r" % (op, t))
            if i < 0 or i >= len(cur):
                raise PatchError("jsonpatch %s operation does not apply: doc is missing path: %s"
                                 % (op, "/" + "/".join(toks)))
            cur = cur[i]
        else:
            raise PatchError("jsonpatch %s operation does not apply: doc is missing path: %s"
                             % (op, "/" + "/".join(toks)))
    return cur


def _get(doc, path, op):
    return _walk(doc, _pointer(path), op)


def _add(doc, toks, value, op="add"):
    if not toks:
        return value
    parent = _walk(doc, toks[:-1], op)
    last = toks[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        else:
            try:
                i = int(last)
            except ValueError:
                raise PatchError("jsonpatch %s operation does not apply: invalid index %r" % (op, last))
            if i < 0 or i > len(parent):
                raise PatchError("jsonpatch %s operation does not apply: index out of range" % op)
            parent.insert(i, value)
    else:
        raise PatchError("jsonpatch %s operation does not apply: doc is missing path: %s"
                         % (op, "/" + "/".join(toks)))
    return doc


def _remove(doc, toks, op="remove"):
    if not toks:
        raise PatchError("jsonpatch %s operation does not apply: cannot remove the root" % op)
    parent = _walk(doc, toks[:-1], op)
    last = toks[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError("jsonpatch %s operation does not apply: doc is missing path: %s"
                             % (op, "/" + "/".join(toks)))
        return parent.pop(last)
    if isinstance(parent, list):
        try:
            i = int(last)
        except ValueError:
            raise PatchError("jsonpatch %s operation does not apply: invalid index %r" % (op, last))
        if i < 0 or i >= len(parent):
            raise PatchError("jsonpatch %s operation does not apply: doc is missing path: %s"
                             % (op, "/" + "/".join(toks)))
        return parent.pop(i)
    raise PatchError("jsonpatch %s operation does not apply: doc is missing path" % op)


def json_patch(orig, ops):
    if not isinstance(ops, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch", 400)
    doc = copy.deepcopy(orig)
    for o in ops:
        if not isinstance(o, dict) or "op" not in o:
            raise PatchError("invalid JSON patch operation %r" % (o,), 400)
        op, path = o.get("op"), o.get("path", "")
        if op == "add":
            doc = _add(doc, _pointer(path), copy.deepcopy(o.get("value")))
        elif op == "remove":
            _remove(doc, _pointer(path))
        elif op == "replace":
            toks = _pointer(path)
            if toks:
                _walk(doc, toks, "replace")  # the target must exist
                _remove(doc, toks, "replace")
            doc = _add(doc, toks, copy.deepcopy(o.get("value")), "replace")
        elif op == "move":
            val = _remove(doc, _pointer(o.get("from", "")), "move")
            doc = _add(doc, _pointer(path), val, "move")
        elif op == "copy":
            val = copy.deepcopy(_get(doc, o.get("from", ""), "copy"))
            doc = _add(doc, _pointer(path), val, "copy")
        elif op == "test":
            if _get(doc, path, "test") != o.get("value"):
                raise PatchError("testing value %s failed: test failed" % path)
        else:
            raise PatchError("Unexpected kind: %s" % op, 400)
    return doc


# ---------------------------------------------------------------------------- RFC 7386

def merge_patch(orig, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(orig) if isinstance(orig, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


# ---------------------------------------------------------------------------- strategic merge patch

# patchMergeKey of the list fields in the types served (Pod/Deployment/ReplicaSet/...)
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
    "volumeMounts": "mountPath", "volumeDevices": "devicePath", "ports": "containerPort",
    "volumes": "name", "imagePullSecrets": "name", "conditions": "type", "ownerReferences": "uid",
    "hostAliases": "ip", "resourceClaims": "name", "topologySpreadConstraints": "topologyKey",
    "podIPs": "ip", "hostIPs": "ip", "readinessGates": "conditionType", "schedulingGates": "name",
}
# lists of scalars with patchStrategy merge
PRIMITIVE_MERGE = {"finalizers"}

_DELETE = object()


def _strip_directives(v):
    if isinstance(v, dict):
        return {k: _strip_directives(x) for k, x in v.items()
                if not k.startswith("$") and x is not None}
    if isinstance(v, list):
        return [_strip_directives(x) for x in v]
    return v


def _reorder(lst, order, key):
    """$setElementOrder: the patch's order first, elements the order does not name keep their place after."""
    if key is None:
        pos = {v: i for i, v in enumerate(order)}
        named = sorted([v for v in lst if v in pos], key=lambda v: pos[v])
        rest = [v for v in lst if v not in pos]
        return named + rest
    pos = {}
    for i, e in enumerate(order):
        if isinstance(e, dict) and key in e:
            pos[_k(e[key])] = i
    named = [e for e in lst if isinstance(e, dict) and _k(e.get(key)) in pos]
    named.sort(key=lambda e: pos[_k(e.get(key))])
    rest = [e for e in lst if not (isinstance(e, dict) and _k(e.get(key)) in pos)]
    return named + rest


def _k(v):
    # merge keys compare as values; 8080 and "8080" are different keys in JSON too
    return (type(v).__name__, v)


def _merge_list(orig, patch, key):
    if key is None:
        out = list(orig)
        for v in patch:
            if v not in out:
                out.append(v)
        return out
    if any(isinstance(e, dict) and e.get("$patch") == "replace" for e in patch):
        return [_strip_directives(e) for e in patch if not (isinstance(e, dict) and e.get("$patch") == "replace")]
    out = copy.deepcopy(orig)
    for item in patch:
        if not isinstance(item, dict):
            out.append(copy.deepcopy(item))
            continue
        kv = item.get(key)
        idx = next((i for i, e in enumerate(out) if isinstance(e, dict) and _k(e.get(key)) == _k(kv)), None)
        if item.get("$patch") == "delete":
            if idx is not None:
                out.pop(idx)
            continue
        if idx is None:
            out.append(strategic_merge({}, item))
        else:
            out[idx] = strategic_merge(out[idx], item)
    return out


def strategic_merge(orig, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(orig, dict):
        orig = {}
    directive = patch.get("$patch")
    if directive == "replace":
        return _strip_directives(patch)
    if directive == "delete":
        return _DELETE
    out = copy.deepcopy(orig)
    orders, deletes = {}, {}
    retain = patch.get("$retainKeys")
    for k, v in patch.items():
        if k.startswith("$setElementOrder/"):
            orders[k.split("/", 1)[1]] = v
            continue
        if k.startswith("$deleteFromPrimitiveList/"):
            deletes[k.split("/", 1)[1]] = v
            continue
        if k.startswith("$"):
            continue
        if v is None:
            out.pop(k, None)
            continue
        if isinstance(v, list):
            if k in MERGE_KEYS or k in PRIMITIVE_MERGE:
                key = MERGE_KEYS.get(k)
                out[k] = _merge_list(out.get(k) if isinstance(out.get(k), list) else [], v, key)
            else:
                out[k] = _strip_directives(v)
            continue
        if isinstance(v, dict):
            sub = strategic_merge(out.get(k), v)
            if sub is _DELETE:
                out.pop(k, None)
            else:
                out[k] = sub
            continue
        out[k] = v
    for k, vals in deletes.items():
        if isinstance(out.get(k), list):
            out[k] = [x for x in out[k] if x not in vals]
    for k, order in orders.items():
        if isinstance(out.get(k), list) and isinstance(order, list):
            out[k] = _reorder(out[k], order, MERGE_KEYS.get(k))
    if isinstance(retain, list):
        keep = set(retain)
        out = {k: v for k, v in out.items() if k in keep}
    return out
