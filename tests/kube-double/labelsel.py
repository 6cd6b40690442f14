"""Label and field selectors as the Kubernetes API server parses them.

parse_labels("app=web,tier in (a,b),!canary") and parse_fields("metadata.name=x")
return lists of requirements; matches_* evaluate them. Parse errors raise ValueError
with the server's wording, which the caller turns into a 400 BadRequest.
"""

_KEY_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")


def _lex(s):
    """Tokens of a label selector: identifiers, operators and punctuation."""
    toks, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
        elif c in "(),":
            toks.append(c)
            i += 1
        elif c == "!":
            if i + 1 < n and s[i + 1] == "=":
                toks.append("!=")
                i += 2
            else:
                toks.append("!")
                i += 1
        elif c == "=":
            if i + 1 < n and s[i + 1] == "=":
                toks.append("==")
                i += 2
            else:
                toks.append("=")
                i += 1
        elif c in "<>":
            toks.append(c)
            i += 1
        elif c in _KEY_CHARS:
            j = i
            while j < n and s[j] in _KEY_CHARS:
                j += 1
            toks.append(("id", s[i:j]))
            i = j
        else:
            raise ValueError("unable to parse requirement: found '%s', expected: identifier" % c)
    return toks


def parse_labels(s):
    """Parse a label selector into [(key, op, [values])]; op in exists, !, =, !=, in, notin, gt, lt."""
    s = (s or "").strip()
    if not s:
        return []
    toks = _lex(s)
    reqs, i = [], 0

    def ident(tok):
        return tok[1] if isinstance(tok, tuple) else None

    while i < len(toks):
        t = toks[i]
        if t == "!":
            i += 1
            key = ident(toks[i]) if i < len(toks) else None
            if not key:
                raise ValueError("unable to parse requirement: found '', expected: identifier after '!'")
            reqs.append((key, "!", []))
            i += 1
        else:
            key = ident(t)
            if not key:
                raise ValueError("unable to parse requirement: found '%s', expected: identifier" % (t,))
            i += 1
            if i >= len(toks) or toks[i] == ",":
                reqs.append((key, "exists", []))
            else:
                op = toks[i]
                word = ident(op)
                if op in ("=", "=="):
                    op = "="
                elif op == "!=":
                    pass
                elif op == ">":
                    op = "gt"
                elif op == "<":
                    op = "lt"
                elif word in ("in", "notin"):
                    op = word
                else:
                    raise ValueError("unable to parse requirement: found '%s', expected: in, notin, =, ==, !=, gt, lt" % (word or op))
                i += 1
                if op in ("in", "notin"):
                    if i >= len(toks) or toks[i] != "(":
                        raise ValueError("unable to parse requirement: found '', expected: '('")
                    i += 1
                    vals = []
                    while i < len(toks) and toks[i] != ")":
                        if toks[i] == ",":
                            i += 1
                            continue
                        v = ident(toks[i])
                        if v is None:
                            raise ValueError("unable to parse requirement: found '%s', expected: ',', ')' or identifier" % (toks[i],))
                        vals.append(v)
                        i += 1
                    if i >= len(toks):
                        raise ValueError("unable to parse requirement: found '', expected: ')'")
                    i += 1
                    reqs.append((key, op, vals))
                else:
                    val = ""
                    if i < len(toks) and ident(toks[i]) is not None:
                        val = ident(toks[i])
                        i += 1
                    if op in ("gt", "lt"):
                        try:
                            int(val)
                        except ValueError:
                            raise ValueError("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer")
                    reqs.append((key, op, [val]))
        if i < len(toks):
            if toks[i] != ",":
                raise ValueError("found '%s', expected: ',' or 'end of string'" % (ident(toks[i]) or toks[i],))
            i += 1
    return reqs


def matches_labels(reqs, labels):
    labels = labels or {}
    for key, op, vals in reqs:
        has = key in labels
        v = labels.get(key)
        if op == "exists":
            ok = has
        elif op == "!":
            ok = not has
        elif op == "=":
            ok = has and v == vals[0]
        elif op == "!=":
            ok = (not has) or v != vals[0]
        elif op == "in":
            ok = has and v in vals
        elif op == "notin":
            ok = (not has) or v not in vals
        elif op in ("gt", "lt"):
            try:
                n = int(v)
            except (TypeError, ValueError):
                return False
            ok = n > int(vals[0]) if op == "gt" else n < int(vals[0])
        else:
            ok = False
        if not ok:
            return False
    return True


def selector_string(sel):
    """metav1.LabelSelectorAsSelector(sel).String(): sorted requirements, as kubectl prints them."""
    if not sel:
        return ""
    parts = []
    for k, v in (sel.get("matchLabels") or {}).items():
        parts.append((k, "%s=%s" % (k, v)))
    for e in sel.get("matchExpressions") or []:
        k, op, vals = e.get("key"), e.get("operator"), sorted(e.get("values") or [])
        if op == "In":
            parts.append((k, "%s in (%s)" % (k, ",".join(vals))))
        elif op == "NotIn":
            parts.append((k, "%s notin (%s)" % (k, ",".join(vals))))
        elif op == "Exists":
            parts.append((k, k))
        elif op == "DoesNotExist":
            parts.append((k, "!" + k))
    parts.sort(key=lambda p: p[0])
    return ",".join(p[1] for p in parts)


def selector_matches(sel, labels):
    """Does a metav1.LabelSelector (matchLabels/matchExpressions) select these labels?"""
    if sel is None:
        return False
    labels = labels or {}
    for k, v in (sel.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in sel.get("matchExpressions") or []:
        k, op, vals = e.get("key"), e.get("operator"), e.get("values") or []
        if op == "In" and labels.get(k) not in vals:
            return False
        if op == "NotIn" and k in labels and labels[k] in vals:
            return False
        if op == "Exists" and k not in labels:
            return False
        if op == "DoesNotExist" and k in labels:
            return False
    return True


# ---------------------------------------------------------------------------- field selectors

def _split_unescaped(s, sep):
    out, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i + 1])
            i += 2
            continue
        if c == sep:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def parse_fields(s):
    """Parse a field selector into [(field, op, value)], op in =, !=."""
    s = (s or "").strip()
    if not s:
        return []
    reqs = []
    for part in _split_unescaped(s, ","):
        part = part.strip()
        if not part:
            continue
        for op, norm in (("!=", "!="), ("==", "="), ("=", "=")):
            idx = part.find(op)
            if idx > 0:
                reqs.append((part[:idx].strip(), norm, part[idx + len(op):].strip()))
                break
        else:
            raise ValueError("invalid selector: '%s'; can't understand '%s'" % (s, part))
    return reqs


# fields each kind supports, as the real server's field label conversion funcs allow
FIELD_PATHS = {
    "pods": ("metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
             "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
             "status.podIP", "status.nominatedNodeName"),
    "events": ("metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace",
               "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
               "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent",
               "source", "type"),
    "namespaces": ("metadata.name", "status.phase"),
    "replicasets": ("metadata.name", "metadata.namespace", "status.replicas"),
}


def check_fields(kind, reqs):
    allowed = FIELD_PATHS.get(kind, ("metadata.name", "metadata.namespace"))
    for f, _, _ in reqs:
        if f not in allowed:
            raise ValueError('field label not supported: %s' % f)


def field_value(obj, path):
    if path == "source":
        return ((obj.get("source") or {}).get("component")) or ""
    if path == "spec.hostNetwork":
        return "true" if (obj.get("spec") or {}).get("hostNetwork") else "false"
    cur = obj
    for p in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(p)
    if cur is None:
        return ""
    return str(cur)


def matches_fields(reqs, obj):
    for f, op, v in reqs:
        have = field_value(obj, f)
        if op == "=" and have != v:
            return False
        if op == "!=" and have == v:
            return False
    return True
