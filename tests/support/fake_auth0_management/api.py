"""The fake Management API tests start: the tenant served over HTTP, with a request log and faults.

It is the tenant (``tenant.Tenant``: the objects and the calls) plus what a test needs around a real
tenant: every request recorded with its wall-clock time, and the failures auth0_admin must survive
injected on demand. 429s carry ``X-RateLimit-Reset`` (epoch seconds), as Auth0's rate-limit
documentation describes, or only ``Retry-After`` when asked; an injected failure may come after the
change was made (a create that succeeded while its answer was lost).

Usage::

    with FakeManagementApi() as fake:
        fake.base_url                       # "http://127.0.0.1:PORT" (AUTH0_MGMT_BASE_URL)
        fake.settings, fake.resource_servers, fake.client_grants, fake.connections,
        fake.users, fake.clients, fake.logs # the tenant, editable before or between runs
        fake.granted_scopes                 # Management API scopes the M2M token carries
        fake.rate_limit(count, reset_in=1)  # the next `count` API requests answer 429 with X-RateLimit-Reset
        fake.rate_limit(count, retry_after=1)  # ... with Retry-After instead
        fake.rate_limit_token(count)        # the same for POST /oauth/token
        fake.fail_next("POST", "/api/v2/client-grants", status=503, after_change=True)
                                            # the next such request answers 503 (after making the change)
        fake.requests                       # every /api/v2 request: Request(method, path, query, body, at)
        fake.changes()                      # only the non-GET ones, as (method, path, body)

Items per page are capped at `page_size` (default 2, Auth0's cap is 100) so that paging happens with a
handful of objects (answers.py).
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support.fake_auth0_management.answers import ApiFailure
from tests.support.fake_auth0_management.credentials import token_exchange
from tests.support.fake_auth0_management.http_server import LoopbackServer
from tests.support.fake_auth0_management.tenant import Tenant

__all__ = ["FakeManagementApi", "Request"]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float = field(compare=False)  # wall-clock time.time(), comparable with X-RateLimit-Reset


class FakeManagementApi(Tenant):
    def __init__(self, *, page_size: int = 2) -> None:
        super().__init__(page_size=page_size)
        self.requests: list[Request] = []
        self.token_requests: list[dict[str, Any]] = []
        self._rate_limits: list[tuple[str, int]] = []
        self._token_rate_limits: list[tuple[str, int]] = []
        self._failures: list[tuple[str, str, int, bool]] = []
        self.rate_limit_resets: list[int] = []  # every X-RateLimit-Reset sent, in order
        self._lock = threading.Lock()
        self._http = LoopbackServer(self)
        self.base_url = self._http.base_url

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> FakeManagementApi:
        self._http.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.stop()

    # ------------------------------------------------------------------ test controls
    def rate_limit(self, count: int, *, reset_in: int = 1, retry_after: int | None = None) -> None:
        """The next `count` API requests answer 429: with X-RateLimit-Reset `reset_in` seconds ahead (what
        Auth0 sends), or with only Retry-After when `retry_after` is given."""
        if retry_after is None:
            self._rate_limits.extend([("X-RateLimit-Reset", reset_in)] * count)
        else:
            self._rate_limits.extend([("Retry-After", retry_after)] * count)

    def rate_limit_token(self, count: int, *, reset_in: int = 1) -> None:
        self._token_rate_limits.extend([("X-RateLimit-Reset", reset_in)] * count)

    def fail_next(self, method: str, path: str, *, status: int = 503, after_change: bool = False) -> None:
        """The next `method path` answers `status`; with `after_change` the change is made first (a
        create that succeeded while its answer was lost), otherwise nothing changes."""
        self._failures.append((method, path, status, after_change))

    def _too_many(self, header: str, seconds: int) -> tuple[int, dict[str, str], Any]:
        failure = ApiFailure(429, "Too Many Requests", "Global limit has been reached", "too_many_requests")
        if header == "X-RateLimit-Reset":
            reset = int(time.time()) + seconds
            self.rate_limit_resets.append(reset)
            headers = {
                "X-RateLimit-Limit": "2",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(reset),
            }
        else:
            headers = {"Retry-After": str(seconds)}
        return 429, headers, failure.body

    def changes(self) -> list[tuple[str, str, Any]]:
        return [(r.method, r.path, r.body) for r in self.requests if r.method != "GET"]

    def reset_log(self) -> None:
        self.requests.clear()
        self.token_requests.clear()

    # ------------------------------------------------------------------ dispatch
    def handle(self, method: str, raw_path: str, body: Any) -> tuple[int, dict[str, str], Any]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if path == "/oauth/token" and method == "POST":
            self.token_requests.append(dict(body or {}))
            if self._token_rate_limits:
                status, headers, _ = self._too_many(*self._token_rate_limits.pop(0))
                return status, headers, {"error": "too_many_requests", "error_description": "Rate limit"}
            return token_exchange(body, self.granted_scopes)
        with self._lock:
            self.requests.append(Request(method, path, query, body, time.time()))
            if self._rate_limits:
                return self._too_many(*self._rate_limits.pop(0))
            injected = next((f for f in self._failures if f[:2] == (method, path)), None)
            if injected is not None:
                self._failures.remove(injected)
                _, _, status, after_change = injected
                if after_change:  # a refused change still gets the injected status
                    with contextlib.suppress(ApiFailure):
                        self.route(method, path, query, body)
                error = ApiFailure(status, "Service Unavailable", "Please try again later", "unavailable")
                return status, {}, error.body
            try:
                status, answer = self.route(method, path, query, body)
            except ApiFailure as failure:
                return failure.status, {}, failure.body
            return status, {}, answer
