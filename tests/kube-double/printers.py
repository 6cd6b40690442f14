"""Server-side Table printing (kubernetes pkg/printers/internalversion, as of v1.32).

columns(storage) gives the column definitions; cells(obj, now) the row cells of one object.
printPod follows k8s-api.md section 3.6 exactly, including sidecar init containers and the
"N (Xm ago)" RESTARTS string; its time-independent part is cached on the Obj.
"""

from labelsel import selector_string
from store import parse_time

NAME_DOC = ("Name must be unique within a namespace. Is required when creating resources, although some resources "
            "may allow a client to request the generation of an appropriate name automatically. Name is primarily "
            "intended for creation idempotence and configuration definition. Cannot be updated. More info: "
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names")
AGE_DOC = ("CreationTimestamp is a timestamp representing the server time when this object was created. It is not "
           "guaranteed to be set in happens-before order across separate operations. Clients may not set this "
           "value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for "
           "lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/"
           "api-conventions.md#metadata")


def _col(name, typ="string", desc="", priority=0, fmt=""):
    return {"name": name, "type": typ, "format": fmt, "description": desc, "priority": priority}


COLUMNS = {
    "pods": [
        _col("Name", desc=NAME_DOC, fmt="name"),
        _col("Ready", desc="The aggregate readiness state of this pod for accepting traffic."),
        _col("Status", desc="The aggregate status of the containers in this pod."),
        _col("Restarts", desc="The number of times the containers in this pod have been restarted and when the "
                              "last container in this pod has restarted."),
        _col("Age", desc=AGE_DOC),
        _col("IP", priority=1, desc="podIP address allocated to the pod. Routable at least within the cluster. "
                                    "Empty if not yet allocated."),
        _col("Node", priority=1, desc="NodeName indicates in which node this pod is scheduled. If empty, this pod "
                                      "is a candidate for scheduling by the scheduler defined in schedulerName. Once "
                                      "this field is set, the kubelet for this node becomes responsible for the "
                                      "lifecycle of this pod. This field should not be used to express a desire for "
                                      "the pod to be scheduled on a specific node. https://kubernetes.io/docs/"
                                      "concepts/scheduling-eviction/assign-pod-node/#nodename"),
        _col("Nominated Node", priority=1, desc="nominatedNodeName is set only when this pod preempts other pods on "
                                                "the node, but it cannot be scheduled right away as preemption "
                                                "victims receive their graceful termination periods."),
        _col("Readiness Gates", priority=1, desc="If specified, all readiness gates will be evaluated for pod "
                                                 "readiness. A pod is ready when all its containers are ready AND "
                                                 "all conditions specified in the readiness gates have status equal "
                                                 "to \"True\" More info: https://git.k8s.io/enhancements/keps/"
                                                 "sig-network/580-pod-readiness-gates"),
    ],
    "deployments": [
        _col("Name", desc=NAME_DOC, fmt="name"),
        _col("Ready", desc="Number of the pod with ready state"),
        _col("Up-to-date", desc="Total number of non-terminated pods targeted by this deployment that have the "
                                "desired template spec."),
        _col("Available", desc="Total number of available pods (ready for at least minReadySeconds) targeted by "
                               "this deployment."),
        _col("Age", desc=AGE_DOC),
        _col("Containers", priority=1, desc="Names of each container in the template."),
        _col("Images", priority=1, desc="Images referenced by each container in the template."),
        _col("Selector", priority=1, desc="Label selector for pods. Existing ReplicaSets whose pods are selected "
                                          "by this will be the ones affected by this deployment."),
    ],
    "replicasets": [
        _col("Name", desc=NAME_DOC, fmt="name"),
        _col("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish "
                                   "between explicit zero and unspecified. Defaults to 1."),
        _col("Current", "integer", "Replicas is the most recently observed number of replicas."),
        _col("Ready", "integer", "The number of ready replicas for this replica set."),
        _col("Age", desc=AGE_DOC),
        _col("Containers", priority=1, desc="Names of each container in the template."),
        _col("Images", priority=1, desc="Images referenced by each container in the template."),
        _col("Selector", priority=1, desc="Selector is a label query over pods that should match the replica count."),
    ],
    "horizontalpodautoscalers": [
        _col("Name", desc=NAME_DOC, fmt="name"),
        _col("Reference", desc="scaleTargetRef points to the target resource to scale, and is used to the pods "
                               "for which metrics should be collected, as well as to actually change the replica "
                               "count."),
        _col("Targets", desc="metrics contains the specifications for which to use to calculate the desired "
                             "replica count."),
        _col("MinPods", desc="minReplicas is the lower limit for the number of replicas to which the autoscaler "
                             "can scale down."),
        _col("MaxPods", desc="maxReplicas is the upper limit for the number of replicas to which the autoscaler "
                             "can scale up."),
        _col("Replicas", desc="currentReplicas is current number of replicas of pods managed by this autoscaler, "
                              "as last seen by the autoscaler."),
        _col("Age", desc=AGE_DOC),
    ],
    "events": [
        _col("Last Seen", desc="The time at which the most recent occurrence of this event was recorded."),
        _col("Type", desc="Type of this event (Normal, Warning), new types could be added in the future"),
        _col("Reason", desc="This should be a short, machine understandable string that gives the reason for the "
                            "transition into the object's current status."),
        _col("Object", desc="The object that this event is about."),
        _col("Subobject", priority=1, desc="If referring to a piece of an object instead of an entire object, "
                                           "this string should contain a valid JSON/Go field access statement."),
        _col("Source", priority=1, desc="The component reporting this event. Should be a short machine "
                                        "understandable string."),
        _col("Message", desc="A human-readable description of the status of this operation."),
        _col("First Seen", priority=1, desc="The time at which the event was first recorded. (Time of server "
                                            "receipt is in TypeMeta.)"),
        _col("Count", priority=1, desc="The number of times this event has occurred."),
        _col("Name", priority=1, desc=NAME_DOC, fmt="name"),
    ],
    "namespaces": [
        _col("Name", desc=NAME_DOC, fmt="name"),
        _col("Status", desc="The status of the namespace"),
        _col("Age", desc=AGE_DOC),
    ],
}


def human_duration(d):
    """apimachinery/pkg/util/duration.HumanDuration."""
    seconds = int(d)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return "%ds" % seconds
    minutes = int(d // 60)
    if minutes < 10:
        s = int(d) % 60
        return "%dm" % minutes if s == 0 else "%dm%ds" % (minutes, s)
    if minutes < 180:
        return "%dm" % minutes
    hours = int(d // 3600)
    if hours < 8:
        m = int(d // 60) % 60
        return "%dh" % hours if m == 0 else "%dh%dm" % (hours, m)
    if hours < 48:
        return "%dh" % hours
    if hours < 24 * 8:
        h = hours % 24
        return "%dd" % (hours // 24) if h == 0 else "%dd%dh" % (hours // 24, h)
    if hours < 24 * 365 * 2:
        return "%dd" % (hours // 24)
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return "%dy" % (hours // 24 // 365) if dy == 0 else "%dy%dd" % (hours // 24 // 365, dy)
    return "%dy" % (hours // 24 // 365)


def since(ts, now):
    t = parse_time(ts)
    if t is None:
        return "<unknown>"
    return human_duration(now - t)


def _finished(cs):
    t = ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
    return parse_time(t) or 0


def pod_summary(pod):
    """The time-independent part of printPod: (ready, total, reason, restarts, last_restart_epoch)."""
    spec, st, md = pod.get("spec") or {}, pod.get("status") or {}, pod.get("metadata") or {}
    restarts = sidecar_restarts = 0
    last_restart = last_sidecar_restart = 0
    total = len(spec.get("containers") or [])
    ready = 0
    reason = st.get("phase") or ""
    if st.get("reason"):
        reason = st["reason"]
    conds = st.get("conditions") or []
    for c in conds:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}

    def is_sidecar(name):
        return (init_specs.get(name) or {}).get("restartPolicy") == "Always"

    total += sum(1 for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always")
    initializing = False
    n_init = len(spec.get("initContainers") or [])
    for i, ic in enumerate(st.get("initContainerStatuses") or []):
        restarts += ic.get("restartCount") or 0
        fin = _finished(ic)
        last_restart = max(last_restart, fin)
        side = is_sidecar(ic.get("name"))
        if side:
            sidecar_restarts += ic.get("restartCount") or 0
            last_sidecar_restart = max(last_sidecar_restart, fin)
        state = ic.get("state") or {}
        term, wait = state.get("terminated"), state.get("waiting")
        if term is not None and (term.get("exitCode") or 0) == 0:
            continue
        if side and ic.get("started"):
            if ic.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if term.get("signal"):
                    reason = "Init:Signal:%d" % term["signal"]
                else:
                    reason = "Init:ExitCode:%d" % (term.get("exitCode") or 0)
            else:
                reason = "Init:" + term["reason"]
            initializing = True
        elif wait is not None and wait.get("reason") and wait.get("reason") != "PodInitializing":
            reason = "Init:" + wait["reason"]
            initializing = True
        else:
            reason = "Init:%d/%d" % (i, n_init)
            initializing = True
        break
    initialized_true = False
    for c in conds:
        if c.get("type") == "Initialized":
            initialized_true = c.get("status") == "True"
            break
    if not initializing or initialized_true:
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(st.get("containerStatuses") or []):
            restarts += cs.get("restartCount") or 0
            last_restart = max(last_restart, _finished(cs))
            state = cs.get("state") or {}
            wait, term = state.get("waiting"), state.get("terminated")
            if wait is not None and wait.get("reason"):
                reason = wait["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if term.get("signal"):
                    reason = "Signal:%d" % term["signal"]
                else:
                    reason = "ExitCode:%d" % (term.get("exitCode") or 0)
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            pod_ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conds)
            reason = "Running" if pod_ready else "NotReady"
    if md.get("deletionTimestamp") and st.get("reason") == "NodeLost":
        reason = "Unknown"
    elif md.get("deletionTimestamp") and st.get("phase") not in ("Failed", "Succeeded"):
        reason = "Terminating"
    return ready, total, reason, restarts, last_restart


def _pod_cells(obj, now):
    if obj.printed is None:
        obj.printed = pod_summary(obj.data)
    ready, total, reason, restarts, last = obj.printed
    rs = str(restarts)
    if restarts != 0 and last:
        rs = "%d (%s ago)" % (restarts, human_duration(now - last))
    spec, st = obj.data.get("spec") or {}, obj.data.get("status") or {}
    ips = st.get("podIPs") or []
    ip = (ips[0].get("ip") if ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    gate = "<none>"
    if gates:
        conds = {c.get("type"): c.get("status") for c in st.get("conditions") or []}
        gate = "%d/%d" % (sum(1 for g in gates if conds.get(g.get("conditionType")) == "True"), len(gates))
    return [obj.name, "%d/%d" % (ready, total), reason, rs, since(obj.md.get("creationTimestamp"), now),
            ip, spec.get("nodeName") or "<none>", st.get("nominatedNodeName") or "<none>", gate]


def _containers(tpl_spec):
    cs = tpl_spec.get("containers") or []
    return ",".join(c.get("name", "") for c in cs), ",".join(c.get("image", "") for c in cs)


def _deployment_cells(obj, now):
    d = obj.data
    spec, st = d.get("spec") or {}, d.get("status") or {}
    names, images = _containers((spec.get("template") or {}).get("spec") or {})
    return [obj.name, "%d/%d" % (st.get("readyReplicas") or 0, spec.get("replicas") or 0),
            st.get("updatedReplicas") or 0, st.get("availableReplicas") or 0,
            since(obj.md.get("creationTimestamp"), now), names, images,
            selector_string(spec.get("selector")) or "<none>"]


def _replicaset_cells(obj, now):
    d = obj.data
    spec, st = d.get("spec") or {}, d.get("status") or {}
    names, images = _containers((spec.get("template") or {}).get("spec") or {})
    return [obj.name, spec.get("replicas") or 0, st.get("replicas") or 0, st.get("readyReplicas") or 0,
            since(obj.md.get("creationTimestamp"), now), names, images,
            selector_string(spec.get("selector")) or "<none>"]


def _hpa_cells(obj, now):
    spec, st = obj.data.get("spec") or {}, obj.data.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    target = spec.get("targetCPUUtilizationPercentage")
    if target is None:
        metrics = "<none>"
    else:
        cur = st.get("currentCPUUtilizationPercentage")
        metrics = "cpu: %s/%d%%" % ("<unknown>" if cur is None else "%d%%" % cur, target)
    mn = spec.get("minReplicas")
    return [obj.name, "%s/%s" % (ref.get("kind", ""), ref.get("name", "")), metrics,
            "<unset>" if mn is None else str(mn), spec.get("maxReplicas") or 0, st.get("currentReplicas") or 0,
            since(obj.md.get("creationTimestamp"), now)]


def _event_cells(obj, now):
    e = obj.data
    first = since(e.get("firstTimestamp"), now) if e.get("firstTimestamp") else since(e.get("eventTime"), now)
    last = since(e.get("lastTimestamp"), now) if e.get("lastTimestamp") else first
    count = e.get("count") or 0
    series = e.get("series")
    if series:
        last = since(series.get("lastObservedTime"), now)
        count = series.get("count") or 0
    elif count == 0:
        count = 1
    inv = e.get("involvedObject") or {}
    target = "%s/%s" % (inv.get("kind", "").lower(), inv["name"]) if inv.get("name") else inv.get("kind", "").lower()
    src = e.get("source") or {}
    comp = src.get("component") or e.get("reportingComponent") or ""
    inst = src.get("host") or e.get("reportingInstance") or ""
    source = comp + (", " + inst if inst else "")
    return [last, e.get("type", ""), e.get("reason", ""), target, inv.get("fieldPath", ""), source,
            (e.get("message") or "").strip(), first, count, obj.name]


def _namespace_cells(obj, now):
    return [obj.name, (obj.data.get("status") or {}).get("phase", ""), since(obj.md.get("creationTimestamp"), now)]


CELLS = {"pods": _pod_cells, "deployments": _deployment_cells, "replicasets": _replicaset_cells,
         "horizontalpodautoscalers": _hpa_cells, "events": _event_cells, "namespaces": _namespace_cells}


def columns(storage):
    return COLUMNS[storage]


def cells(obj, now):
    return CELLS[obj.storage](obj, now)


def row_conditions(obj):
    if obj.storage == "pods":
        phase = (obj.data.get("status") or {}).get("phase")
        if phase == "Succeeded":
            return [{"type": "Completed", "status": "True", "reason": "Succeeded",
                     "message": "The pod has completed successfully."}]
        if phase == "Failed":
            return [{"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}]
    return None
