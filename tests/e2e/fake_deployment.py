"""Small fake servers on loopback for the verify-deployment failures a real stack cannot be made to show.

An authorization server that refuses registrations the way Auth0 does, a certificate about to expire,
an MCP endpoint that answers without a tool list: each test sets the answers it is about, on a
`FakeServer` (plain HTTP, or HTTPS with any certificate), and reads back what the script sent.

    resource, issuer = FakeServer(), FakeServer()
    auth0_like(resource, issuer, registration=(403, {"error": "access_denied"}))
    ... run the script against resource.url ...
    issuer.requests  # [("POST", "/oidc/register", b'{...}'), ...]
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], bytes]
# An answer that depends on the request: (target with its query, headers, body) -> Answer.
Responder = Callable[[str, Message, bytes], Answer]


def json_answer(status: int, document: object, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(document).encode()


class FakeServer:
    """Answers (method, path) from `routes` (404 otherwise), or from `bearer_routes` when the request
    carries an Authorization header, and records every request. A route may be a `Responder`, for an
    answer that depends on the query, the headers or the body."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[tuple[str, str], Answer | Responder] = {}
        self.bearer_routes: dict[tuple[str, str], Answer | Responder] = {}
        self.requests: list[tuple[str, str, bytes]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                fake.requests.append((self.command, path, body))
                routes = fake.bearer_routes if self.headers.get("Authorization") else fake.routes
                route = routes.get((self.command, path), (404, {}, b""))
                answer = route(self.path, self.headers, body) if callable(route) else route
                status, headers, content = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = answer

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"
        # A short poll interval: close() returns within it, which many short tests add up.
        serve = {"poll_interval": 0.05}
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs=serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def posted_json(self, path: str) -> list[Any]:
        return [json.loads(body) for method, seen, body in self.requests if method == "POST" and seen == path]


def auth0_like(
    resource: FakeServer,
    issuer: FakeServer,
    *,
    registration: Answer | None = None,
    mcp: Answer | None = None,
) -> None:
    """A deployment as the script should find it with Auth0: the resource's metadata names the issuer
    (with Auth0's trailing slash), the issuer's metadata advertises /oidc/register, a bare POST /mcp
    gets the 401 challenge. `registration` answers the registration, `mcp` every POST /mcp with a
    token."""
    metadata_url = resource.url + "/.well-known/oauth-protected-resource/mcp"
    resource.routes[("GET", "/")] = (404, {}, b"")
    resource.routes[("GET", "/.well-known/oauth-protected-resource/mcp")] = json_answer(
        200, {"resource": resource.url + "/mcp", "authorization_servers": [issuer.url + "/"]}
    )
    resource.routes[("POST", "/mcp")] = json_answer(
        401, {}, **{"WWW-Authenticate": f'Bearer resource_metadata="{metadata_url}"'}
    )
    if mcp is not None:
        resource.bearer_routes[("POST", "/mcp")] = mcp
    issuer.routes[("GET", "/.well-known/oauth-authorization-server")] = json_answer(
        200,
        {
            "issuer": issuer.url + "/",
            "authorization_endpoint": issuer.url + "/authorize",
            "token_endpoint": issuer.url + "/oauth/token",
            "registration_endpoint": issuer.url + "/oidc/register",
            "code_challenge_methods_supported": ["S256"],
        },
    )
    issuer.routes[("POST", "/oidc/register")] = registration or json_answer(
        201, {"client_id": "fake-client", "redirect_uris": []}
    )
