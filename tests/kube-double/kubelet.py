"""What a kubelet and scheduler would write into pods: node binding, container statuses,
conditions, IPs. Pure functions building status dicts; the controller decides when.
"""

import hashlib

from store import rfc3339

NODES = [("node-1", "10.0.0.11"), ("node-2", "10.0.0.12"), ("node-3", "10.0.0.13")]


def sha(s):
    return hashlib.sha256(s.encode()).hexdigest()


def image_id(image):
    repo = image.split("@", 1)[0]
    last = repo.rsplit("/", 1)
    if ":" in last[-1]:
        repo = repo.rsplit(":", 1)[0]
    if "/" not in repo:
        repo = "docker.io/library/" + repo
    elif repo.count("/") == 1 and "." not in repo.split("/")[0]:
        repo = "docker.io/" + repo
    return "%s@sha256:%s" % (repo, sha(image))


def container_id(ns, pod, cname, n=0):
    return "containerd://" + sha("%s/%s/%s/%d" % (ns, pod, cname, n))


def pod_ip(ns, name):
    h = int(sha(ns + "/" + name)[:8], 16)
    return "10.244.%d.%d" % (h % 8 + 1, h // 8 % 250 + 2)


def node_for(name):
    return NODES[int(sha(name)[:8], 16) % len(NODES)]


def _cond(ctype, status, ts, reason=None, message=None):
    c = {"type": ctype, "status": status, "lastProbeTime": None, "lastTransitionTime": ts}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def _not_ready_conds(names, ts, scheduled_ts=None, started=False):
    msg = "containers with unready status: [%s]" % " ".join(names)
    return [
        _cond("PodReadyToStartContainers", "True" if started else "False", ts),
        _cond("Initialized", "True", ts),
        _cond("Ready", "False", ts, "ContainersNotReady", msg),
        _cond("ContainersReady", "False", ts, "ContainersNotReady", msg),
        _cond("PodScheduled", "True", scheduled_ts or ts),
    ]


def _base(pod, now, phase):
    spec = pod["spec"]
    node_ip = dict(NODES).get(spec.get("nodeName"), "10.0.0.11")
    st = {"phase": phase, "hostIP": node_ip, "hostIPs": [{"ip": node_ip}], "startTime": rfc3339(now)}
    st["qosClass"] = (pod.get("status") or {}).get("qosClass", "BestEffort")
    return st


def status_creating(pod, now):
    """Scheduled, containers being created (STATUS ContainerCreating)."""
    ts = rfc3339(now)
    names = [c["name"] for c in pod["spec"].get("containers") or []]
    st = _base(pod, now, "Pending")
    st["conditions"] = _not_ready_conds(names, ts)
    st["containerStatuses"] = [
        {"name": c["name"], "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {},
         "ready": False, "restartCount": 0, "image": c.get("image", ""), "imageID": "", "started": False}
        for c in pod["spec"].get("containers") or []]
    return st


def status_running(pod, now, ready=True, restarts=0, started_at=None, last_finished=None, last_reason="Error",
                   last_exit=1):
    """Running; ready or not; with restartCount and the last termination when restarts > 0."""
    md = pod["metadata"]
    ts = rfc3339(now)
    st = _base(pod, now, "Running")
    old = pod.get("status") or {}
    if old.get("startTime"):
        st["startTime"] = old["startTime"]
    ip = pod_ip(md.get("namespace", ""), md["name"])
    st["podIP"] = ip
    st["podIPs"] = [{"ip": ip}]
    names = [c["name"] for c in pod["spec"].get("containers") or []]
    if ready:
        st["conditions"] = [_cond("PodReadyToStartContainers", "True", ts), _cond("Initialized", "True", ts),
                            _cond("Ready", "True", ts), _cond("ContainersReady", "True", ts),
                            _cond("PodScheduled", "True", ts)]
    else:
        st["conditions"] = _not_ready_conds(names, ts, started=True)
    css = []
    for c in pod["spec"].get("containers") or []:
        cs = {"name": c["name"], "state": {"running": {"startedAt": started_at or ts}}, "lastState": {},
              "ready": ready, "restartCount": restarts, "image": c.get("image", ""),
              "imageID": image_id(c.get("image", "")),
              "containerID": container_id(md.get("namespace", ""), md["name"], c["name"], restarts),
              "started": True}
        if restarts and last_finished:
            cs["lastState"] = {"terminated": {
                "exitCode": last_exit, "reason": last_reason, "startedAt": rfc3339(last_finished - 60),
                "finishedAt": rfc3339(last_finished),
                "containerID": container_id(md.get("namespace", ""), md["name"], c["name"], restarts - 1)}}
        css.append(cs)
    st["containerStatuses"] = css
    return st


def status_crashloop(pod, now, restarts, last_finished, started_ago=900):
    md = pod["metadata"]
    st = status_running(pod, now - started_ago, ready=False, restarts=restarts, last_finished=last_finished)
    cname = pod["spec"]["containers"][0]["name"]
    for cs in st["containerStatuses"]:
        cs["started"] = False
        cs["state"] = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed "
                       "container=%s pod=%s_%s(%s)" % (cname, md["name"], md.get("namespace", ""), md.get("uid", ""))}}
    return st


def status_oomkilled(pod, now, restarts, finished_ago=15):
    md = pod["metadata"]
    st = status_running(pod, now - 1800, ready=False, restarts=restarts, last_finished=now - 330,
                        last_reason="OOMKilled", last_exit=137)
    for cs in st["containerStatuses"]:
        cs["started"] = False
        cs["state"] = {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": rfc3339(now - 200),
                                      "finishedAt": rfc3339(now - finished_ago),
                                      "containerID": container_id(md.get("namespace", ""), md["name"],
                                                                  cs["name"], restarts)}}
    return st


def status_image_pull_backoff(pod, now):
    st = status_creating(pod, now - 420)
    ip = pod_ip(pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
    st["podIP"] = ip
    st["podIPs"] = [{"ip": ip}]
    for c, cs in zip(pod["spec"].get("containers") or [], st["containerStatuses"]):
        cs["state"] = {"waiting": {"reason": "ImagePullBackOff",
                                   "message": 'Back-off pulling image "%s"' % c.get("image", "")}}
    return st


def status_unschedulable(pod, now, message):
    return {"phase": "Pending", "qosClass": (pod.get("status") or {}).get("qosClass", "BestEffort"),
            "conditions": [_cond("PodScheduled", "False", rfc3339(now), "Unschedulable", message)]}


def is_ready(pod):
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def is_creating(pod):
    """A pod still waiting for its containers to be created: the simulated kubelet will start it."""
    css = (pod.get("status") or {}).get("containerStatuses") or []
    return bool(css) and all(((cs.get("state") or {}).get("waiting") or {}).get("reason") == "ContainerCreating"
                             for cs in css)
