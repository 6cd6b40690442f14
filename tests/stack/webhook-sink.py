#!/usr/bin/python3
"""webhook-sink.py: the receiver end of the observability test stack's Alertmanager.

Listens on 127.0.0.1, takes every POST (Alertmanager's webhook notifications, one URL path
per receiver: /critical-alerts, /warning-alerts, ...) and appends its JSON body, as one
line, to the --out file; a body that is not JSON is refused with 400 and not recorded.
GET answers 200 with the number of bodies recorded (a readiness probe).

  webhook-sink.py --out FILE [--port N] [--port-file FILE]

--port 0 (the default) takes a free port; --port-file receives the port once the socket
listens, so the caller needs no guess. Python standard library only.
"""

import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, out):
        super().__init__(addr, Handler)
        self.out = out
        self.lock = threading.Lock()
        self.count = 0

    def record(self, doc):
        line = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
        with self.lock:
            with open(self.out, "a", encoding="utf-8") as f:
                f.write(line)
            self.count += 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "webhook-sink"

    def log_message(self, fmt, *args):
        sys.stderr.write("webhook-sink: %s\n" % (fmt % args))

    def reply(self, code, text):
        body = (text + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.reply(200, "ok %d" % self.server.count)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            self.reply(400, "not JSON: %s" % e)
            return
        self.server.record(doc)
        self.reply(200, "recorded")


def main(argv):
    p = argparse.ArgumentParser(prog="webhook-sink.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="the JSON-lines file the bodies are appended to")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    p.add_argument("--port-file", help="write the port here once listening")
    a = p.parse_args(argv)
    srv = Sink(("127.0.0.1", a.port), os.path.abspath(a.out))
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    sys.stderr.write("webhook-sink: listening on http://127.0.0.1:%d, recording into %s\n" % (port, a.out))
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
