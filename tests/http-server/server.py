#!/usr/bin/python3
"""Loopback HTTP(S) server for tests/test-net-http*.c (stdlib only).

Binds 127.0.0.1 port 0 and prints "PORT TLSPORT" (TLSPORT 0 without --tls)
on one line of stdout, then serves until stdin reaches EOF. Endpoints:
  /ok                 200 JSON
  /big?n=N&chunked=1  N body bytes ("0123456789" repeated)
  /slow?ms=M          waits M ms before the headers
  /stall?s=S          headers + 10 of 1000 bytes, then stalls S seconds
  /stream?n=N&delay=D chunked lines L<i>:<pattern>, split at odd places,
                      D ms between chunks, then "end" with no newline
  /status/CODE        JSON Status body with that code
  /retry              429 with Retry-After: 3
  /echo               JSON: method, headers (auth presence only), body
  /clientcert         JSON: CN of the TLS client certificate, or "none"
"""

import base64
import http.server
import json
import os
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

TOKEN = "test-token-123"  # the bearer the tests send
USER = "alice"
PASSWORD = "s3cret-pw"
CHUNKS = (1, 7, 50, 3, 300, 13, 2, 120)


def stream_line(i):
    """Line i of /stream; tests/test-net-http-stream.c builds the same."""
    return "L%d:%s" % (i, chr(ord("a") + i % 26) * (i * 37 % 200))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def reply(self, code, body, ctype="application/json", extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def do_GET(self):
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n > 0 else b""
        path = u.path

        if path == "/ok":
            self.reply(200, '{"status":"success","data":{"ok":true}}')
        elif path == "/big":
            size = int(q.get("n", "1000"))
            data = (b"0123456789" * (size // 10 + 1))[:size]
            if q.get("chunked"):
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for i in range(0, len(data), 4096):
                    self.chunk(data[i:i + 4096])
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.reply(200, data, "text/plain")
        elif path == "/slow":
            time.sleep(int(q.get("ms", "1000")) / 1000.0)
            self.reply(200, "slow", "text/plain")
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 10)
            time.sleep(float(q.get("s", "30")))
            self.close_connection = True
        elif path == "/stream":
            self.stream(int(q.get("n", "10")), int(q.get("delay", "1")))
        elif path.startswith("/status/"):
            code = int(path[len("/status/"):])
            self.reply(code, json.dumps({"kind": "Status", "code": code,
                "message": "status %d" % code}, separators=(",", ":")))
        elif path == "/retry":
            self.reply(429, '{"error":"slow down"}',
                extra=(("Retry-After", "3"),))
        elif path == "/echo":
            self.echo(body)
        elif path == "/clientcert":
            cn = "none"
            if isinstance(self.request, ssl.SSLSocket):
                cert = self.request.getpeercert()
                for rdn in (cert or {}).get("subject", ()):
                    for k, v in rdn:
                        if k == "commonName":
                            cn = v
            self.reply(200, json.dumps({"cn": cn}, separators=(",", ":")))
        else:
            self.reply(404, '{"error":"not found"}')

    def stream(self, n, delay):
        data = "".join(stream_line(i) + "\n" for i in range(n)) + "end"
        data = data.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        i = k = 0
        while i < len(data):
            step = CHUNKS[k % len(CHUNKS)]
            self.chunk(data[i:i + step])
            i += step
            k += 1
            if delay:
                time.sleep(delay / 1000.0)
        self.wfile.write(b"0\r\n\r\n")

    def echo(self, body):
        auth = self.headers.get("Authorization")
        scheme, ok = "none", False
        if auth is not None:
            scheme, _, cred = auth.partition(" ")
            if scheme == "Bearer":
                ok = cred == TOKEN
            elif scheme == "Basic":
                ok = base64.b64decode(cred).decode() == USER + ":" + PASSWORD
        out = {
            "method": self.command,
            "authorization": "yes" if auth is not None else "no",
            "scheme": scheme,
            "auth_ok": ok,
            "accept": self.headers.get("Accept"),
            "content_type": self.headers.get("Content-Type"),
            "body": body.decode(errors="replace"),
        }
        self.reply(200, json.dumps(out, sort_keys=True, separators=(",", ":")))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass


class TLSServer(Server):
    context = None

    def get_request(self):
        sock, addr = self.socket.accept()
        return self.context.wrap_socket(sock, server_side=True,
            do_handshake_on_connect=False), addr


def main():
    servers = [Server(("127.0.0.1", 0), Handler)]
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
        ctx.load_verify_locations(sys.argv[2])
        ctx.verify_mode = ssl.CERT_OPTIONAL
        tls = TLSServer(("127.0.0.1", 0), Handler)
        tls.context = ctx
        servers.append(tls)
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    ports = [s.server_address[1] for s in servers] + [0]
    print("%d %d" % (ports[0], ports[1]), flush=True)
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
