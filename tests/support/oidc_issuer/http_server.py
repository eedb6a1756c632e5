"""The issuer's loopback socket: binding, serving, routing requests to endpoints, counting and faults.

A stdlib ``ThreadingHTTPServer`` in a daemon thread. The port is bound at construction so the issuer's
URL is fixed before anything is configured with it, and so that a not-yet-started (or stopped) issuer
refuses connections like a dead host; start() after stop() binds the same port again (an issuer coming
back). Outages and stalls are injected here, in front of every endpoint, because that is where a real
issuer's failures show: a status code for everything, or a request nobody answers.

Endpoints (Auth0's paths, under the issuer's path): /.well-known/openid-configuration,
/.well-known/oauth-authorization-server (RFC 8414: the issuer path comes after it), /.well-known/jwks.json,
POST /oidc/register, GET /authorize, POST /oauth/token. ``hits`` counts requests per endpoint name.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from tests.support.oidc_issuer.issuer import OidcTestIssuer


def endpoint_name(issuer: OidcTestIssuer, method: str, path: str) -> str:
    """The `hits` key of a request: which endpoint it reached, or "other"."""
    relative = path[len(issuer.issuer_path) :] if path.startswith(issuer.issuer_path) else None
    if method == "GET" and path == "/.well-known/oauth-authorization-server" + issuer.issuer_path:
        return "oauth_authorization_server"
    table = {
        ("GET", "/.well-known/openid-configuration"): "openid_configuration",
        ("GET", "/.well-known/jwks.json"): "jwks",
        ("POST", "/oidc/register"): "register",
        ("GET", "/authorize"): "authorize",
        ("POST", "/oauth/token"): "token",
    }
    endpoint = table.get((method, relative or ""), "other")
    if endpoint == "openid_configuration" and not issuer.serve_openid_configuration:
        return "other"
    return endpoint


class LoopbackServer:
    """Serves one issuer on 127.0.0.1; restartable on the same port."""

    def __init__(self, issuer: OidcTestIssuer, port: int) -> None:
        self._issuer = issuer
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._outage_status: int | None = None
        self._stall: threading.Event | None = None
        self._server: ThreadingHTTPServer | None = self._bind(port)
        self.port = int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    def _bind(self, port: int) -> ThreadingHTTPServer:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self), bind_and_activate=False)
        server.daemon_threads = True
        try:
            server.server_bind()
        except OSError:
            server.server_close()
            raise
        return server

    def start(self) -> None:
        if self._server is None:
            self._server = self._bind(self.port)
        self._server.server_activate()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"oidc:{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None and self._server is not None:
            self._server.shutdown()
        if self._server is not None:
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @contextmanager
    def outage(self, status: int) -> Iterator[None]:
        self._outage_status = status
        try:
            yield
        finally:
            self._outage_status = None

    @contextmanager
    def stall(self) -> Iterator[None]:
        released = threading.Event()
        self._stall = released
        try:
            yield
        finally:
            self._stall = None
            released.set()


def _handler_for(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    issuer = server._issuer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(
            self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            endpoint = endpoint_name(issuer, method, parts.path)
            with server._lock:
                server.hits[endpoint] += 1
            stall = server._stall
            if stall is not None:
                stall.wait()
                with suppress(OSError):  # the client gave up waiting, as it should
                    self._send(503, {"error": "temporarily_unavailable"})
                return
            if server._outage_status is not None:
                self._send(server._outage_status, {"error": "temporarily_unavailable"})
                return
            if endpoint in ("openid_configuration", "oauth_authorization_server"):
                self._send(200, issuer.metadata())
            elif endpoint == "jwks":
                self._send(200, issuer.jwks())
            elif endpoint == "register":
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = None
                if not isinstance(body, dict):
                    self._send(
                        400, {"error": "invalid_client_metadata", "error_description": "body must be JSON"}
                    )
                    return
                self._send(*issuer.authorization.register(body))
            elif endpoint == "authorize":
                status, result = issuer.authorization.authorize(dict(parse_qsl(parts.query)))
                if status == 302:
                    self._send(302, None, {"Location": str(result)})
                else:
                    self._send(status, result if isinstance(result, dict) else {"error": str(result)})
            elif endpoint == "token":
                form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
                self._send(*issuer.authorization.token(form, self.headers.get("Authorization")))
            else:
                self._send(404, {"error": "not_found"})

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler
