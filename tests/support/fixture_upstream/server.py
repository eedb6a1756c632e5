"""``FixtureUpstream``: the loopback server tests start, what it routes where, and its request logs.

One port serves both stand-ins, as the client under test only knows two base URLs: point
``DATA_GO_KR_BASE_URL`` at ``up.data_go_kr_base_url`` and ``ODCLOUD_BASE_URL`` at
``up.odcloud_base_url``. ``/1613000/...`` goes to MOLIT (molit.py), ``/api/...`` to odcloud
(odcloud.py), the region-code lookup answers from its two fixtures, anything else is a 404.
``request_log`` records ``(path, query)`` of every request and ``auth_log`` how odcloud requests
authenticated, so tests can assert what the client sent. Steer it with ``up.scenario``,
``up.failing_months``, ``up.slow_seconds`` and ``up.odcloud_rejects_conds``, read on every request.
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.fixture_upstream.answers import Answer, int_param, read_fixture
from tests.support.fixture_upstream.molit import MolitService
from tests.support.fixture_upstream.odcloud import OdcloudService


class _QuietServer(ThreadingHTTPServer):
    """Clients that time out hang up on purpose (the slow scenario); that is not worth a traceback."""

    daemon_threads = True
    # Clients fetch pages concurrently; the default backlog of 5 drops further connections, and the
    # kernel's 1 s SYN retry then looks like an upstream timeout to a client with a short timeout.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FixtureUpstream:
    """Serve the fixtures on 127.0.0.1 in a background thread (or in the foreground via ``serve``)."""

    def __init__(self, port: int = 0, *, slow_seconds: float = 3.0) -> None:
        self.slow_seconds = slow_seconds
        self.scenario: str | None = None
        self.odcloud_rejects_conds = False
        self.failing_months: set[str] = set()
        self.request_log: list[tuple[str, dict[str, str]]] = []
        self.auth_log: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        self.molit = MolitService(self)
        self.odcloud = OdcloudService(self)
        self._httpd = _QuietServer(("127.0.0.1", port), self._handler_class())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def data_go_kr_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def odcloud_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def requests_to(self, fragment: str) -> list[dict[str, str]]:
        """Queries of the logged requests whose path contains ``fragment``."""
        with self._lock:
            return [query for path, query in self.request_log if fragment in path]

    def log_auth(self, path: str, form: str | None) -> None:
        with self._lock:
            self.auth_log.append((path, form))

    def clear_log(self) -> None:
        with self._lock:
            self.request_log.clear()
            self.auth_log.clear()
        self.molit.forget_seen()

    def __enter__(self) -> FixtureUpstream:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fixture-upstream", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve(self) -> None:
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    # ------------------------------------------------------------------ routing -----------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                with upstream._lock:
                    upstream.request_log.append((parts.path, query))
                status, content_type, body = upstream._route(parts.path, query, dict(self.headers.items()))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

        return Handler

    def _route(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        if path.startswith("/api/"):
            return self.odcloud.answer(path[len("/api") :], query, headers)
        if path.startswith("/1613000/"):
            return self.molit.answer(path, query)
        if path == "/1741000/StanReginCd/getStanReginCdList":
            return _stanregincd(query)
        return 404, "text/plain", b"Not Found"


def _stanregincd(query: dict[str, str]) -> Answer:
    """The region-code lookup: 마포구's first page, or the service's "no data" answer."""
    if query.get("locatadd_nm") == "서울특별시 마포구" and int_param(query.get("pageNo"), 1) == 1:
        return 200, "text/html;charset=UTF-8", read_fixture("stanregincd_mapo_page1.json")
    return 200, "text/html;charset=UTF-8", read_fixture("stanregincd_nodata_info3.json")
