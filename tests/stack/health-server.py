#!/usr/bin/python3
"""health-server.py: the /health endpoints of the operations manual's six services.

The manual's health-check script (section 1.1) probes the frontend at "/" and the
knowledge, content, support, analytics and auth services at /health, each on its own
port (8001-8005). This server does the same on 127.0.0.1: one listening port per
service (the frontend answers "/" and /health, the others /health), plus a control
port through which tests switch a service's state at runtime:

  up       200, a JSON body {"status": "healthy", "service": ..., "checks": ...}
           (the frontend's "/" answers a small HTML page)
  down     503 (or ?code=N), a JSON body {"status": "unhealthy", "error": ...}
  slow     waits ?delay=S seconds (default 3), then answers as "up"
  hang     reads the request and never answers (until the client goes away,
           the state changes, or an hour passed)
  closed   the port stops listening: connections are refused

Control port (JSON answers):
  GET  /state                    every service: state, delay, code, hits, port, url
  GET  /state/NAME               one service
  POST /state/NAME?state=down    set one service (also &delay=S, &code=N,
                                 &message=TEXT, or the same keys in a JSON body)
  POST /state?state=up           set every service

  health-server.py --ports-file FILE [--service NAME[=PATH]]... [--verbose]

The ports are the kernel's choice and are written to --ports-file as
{"control": P, "services": {"NAME": P, ...}} once every socket listens; if that file
already exists the same ports are taken again (a restart keeps the URLs). Python
standard library only.
"""

import argparse
import json
import os
import select
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# The manual's services, named as the API double's deployments, and the path
# the manual's script checks.
DEFAULT_SERVICES = [
    ("frontend", "/"),
    ("knowledge-service", "/health"),
    ("content-service", "/health"),
    ("support-service", "/health"),
    ("analytics-service", "/health"),
    ("auth-service", "/health"),
]
STATES = ("up", "down", "slow", "hang", "closed")
HANG_LIMIT = 3600.0
STARTED = time.time()


def log(msg):
    sys.stderr.write("health-server: %s\n" % msg)
    sys.stderr.flush()


class Service:
    """One service: its state, its listener, how often it was asked."""

    def __init__(self, name, path, port):
        self.name = name
        self.path = path
        self.port = port
        self.state = "up"
        self.delay = 3.0
        self.code = 503
        self.message = ""
        self.hits = 0
        self.generation = 0  # bumped at every change: hanging requests look at it
        self.server = None
        self.lock = threading.Lock()

    def url(self):
        return "http://127.0.0.1:%d%s" % (self.port, self.path)

    def describe(self):
        return {"state": self.state, "delay": self.delay, "code": self.code,
                "message": self.message, "hits": self.hits, "port": self.port,
                "url": self.url()}

    def listen(self):
        """Open the listener (on the known port, or a free one) and serve it."""
        srv = ServiceHTTPServer(("127.0.0.1", self.port), self)
        self.port = srv.server_address[1]
        self.server = srv
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2},
                         daemon=True).start()

    def close(self):
        srv, self.server = self.server, None
        if srv is not None:
            srv.shutdown()
            srv.server_close()

    def set(self, state, delay=None, code=None, message=None):
        with self.lock:
            if state == "closed" and self.state != "closed":
                self.close()
            elif state != "closed" and self.state == "closed":
                self.listen()
            self.state = state
            if delay is not None:
                self.delay = delay
            if code is not None:
                self.code = code
            if message is not None:
                self.message = message
            self.generation += 1
        log("%s is now %s" % (self.name, state))


class ServiceHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, service):
        super().__init__(addr, ServiceHandler)
        self.service = service


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kcp-health"
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            log(fmt % args)

    def send(self, code, body, ctype="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, indent=None) + "\n"
        raw = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(raw)


class ServiceHandler(Handler):
    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        svc = self.server.service
        path = urlsplit(self.path).path
        if path not in (svc.path, "/health"):
            self.send(404, {"status": "not found", "path": path})
            return
        with svc.lock:
            svc.hits += 1
            state, delay, code, message, gen = svc.state, svc.delay, svc.code, svc.message, svc.generation
        if state == "hang":
            self.hang(svc, gen)
            return
        if state == "slow":
            time.sleep(delay)
        if state == "down":
            self.send(code, {"status": "unhealthy", "service": svc.name,
                             "error": message or "dependency check failed: database connection refused",
                             "checks": {"database": "failed", "cache": "ok"}})
            return
        if path == "/" and svc.path == "/":
            self.send(200, "<!doctype html>\n<title>Soundcore KCP</title>\n<p>Soundcore knowledge "
                           "center</p>\n", "text/html")
            return
        self.send(200, {"status": "healthy", "service": svc.name, "version": "1.0.0",
                        "uptime_s": int(time.time() - STARTED),
                        "checks": {"database": "ok", "cache": "ok"}})

    def hang(self, svc, gen):
        """Answer nothing until the client leaves, the state changes, or HANG_LIMIT."""
        end = time.time() + HANG_LIMIT
        sock = self.connection
        while time.time() < end and svc.generation == gen:
            r, _, _ = select.select([sock], [], [], 0.2)
            if r:
                try:
                    if not sock.recv(1, 0x2):  # MSG_PEEK: b"" once the client closed
                        break
                except OSError:
                    break
        self.close_connection = True


class ControlHandler(Handler):
    def do_GET(self):
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        services = self.server.services
        if parts == ["state"] or parts == []:
            self.send(200, {n: s.describe() for n, s in services.items()})
        elif len(parts) == 2 and parts[0] == "state" and parts[1] in services:
            self.send(200, services[parts[1]].describe())
        else:
            self.send(404, {"error": "no such path; GET /state or /state/NAME"})

    def do_POST(self):
        u = urlsplit(self.path)
        parts = [p for p in u.path.split("/") if p]
        services = self.server.services
        args = {k: v[-1] for k, v in parse_qs(u.query).items()}
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            try:
                body = json.loads(self.rfile.read(n).decode("utf-8"))
                if not isinstance(body, dict):
                    raise ValueError("not an object")
                args.update({k: str(v) for k, v in body.items()})
            except (UnicodeDecodeError, ValueError) as e:
                self.send(400, {"error": "body is not a JSON object: %s" % e})
                return
        if parts == ["state"]:
            targets = list(services.values())
        elif len(parts) == 2 and parts[0] == "state" and parts[1] in services:
            targets = [services[parts[1]]]
        else:
            self.send(404, {"error": "no such service; known: %s" % ", ".join(services)})
            return
        state = args.get("state", "")
        if state not in STATES:
            self.send(400, {"error": "state must be one of %s" % ", ".join(STATES)})
            return
        try:
            delay = float(args["delay"]) if "delay" in args else None
            code = int(args["code"]) if "code" in args else None
        except ValueError:
            self.send(400, {"error": "delay must be a number of seconds, code an HTTP status"})
            return
        if code is not None and not 100 <= code <= 599:
            self.send(400, {"error": "code must be an HTTP status (100-599)"})
            return
        try:
            for s in targets:
                s.set(state, delay, code, args.get("message"))
        except OSError as e:
            self.send(500, {"error": "cannot listen again: %s" % e})
            return
        self.send(200, {s.name: s.describe() for s in targets})

    do_PUT = do_POST


class ControlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, services):
        super().__init__(addr, ControlHandler)
        self.services = services


def main(argv):
    p = argparse.ArgumentParser(prog="health-server.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--ports-file", required=True,
                   help="JSON file with the ports (written; reused when it exists)")
    p.add_argument("--service", action="append", metavar="NAME[=PATH]",
                   help="a service instead of the manual's six (PATH default /health)")
    p.add_argument("--verbose", action="store_true", help="log every request")
    a = p.parse_args(argv)
    Handler.verbose = a.verbose

    specs = DEFAULT_SERVICES
    if a.service:
        specs = [(s.split("=", 1)[0], s.split("=", 1)[1] if "=" in s else "/health") for s in a.service]
    known = {}
    if os.path.exists(a.ports_file):
        with open(a.ports_file) as f:
            known = json.load(f)
    services = {}
    try:
        for name, path in specs:
            s = Service(name, path, int(known.get("services", {}).get(name, 0)))
            s.listen()
            services[name] = s
        ctl = ControlServer(("127.0.0.1", int(known.get("control", 0))), services)
    except OSError as e:
        # db.sh looks for "Address already in use" here.
        log("cannot listen: %s" % e)
        return 1
    ports = {"control": ctl.server_address[1], "services": {n: s.port for n, s in services.items()}}
    tmp = a.ports_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(ports, f)
        f.write("\n")
    os.replace(tmp, a.ports_file)
    log("control on http://127.0.0.1:%d/state; %s" % (
        ports["control"], " ".join("%s=%s" % (n, s.url()) for n, s in services.items())))
    try:
        ctl.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
