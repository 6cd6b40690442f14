"""Just enough Kubernetes protobuf to read the SelfSubjectAccessReview that
`kubectl auth can-i` sends (Content-Type application/vnd.kubernetes.protobuf):
the "k8s\\0" envelope (runtime.Unknown) and the SSAR spec fields.
"""

MAGIC = b"k8s\x00"


def _varint(b, i):
    shift = n = 0
    while True:
        if i >= len(b):
            raise ValueError("truncated varint")
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        if not c & 0x80:
            return n, i
        shift += 7


def fields(b):
    """Top-level fields of one message: {number: [value, ...]} (bytes for length-delimited, int for varint)."""
    out, i = {}, 0
    while i < len(b):
        key, i = _varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        out.setdefault(num, []).append(v)
    return out


def _str(f, n):
    v = f.get(n)
    return v[0].decode("utf-8") if v else ""


def decode_ssar_spec(body):
    """The spec of a protobuf SelfSubjectAccessReview, as the JSON dict the API would show."""
    if not body.startswith(MAGIC):
        raise ValueError("missing k8s protobuf envelope")
    unknown = fields(body[len(MAGIC):])
    raw = (unknown.get(2) or [b""])[0]
    ssar = fields(raw)
    spec = fields((ssar.get(2) or [b""])[0])
    out = {}
    if spec.get(1):
        ra = fields(spec[1][0])
        names = {1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource", 7: "name"}
        out["resourceAttributes"] = {v: _str(ra, k) for k, v in names.items() if _str(ra, k)}
    if spec.get(2):
        nra = fields(spec[2][0])
        out["nonResourceAttributes"] = {v: _str(nra, k) for k, v in {1: "path", 2: "verb"}.items() if _str(nra, k)}
    return out


# ---------------------------------------------------------------------------- typed objects
# Field numbers from k8s.io/api generated.proto, for what `kubectl create deployment|namespace`
# and typed clients send. (name, type, repeated): type is str/int/bool, "map" (string map),
# "qmap" (map of Quantity), "time", "intstr", or a message name in SCHEMA.
SCHEMA = {
    "ObjectMeta": {1: ("name", "str", 0), 2: ("generateName", "str", 0), 3: ("namespace", "str", 0),
                   5: ("uid", "str", 0), 6: ("resourceVersion", "str", 0), 7: ("generation", "int", 0),
                   11: ("labels", "map", 0), 12: ("annotations", "map", 0),
                   13: ("ownerReferences", "OwnerReference", 1), 14: ("finalizers", "str", 1)},
    "OwnerReference": {1: ("kind", "str", 0), 3: ("name", "str", 0), 4: ("uid", "str", 0),
                       5: ("apiVersion", "str", 0), 6: ("controller", "bool", 0),
                       7: ("blockOwnerDeletion", "bool", 0)},
    "Deployment": {1: ("metadata", "ObjectMeta", 0), 2: ("spec", "DeploymentSpec", 0)},
    "DeploymentSpec": {1: ("replicas", "int", 0), 2: ("selector", "LabelSelector", 0),
                       3: ("template", "PodTemplateSpec", 0), 4: ("strategy", "DeploymentStrategy", 0),
                       5: ("minReadySeconds", "int", 0), 6: ("revisionHistoryLimit", "int", 0),
                       7: ("paused", "bool", 0), 9: ("progressDeadlineSeconds", "int", 0)},
    "DeploymentStrategy": {1: ("type", "str", 0), 2: ("rollingUpdate", "RollingUpdateDeployment", 0)},
    "RollingUpdateDeployment": {1: ("maxUnavailable", "intstr", 0), 2: ("maxSurge", "intstr", 0)},
    "LabelSelector": {1: ("matchLabels", "map", 0), 2: ("matchExpressions", "LabelSelectorRequirement", 1)},
    "LabelSelectorRequirement": {1: ("key", "str", 0), 2: ("operator", "str", 0), 3: ("values", "str", 1)},
    "PodTemplateSpec": {1: ("metadata", "ObjectMeta", 0), 2: ("spec", "PodSpec", 0)},
    "Pod": {1: ("metadata", "ObjectMeta", 0), 2: ("spec", "PodSpec", 0)},
    "PodSpec": {2: ("containers", "Container", 1), 3: ("restartPolicy", "str", 0),
                4: ("terminationGracePeriodSeconds", "int", 0), 6: ("dnsPolicy", "str", 0),
                7: ("nodeSelector", "map", 0), 8: ("serviceAccountName", "str", 0), 10: ("nodeName", "str", 0),
                19: ("schedulerName", "str", 0), 20: ("initContainers", "Container", 1)},
    "Container": {1: ("name", "str", 0), 2: ("image", "str", 0), 3: ("command", "str", 1), 4: ("args", "str", 1),
                  5: ("workingDir", "str", 0), 6: ("ports", "ContainerPort", 1), 7: ("env", "EnvVar", 1),
                  8: ("resources", "ResourceRequirements", 0), 13: ("terminationMessagePath", "str", 0),
                  14: ("imagePullPolicy", "str", 0), 16: ("stdin", "bool", 0), 18: ("tty", "bool", 0),
                  20: ("terminationMessagePolicy", "str", 0)},
    "ContainerPort": {1: ("name", "str", 0), 2: ("hostPort", "int", 0), 3: ("containerPort", "int", 0),
                      4: ("protocol", "str", 0), 5: ("hostIP", "str", 0)},
    "EnvVar": {1: ("name", "str", 0), 2: ("value", "str", 0)},
    "ResourceRequirements": {1: ("limits", "qmap", 0), 2: ("requests", "qmap", 0)},
    "Namespace": {1: ("metadata", "ObjectMeta", 0)},
}
KEEP_ZERO = {("DeploymentSpec", "replicas"), ("ResourceRequirements", None), ("Container", "resources"),
             ("PodSpec", "containers")}


def _decode_msg(name, b):
    schema = SCHEMA[name]
    out = {}
    for num, vals in fields(b).items():
        if num not in schema:
            continue
        key, typ, rep = schema[num]
        dec = [_decode_val(typ, v) for v in vals]
        if typ in ("map", "qmap"):
            m = {}
            for d in dec:
                m.update(d)
            if m:
                out[key] = m
            continue
        if rep:
            out[key] = dec
            continue
        v = dec[-1]
        if v in ("", 0, False, None, {}) and (name, key) not in KEEP_ZERO:
            continue
        out[key] = v
    return out


def _decode_val(typ, v):
    if typ == "str":
        return v.decode("utf-8")
    if typ == "int":
        return v - (1 << 64) if v >= 1 << 63 else v
    if typ == "bool":
        return bool(v)
    if typ in ("map", "qmap"):
        f = fields(v)
        k = _str(f, 1)
        if typ == "qmap":
            return {k: _str(fields((f.get(2) or [b""])[0]), 1)}
        return {k: _str(f, 2)}
    if typ == "intstr":
        f = fields(v)
        if (f.get(1) or [0])[0] == 1:
            return _str(f, 3)
        return (f.get(2) or [0])[0]
    return _decode_msg(typ, v)


def decode_object(body):
    """A protobuf-encoded Deployment, Pod or Namespace as the JSON dict; ValueError for anything else."""
    if not body.startswith(MAGIC):
        raise ValueError("missing k8s protobuf envelope")
    unknown = fields(body[len(MAGIC):])
    tm = fields((unknown.get(1) or [b""])[0])
    api_version, kind = _str(tm, 1), _str(tm, 2)
    if kind not in ("Deployment", "Pod", "Namespace"):
        raise ValueError("kube-double decodes protobuf bodies only for SelfSubjectAccessReview, Deployment, Pod "
                         "and Namespace, not %s; send JSON" % (kind or "an unknown kind"))
    obj = {"kind": kind, "apiVersion": api_version}
    obj.update(_decode_msg(kind, (unknown.get(2) or [b""])[0]))
    return obj
