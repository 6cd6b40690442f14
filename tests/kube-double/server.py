"""HTTPS server and request dispatch: TLS handshake per connection thread, bearer-token
authentication, RBAC for the admin and viewer users, fault injection, routing to the
resource, watch and control handlers, and Status error bodies.
"""

import gzip
import socket
import ssl
import sys
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import control
from rbac import allowed, forbidden
import kinds
import metrics
import resources
import watch
from store import ApiError, encode

PUBLIC_PATHS = ("/healthz", "/livez", "/readyz")
GZIP_THRESHOLD = 128 * 1024


def generic_not_found():
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


class Route:
    """A parsed request: discovery (kind None) or a resource request."""
    __slots__ = ("group", "version", "kind", "ns", "name", "sub", "verb", "watch", "discovery")

    def __init__(self):
        self.group = self.version = self.ns = self.name = self.sub = self.verb = None
        self.kind = None
        self.watch = False
        self.discovery = None


def parse_route(method, path, q):
    r = Route()
    parts = [p for p in path.split("/") if p]
    if path in PUBLIC_PATHS or path == "/version" or path.startswith("/openapi"):
        r.discovery = path
        return r
    if parts == ["api"] or parts == ["apis"]:
        r.discovery = "/" + parts[0]
        return r
    if len(parts) >= 2 and parts[0] == "api":
        if parts[1] != "v1":
            raise generic_not_found()
        r.group, r.version, rest = "", "v1", parts[2:]
    elif len(parts) >= 2 and parts[0] == "apis":
        if len(parts) == 2:
            r.discovery = "/apis/" + parts[1]
            return r
        r.group, r.version, rest = parts[1], parts[2], parts[3:]
    else:
        raise generic_not_found()
    if not rest:
        r.discovery = "groupversion"
        return r
    if rest[0] == "watch":
        r.watch = True
        rest = rest[1:]
        if not rest:
            raise generic_not_found()
    if rest[0] == "namespaces" and len(rest) >= 3 and not (r.group == "" and len(rest) == 3 and
                                                          rest[2] in ("status", "finalize")):
        r.ns = rest[1]
        rest = rest[2:]
    if len(rest) > 3:
        raise generic_not_found()
    resource = rest[0]
    r.name = rest[1] if len(rest) > 1 else None
    r.sub = rest[2] if len(rest) > 2 else None
    r.kind = kinds.RESOURCES.get((r.group, r.version, resource))
    if r.kind is None:
        raise generic_not_found()
    if r.kind.namespaced and r.name is not None and r.ns is None:
        raise generic_not_found()
    if not r.kind.namespaced and r.ns is not None:
        raise generic_not_found()
    if r.sub is not None and r.sub not in r.kind.subresources:
        raise generic_not_found()
    if method == "GET":
        if r.watch or q.get("watch") in ("true", "1"):
            r.verb = "watch"
            r.watch = True
        else:
            r.verb = "get" if r.name else "list"
    elif method == "POST":
        r.verb = "create"
    elif method == "PUT":
        r.verb = "update"
    elif method == "PATCH":
        r.verb = "patch"
    elif method == "DELETE":
        r.verb = "delete" if r.name else "deletecollection"
    else:
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                       {})
    if r.verb not in r.kind.verbs and not r.sub:
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                       {})
    return r


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, addr, app, ssl_ctx):
        self.app = app
        self.ssl_ctx = ssl_ctx
        super().__init__(addr, Handler)

    def finish_request(self, request, client_address):
        # the TLS handshake runs here, in the connection's own thread, so a stalled client blocks nobody
        try:
            request.settimeout(15)
            tls = self.ssl_ctx.wrap_socket(request, server_side=True)
            tls.settimeout(None)
        except (ssl.SSLError, OSError):
            try:
                request.close()
            except OSError:
                pass
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except (ConnectionError, ssl.SSLError, OSError):
            pass
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if self.app.verbose:
            traceback.print_exc()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kube-double"
    sys_version = ""

    # ------------------------------------------------------------------ plumbing
    def log_message(self, fmt, *args):
        if self.server.app.verbose:
            sys.stderr.write("kube-double: %s %s\n" % (self.address_string(), fmt % args))

    def send_response(self, code, message=None):
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())
        self.status_code = code

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            out = bytearray()
            while True:
                line = self.rfile.readline(1024)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                out += self.rfile.read(size)
                self.rfile.readline(8)
                if len(out) > 32 * 1024 * 1024:
                    raise ApiError(413, "RequestEntityTooLarge", "the request body is too large", {})
            return bytes(out)
        n = int(self.headers.get("Content-Length") or 0)
        if n > 32 * 1024 * 1024:
            raise ApiError(413, "RequestEntityTooLarge", "the request body is too large", {})
        return self.rfile.read(n) if n > 0 else b""

    def common_headers(self, ctype):
        self.send_header("Audit-Id", str(uuid.uuid4()))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Type", ctype)
        self.send_header("X-Kubernetes-Pf-Flowschema-Uid", self.server.app.pf_uid)
        self.send_header("X-Kubernetes-Pf-Prioritylevel-Uid", self.server.app.pf_uid)

    def send_body(self, code, body, ctype="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = encode(body)
        enc = None
        if len(body) > GZIP_THRESHOLD and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body, 1)
            enc = "gzip"
        self.send_response(code)
        self.common_headers(ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if enc:
            self.send_header("Content-Encoding", enc)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.resp_bytes = len(body)

    def send_status(self, err):
        self.send_body(err.code, err.status(), headers=err.headers)

    # ------------------------------------------------------------------ dispatch
    def dispatch(self, method):
        app = self.server.app
        t0 = time.time()
        self.status_code = None
        self.resp_bytes = 0
        u = urlsplit(self.path)
        path = u.path
        q = {k: v[-1] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
        if path == "/metrics" and method == "GET":
            # the simulated cAdvisor and kube-state-metrics: another component than the API server, so
            # no token, no faults, not in the request log
            metrics.serve(self)
            return
        user = None
        route = None
        body = b""
        try:
            body = self.read_body()
            user = self.authenticate(path)
            if path.startswith("/_double/") or path == "/_double":
                if user != "admin":
                    raise ApiError(403, "Forbidden", 'forbidden: User "%s" cannot use the kube-double control API'
                                   % user, {})
                control.handle(self, method, path, q, body)
                return
            route = parse_route(method, path, q)
            app.count(method, route)
            if route.kind is not None and not allowed(user, route.verb, route.group, route.kind.plural, route.sub):
                raise forbidden(user, route)
            if route.discovery is not None and user == "system:anonymous" and \
                    route.discovery not in PUBLIC_PATHS + ("/version",):
                raise ApiError(403, "Forbidden", 'forbidden: User "system:anonymous" cannot get path "%s"' % path,
                               {})
            if app.apply_fault(self, method, path, u.query, route, q, user):
                return
            if route.discovery is not None:
                self.discovery(route, path)
            elif route.verb == "watch":
                watch.serve(self, route, q, user)
            else:
                resources.handle(self, route, q, body, user)
        except ApiError as e:
            if self.status_code is None:
                self.send_status(e)
        except (ConnectionError, ssl.SSLError, socket.timeout):
            self.close_connection = True
        except Exception as e:  # a bug in the double: answer like the apiserver would, and say so on stderr
            traceback.print_exc()
            if self.status_code is None:
                self.send_status(ApiError(500, "InternalError", "Internal error occurred: %s" % e,
                                          {"causes": [{"message": str(e)}]}))
        finally:
            app.log_request(user, method, self.path, self.headers.get("Content-Type"), body,
                            self.status_code, time.time() - t0, self.resp_bytes)

    def authenticate(self, path):
        app = self.server.app
        auth = self.headers.get("Authorization") or ""
        if auth.lower().startswith("bearer "):
            user = app.tokens.get(auth[7:].strip())
            if user:
                return user
            raise ApiError(401, "Unauthorized", "Unauthorized")
        if path in PUBLIC_PATHS:
            return "system:anonymous"
        if app.anonymous:
            return "system:anonymous"
        raise ApiError(401, "Unauthorized", "Unauthorized")

    # ------------------------------------------------------------------ discovery
    def discovery(self, r, path):
        d = r.discovery
        if d in PUBLIC_PATHS:
            self.send_body(200, b"ok", "text/plain; charset=utf-8")
        elif d == "/version":
            self.send_body(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.4-kube-double",
                                 "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
                                 "buildDate": "2025-04-22T00:00:00Z", "goVersion": "go1.23.6", "compiler": "gc",
                                 "platform": "linux/amd64"})
        elif d == "/api":
            port = self.server.server_address[1]
            self.send_body(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:%d" % port}]})
        elif d == "/apis":
            self.send_body(200, kinds.api_group_list())
        elif d.startswith("/apis/"):
            g = kinds.api_group(d[len("/apis/"):])
            if g is None:
                raise generic_not_found()
            self.send_body(200, g)
        elif d == "groupversion":
            rl = kinds.resource_list(r.group, r.version)
            if rl is None:
                raise generic_not_found()
            self.send_body(200, rl)
        else:
            raise generic_not_found()


def make_ssl_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


__all__ = ["Server", "Handler", "make_ssl_context", "parse_route"]
