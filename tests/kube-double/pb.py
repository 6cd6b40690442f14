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
