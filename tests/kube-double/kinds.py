"""The resource types the double serves, their discovery entries, and API-server defaulting.

RESOURCES maps (group, version, plural) to a Kind; STORAGE is keyed by the storage name
(plural) the store uses. default_* functions apply what the real apiserver's defaulting
does to the fields warroom and kubectl look at, so templates compare the way kubectl's
semantic DeepEqual compares them.
"""

import copy
import json


class Kind:
    def __init__(self, group, version, plural, kind, namespaced=True, short=None, verbs=None,
                 subresources=(), storage=None, categories=None, singular=None):
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
        self.short = short or []
        self.verbs = verbs or ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
        self.subresources = subresources
        self.storage = storage or plural
        self.categories = categories
        self.singular = singular or kind.lower()

    @property
    def api_version(self):
        return self.version if not self.group else "%s/%s" % (self.group, self.version)

    @property
    def qualified(self):
        """Plural plus group, as in messages: deployments.apps, pods."""
        return self.plural if not self.group else "%s.%s" % (self.plural, self.group)

    @property
    def list_kind(self):
        return self.kind + "List"


POD = Kind("", "v1", "pods", "Pod", short=["po"], subresources=("status",), categories=["all"])
EVENT = Kind("", "v1", "events", "Event", short=["ev"])
NAMESPACE = Kind("", "v1", "namespaces", "Namespace", namespaced=False, short=["ns"],
                 verbs=["create", "delete", "get", "list", "patch", "update", "watch"], subresources=("status",))
DEPLOYMENT = Kind("apps", "v1", "deployments", "Deployment", short=["deploy"], subresources=("scale", "status"),
                  categories=["all"])
REPLICASET = Kind("apps", "v1", "replicasets", "ReplicaSet", short=["rs"], subresources=("scale", "status"),
                  categories=["all"])
HPA = Kind("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short=["hpa"],
           subresources=("status",), categories=["all"])
EVENT_V1 = Kind("events.k8s.io", "v1", "events", "Event", short=["ev"], storage="events")
SSAR = Kind("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview",
            namespaced=False, verbs=["create"])

ALL = [POD, EVENT, NAMESPACE, DEPLOYMENT, REPLICASET, HPA, EVENT_V1, SSAR]
RESOURCES = {(k.group, k.version, k.plural): k for k in ALL}
STORAGE = {"pods": POD, "events": EVENT, "namespaces": NAMESPACE, "deployments": DEPLOYMENT,
           "replicasets": REPLICASET, "horizontalpodautoscalers": HPA}

GROUPS = [("apps", "v1"), ("autoscaling", "v1"), ("events.k8s.io", "v1"), ("authorization.k8s.io", "v1")]


def resource_list(group, version):
    """APIResourceList for /api/v1 or /apis/<group>/<version>, or None."""
    kinds = [k for k in ALL if k.group == group and k.version == version]
    if not kinds:
        return None
    res = []
    for k in kinds:
        e = {"name": k.plural, "singularName": k.singular, "namespaced": k.namespaced, "kind": k.kind,
             "verbs": k.verbs}
        if k.short:
            e["shortNames"] = k.short
        if k.categories:
            e["categories"] = k.categories
        res.append(e)
        for sub in k.subresources:
            s = {"name": "%s/%s" % (k.plural, sub), "singularName": "", "namespaced": k.namespaced,
                 "kind": k.kind, "verbs": ["get", "patch", "update"]}
            if sub == "scale":
                s["group"] = "autoscaling"
                s["version"] = "v1"
                s["kind"] = "Scale"
            res.append(s)
    gv = version if not group else "%s/%s" % (group, version)
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": res}


def api_group_list():
    groups = []
    for g, v in GROUPS:
        gv = {"groupVersion": "%s/%s" % (g, v), "version": v}
        groups.append({"name": g, "versions": [gv], "preferredVersion": gv})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(name):
    for g, v in GROUPS:
        if g == name:
            gv = {"groupVersion": "%s/%s" % (g, v), "version": v}
            return {"kind": "APIGroup", "apiVersion": "v1", "name": g, "versions": [gv], "preferredVersion": gv}
    return None


# ---------------------------------------------------------------------------- defaulting

_OMIT_EMPTY_LIST_EXCEPT = {"containers"}


def _prune_empty(o):
    """Drop empty lists and maps the way Go's omitempty drops them from API objects."""
    if isinstance(o, dict):
        for k in list(o.keys()):
            v = o[k]
            _prune_empty(v)
            if isinstance(v, list) and not v and k not in _OMIT_EMPTY_LIST_EXCEPT:
                del o[k]
            elif isinstance(v, dict) and not v and k in ("labels", "annotations", "limits", "requests",
                                                            "nodeSelector", "matchLabels"):
                del o[k]
    elif isinstance(o, list):
        for v in o:
            _prune_empty(v)


def _image_pull_policy(image):
    img = image or ""
    if "@" in img:
        return "IfNotPresent"
    last = img.rsplit("/", 1)[-1]
    if ":" not in last or last.endswith(":latest"):
        return "Always"
    return "IfNotPresent"


def default_container(c):
    c.setdefault("resources", {})
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    c.setdefault("imagePullPolicy", _image_pull_policy(c.get("image")))
    for p in c.get("ports") or []:
        p.setdefault("protocol", "TCP")
    for e in c.get("env") or []:
        fr = e.get("valueFrom")
        if fr and "fieldRef" in fr:
            fr["fieldRef"].setdefault("apiVersion", "v1")


def default_pod_spec(spec):
    for c in spec.get("initContainers") or []:
        default_container(c)
    for c in spec.get("containers") or []:
        default_container(c)
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")


def default_template(tpl):
    md = tpl.setdefault("metadata", {})
    md["creationTimestamp"] = None
    default_pod_spec(tpl.setdefault("spec", {}))
    _prune_empty(tpl)
    tpl["spec"].setdefault("containers", [])
    tpl["spec"].setdefault("securityContext", {})
    for c in tpl["spec"]["containers"]:
        c.setdefault("resources", {})


def _default_workload(obj):
    spec = obj.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    spec.setdefault("revisionHistoryLimit", 10)
    default_template(spec.setdefault("template", {}))


def default_deployment(obj):
    _default_workload(obj)
    spec = obj["spec"]
    spec.setdefault("progressDeadlineSeconds", 600)
    st = spec.setdefault("strategy", {})
    st.setdefault("type", "RollingUpdate")
    if st["type"] == "RollingUpdate":
        ru = st.setdefault("rollingUpdate", {})
        ru.setdefault("maxUnavailable", "25%")
        ru.setdefault("maxSurge", "25%")
    else:
        st.pop("rollingUpdate", None)
    obj.setdefault("status", {})


def default_replicaset(obj):
    spec = obj.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_template(spec.setdefault("template", {}))
    obj.setdefault("status", {"replicas": 0})


def default_pod(obj):
    spec = obj.setdefault("spec", {})
    default_pod_spec(spec)
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    spec.setdefault("priority", 0)
    spec.setdefault("serviceAccountName", "default")
    spec["serviceAccount"] = spec["serviceAccountName"]
    spec.setdefault("tolerations", [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    ])
    st = obj.setdefault("status", {})
    st.setdefault("phase", "Pending")
    st.setdefault("qosClass", qos_class(spec))


def default_hpa(obj):
    spec = obj.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    obj.setdefault("status", {"currentReplicas": 0, "desiredReplicas": 0})


def default_namespace(obj):
    md = obj.setdefault("metadata", {})
    labels = md.setdefault("labels", {})
    labels["kubernetes.io/metadata.name"] = md.get("name", "")
    obj.setdefault("spec", {"finalizers": ["kubernetes"]})
    obj.setdefault("status", {"phase": "Active"})


DEFAULTERS = {"deployments": default_deployment, "replicasets": default_replicaset, "pods": default_pod,
              "horizontalpodautoscalers": default_hpa, "namespaces": default_namespace}


def apply_defaults(storage, obj):
    f = DEFAULTERS.get(storage)
    if f:
        f(obj)
    return obj


def qos_class(spec):
    """v1 PodQOSClass from the containers' requests and limits."""
    containers = (spec.get("containers") or []) + (spec.get("initContainers") or [])
    any_set, guaranteed = False, True
    for c in containers:
        r = c.get("resources") or {}
        req, lim = r.get("requests") or {}, r.get("limits") or {}
        if req or lim:
            any_set = True
        for res in ("cpu", "memory"):
            if res not in lim:
                guaranteed = False
            elif res in req and req[res] != lim[res]:
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def template_without_hash(tpl):
    t = copy.deepcopy(tpl or {})
    labels = (t.get("metadata") or {}).get("labels")
    if labels is not None:
        labels.pop("pod-template-hash", None)
        if not labels:
            t["metadata"].pop("labels")
    return t


def canonical(o):
    return json.dumps(o, sort_keys=True, separators=(",", ":"))


def templates_equal(a, b):
    """deploymentutil.EqualIgnoreHash: semantic equality of two pod templates without the hash label."""
    return canonical(template_without_hash(a)) == canonical(template_without_hash(b))
