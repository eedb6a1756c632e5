"""The fake's loopback socket, and the bearer check Auth0 makes before any /api/v2 call.

A real HTTP server (stdlib ``ThreadingHTTPServer`` in a daemon thread), so the auth0-python SDK crosses a
real socket with its own URL building, paging and retries. Bodies are decoded as JSON when the
Content-Type says so, otherwise as a form; an /api/v2 request without the fake's token answers 401
before the fake sees it, as Auth0 does.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from tests.support.fake_auth0_management.credentials import TOKEN

if TYPE_CHECKING:
    from tests.support.fake_auth0_management.api import FakeManagementApi


class LoopbackServer:
    """Serves one fake on 127.0.0.1 (a free port) from start() until stop()."""

    def __init__(self, fake: FakeManagementApi) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-auth0-mgmt", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)


def _handler_for(fake: FakeManagementApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body: Any = None
            if raw:
                content_type = self.headers.get("Content-Type", "")
                body = json.loads(raw) if "json" in content_type else dict(parse_qsl(raw.decode()))
            headers: dict[str, str]
            if self.path.startswith("/api/v2") and self.headers.get("Authorization") != f"Bearer {TOKEN}":
                status, headers, answer = (
                    401,
                    {},
                    {"statusCode": 401, "error": "Unauthorized", "message": "Invalid token"},
                )
            else:
                status, headers, answer = fake.handle(self.command, self.path, body)
            payload = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if payload:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

    return Handler
