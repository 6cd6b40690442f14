#!/usr/bin/python3
"""kube-double: a Kubernetes API server test double for warroom's tests and demo.

Python 3 standard library only. HTTPS with a self-signed certificate (made with the
openssl CLI), bearer tokens for the users admin and viewer, discovery, pods,
deployments (+scale, +status), replicasets, HPAs, events (core and events.k8s.io),
namespaces and SelfSubjectAccessReviews, with LIST/WATCH/Table/PATCH semantics close
enough to a real kube-apiserver that kubectl 1.32 drives it, a deployment controller,
fault injection and a control API under /_double/. See README.md beside this file.

  kube_double.py --state-dir DIR [--port N] [--scenario kcp|empty|FILE.json]
                 [--scale-pods N --scale-deploys M] [--ready-delay S] [--live] ...
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import scenario  # noqa: E402
from app import App  # noqa: E402
from controller import Controller  # noqa: E402
from live import Live  # noqa: E402
from server import Server, make_ssl_context  # noqa: E402
from store import Store  # noqa: E402
import kubelet  # noqa: E402


def die(msg):
    sys.stderr.write("kube-double: %s\n" % msg)
    sys.exit(1)


def ensure_cert(d):
    crt, key = os.path.join(d, "double.crt"), os.path.join(d, "double.key")
    if os.path.exists(crt) and os.path.exists(key):
        return crt, key
    openssl = shutil.which("openssl") or ("/usr/bin/openssl" if os.path.exists("/usr/bin/openssl") else None)
    if not openssl:
        die("the openssl command is needed to make the serving certificate (apt-get install openssl)")
    cmd = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
           "-subj", "/CN=kube-double", "-keyout", key, "-out", crt,
           "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
           "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
           "-addext", "extendedKeyUsage=serverAuth"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        die("openssl failed: %s" % r.stderr.decode(errors="replace").strip())
    os.chmod(key, 0o600)
    return crt, key


def ensure_tokens(d):
    """DIR/tokens.csv in kube-apiserver's --token-auth-file format: token,user,uid,"groups"."""
    path = os.path.join(d, "tokens.csv")
    tokens = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.strip().split(",")
                if len(parts) >= 2 and parts[0]:
                    tokens[parts[0]] = parts[1]
        if "admin" in tokens.values() and "viewer" in tokens.values():
            return tokens
    tokens = {secrets.token_hex(16): "admin", secrets.token_hex(16): "viewer"}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        for tok, user in tokens.items():
            f.write('%s,%s,%s,"%s"\n' % (tok, user, user, "system:masters" if user == "admin" else ""))
    return tokens


def write_private(path, text):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def write_kubeconfig(d, port, crt, tokens):
    by_user = {u: t for t, u in tokens.items()}
    server = "https://127.0.0.1:%d" % port
    text = """apiVersion: v1
kind: Config
clusters:
- name: double
  cluster:
    server: %(server)s
    certificate-authority: %(ca)s
users:
- name: admin
  user:
    token: %(admin)s
- name: viewer
  user:
    token: %(viewer)s
contexts:
- name: admin
  context:
    cluster: double
    user: admin
    namespace: %(ns)s
- name: viewer
  context:
    cluster: double
    user: viewer
    namespace: %(ns)s
current-context: admin
preferences: {}
""" % {"server": server, "ca": crt, "admin": by_user["admin"], "viewer": by_user["viewer"], "ns": scenario.NS}
    path = os.path.join(d, "kubeconfig")
    write_private(path, text)
    write_private(os.path.join(d, "env"),
                  "KUBECONFIG=%s\nKUBE_DOUBLE_SERVER=%s\nKUBE_DOUBLE_CA=%s\nKUBE_DOUBLE_ADMIN_TOKEN=%s\n"
                  "KUBE_DOUBLE_VIEWER_TOKEN=%s\n" % (path, server, crt, by_user["admin"], by_user["viewer"]))
    return path


def parse_args(argv):
    p = argparse.ArgumentParser(prog="kube_double.py", description="A Kubernetes API server test double.")
    p.add_argument("--state-dir", required=True, help="directory for the certificate, tokens, kubeconfig, state")
    p.add_argument("--port", type=int, default=None,
                   help="port on 127.0.0.1 (0 = a free one; default: DIR/port from a previous run, else 0)")
    p.add_argument("--scenario", default="kcp", help="kcp (default), empty, or a JSON file of objects")
    p.add_argument("--scale-pods", type=int, default=0, help="add N Running pods in namespaces scale-00..09")
    p.add_argument("--scale-deploys", type=int, default=0, help="spread --scale-pods over M deployments")
    p.add_argument("--ready-delay", type=float, default=1.0,
                   help="seconds before a new pod is Running/Ready, and a deleted one is gone (0 = at once)")
    p.add_argument("--live", action="store_true", help="crash-looping pods keep restarting, a pod flaps Ready")
    p.add_argument("--bookmark-interval", type=float, default=10.0, help="seconds between watch BOOKMARKs")
    p.add_argument("--continue-ttl", type=float, default=300.0, help="seconds a list continue token stays valid")
    p.add_argument("--history", type=int, default=10000, help="watch events kept for resuming")
    p.add_argument("--fresh", action="store_true", help="ignore DIR/state.json and build the scenario again")
    p.add_argument("--anonymous", action="store_true",
                   help="requests without a token act as system:anonymous (403) instead of getting 401")
    p.add_argument("--seed", type=int, default=None, help="random seed for pod names")
    p.add_argument("--verbose", action="store_true", help="log every request on stderr")
    a = p.parse_args(argv)
    if (a.scale_pods > 0) != (a.scale_deploys > 0):
        p.error("--scale-pods and --scale-deploys go together")
    if a.ready_delay < 0:
        p.error("--ready-delay must be >= 0")
    return a


def main(argv):
    a = parse_args(argv)
    d = os.path.abspath(a.state_dir)
    os.makedirs(d, exist_ok=True)
    crt, key = ensure_cert(d)
    tokens = ensure_tokens(d)
    store = Store(history_max=a.history)
    ctrl = Controller(store, ready_delay=a.ready_delay, seed=a.seed)
    state_path = os.path.join(d, "state.json")
    t0 = time.time()
    if os.path.exists(state_path) and not a.fresh:
        try:
            store.load(state_path)
        except (OSError, ValueError, KeyError) as e:
            die("cannot load %s: %s (use --fresh to rebuild)" % (state_path, e))
        with store.lock:
            now = store.now()
            for p in store.list("pods"):
                if p.md.get("deletionTimestamp"):
                    ctrl.remove_at[p.key] = now + ctrl.terminate_delay
                elif kubelet.is_creating(p.data):
                    ctrl.start_at[p.key] = now + a.ready_delay
            ctrl.dirty_d.update(o.key for o in store.list("deployments"))
            ctrl.dirty_rs.update(o.key for o in store.list("replicasets"))
            for e in store.list("events"):
                ctrl.event_keys.append(e.key)
        what = "state from %s" % state_path
    else:
        if a.scenario == "kcp":
            scenario.build_kcp(store, ctrl)
        elif a.scenario == "empty":
            scenario.build_empty(store, ctrl)
        elif os.path.exists(a.scenario):
            scenario.build_file(store, ctrl, a.scenario)
        else:
            die("unknown scenario %r (kcp, empty, or a JSON file)" % a.scenario)
        if a.scale_pods:
            scenario.build_scale(store, ctrl, a.scale_pods, a.scale_deploys)
        what = "scenario %s%s" % (a.scenario, " + %d pods / %d deployments" % (a.scale_pods, a.scale_deploys)
                                  if a.scale_pods else "")
    built = time.time() - t0

    def warm():
        # encode every object once, so the first big LIST is as fast as the next ones
        for st in list(store.objs):
            for o in store.list(st):
                o.json()
    threading.Thread(target=warm, name="warm", daemon=True).start()

    port = a.port
    port_file = os.path.join(d, "port")
    if port is None:
        try:
            with open(port_file) as f:
                port = int(f.read().strip() or 0)
        except (OSError, ValueError):
            port = 0
    app = App(store, ctrl, tokens, verbose=a.verbose, anonymous=a.anonymous, continue_ttl=a.continue_ttl,
              bookmark_interval=a.bookmark_interval)
    try:
        srv = Server(("127.0.0.1", port), app, make_ssl_context(crt, key))
    except OSError as e:
        die("cannot listen on 127.0.0.1:%d: %s" % (port, e))
    port = srv.server_address[1]

    save_lock = threading.Lock()

    def save():
        with save_lock:
            store.save(state_path)
        return state_path

    app.save_fn = save
    stop = threading.Event()

    def saver():
        # every 5 s when something changed; less often when a save is slow (the scale scenario)
        pause = 5.0
        while not stop.wait(pause):
            if store.dirty:
                t = time.time()
                try:
                    save()
                except OSError as e:
                    sys.stderr.write("kube-double: saving %s: %s\n" % (state_path, e))
                pause = max(5.0, 20 * (time.time() - t))

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    with open(port_file, "w") as f:
        f.write("%d\n" % port)
    with open(os.path.join(d, "pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    kc = write_kubeconfig(d, port, crt, tokens)
    ctrl.start()
    threading.Thread(target=saver, name="saver", daemon=True).start()
    if a.live:
        app.live = Live(app)
        app.live.start()
    serve = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, name="serve", daemon=True)
    serve.start()
    sys.stderr.write("kube-double: %s built in %.1fs; listening on https://127.0.0.1:%d\n" % (what, built, port))
    sys.stdout.write(kc + "\n")
    sys.stdout.flush()

    while not stop.wait(1.0):
        pass
    sys.stderr.write("kube-double: shutting down\n")
    app.stopping.set()
    ctrl.stopping.set()
    with store.cond:
        store.cond.notify_all()
    with app.fault_cond:
        app.fault_cond.notify_all()
    srv.shutdown()
    srv.server_close()
    deadline = time.time() + 3
    while app.list_watches() and time.time() < deadline:
        time.sleep(0.05)
    try:
        save()
    except OSError as e:
        sys.stderr.write("kube-double: saving %s: %s\n" % (state_path, e))
    try:
        os.unlink(os.path.join(d, "pid"))
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
