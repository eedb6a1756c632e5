"""A fake Auth0 Management API v2 on a loopback port: the stand-in for a real tenant in tests/auth0_admin.

A real HTTP server (stdlib `ThreadingHTTPServer` in a daemon thread), so the auth0-python SDK crosses a
real socket with its own URL building, paging and retries. It answers the way the Management API v2
reference describes: JSON bodies, `{statusCode, error, message, errorCode}` errors, offset paging
(`page`/`per_page`/`include_totals`, the list under its resource name) or checkpoint paging
(`from`/`take` with `next`), and for connections what "Migrate to Management API Connection Options
Scopes" and the Update a Connection reference say: `options` left out of every answer unless the token
has `read:connections_options`, a PATCH carrying `options` refused (403) without
`update:connections_options`, `options` replaced whole by a PATCH, and `display_name` reset to the
connection's `name` when a PATCH leaves it out. Duplicate creates answer 409; 429s carry
`X-RateLimit-Reset` (epoch seconds), as Auth0's rate-limit documentation describes.

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
handful of objects.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["ALL_SCOPES", "CLIENT_ID", "CLIENT_SECRET", "DOMAIN", "TOKEN", "FakeManagementApi", "Request"]

DOMAIN = "tenant.example.auth0.com"
CLIENT_ID = "m2m-client-id"
CLIENT_SECRET = "m2m-client-secret-that-must-never-be-printed"
TOKEN = "management-api-token-that-must-never-be-printed"
ALL_SCOPES = frozenset(
    {
        "read:tenant_settings",
        "update:tenant_settings",
        "read:resource_servers",
        "create:resource_servers",
        "update:resource_servers",
        "read:client_grants",
        "create:client_grants",
        "update:client_grants",
        "read:connections",
        "update:connections",
        "read:connections_options",
        "update:connections_options",
        "read:users",
        "create:users",
        "update:users",
        "create:user_tickets",
        "read:clients",
        "delete:clients",
        "read:logs",
    }
)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float = field(compare=False)  # wall-clock time.time(), comparable with X-RateLimit-Reset


class ApiFailure(Exception):
    def __init__(self, status: int, error: str, message: str, code: str) -> None:
        self.status = status
        self.body = {"statusCode": status, "error": error, "message": message, "errorCode": code}


def _not_found(what: str) -> ApiFailure:
    return ApiFailure(404, "Not Found", f"The {what} does not exist.", "inexistent_resource")


class FakeManagementApi:
    def __init__(self, *, page_size: int = 2) -> None:
        self.page_size = page_size
        self.granted_scopes: set[str] = set(ALL_SCOPES)
        self.settings: dict[str, Any] = {
            "friendly_name": "Test tenant",
            "flags": {"enable_client_connections": True, "enable_dynamic_client_registration": False},
            "default_audience": "",
            "resource_parameter_profile": "audience",
            "authorization_response_iss_parameter_supported": False,
        }
        self.resource_servers: list[dict[str, Any]] = [
            {
                "id": "rs-management",
                "name": "Auth0 Management API",
                "identifier": f"https://{DOMAIN}/api/v2/",
                "is_system": True,
                "signing_alg": "RS256",
                "scopes": [],
            }
        ]
        self.client_grants: list[dict[str, Any]] = []
        self.connections: list[dict[str, Any]] = []
        self.users: list[dict[str, Any]] = []
        self.clients: list[dict[str, Any]] = []
        self.logs: list[dict[str, Any]] = []
        self.cimd_refused = False
        self.requests: list[Request] = []
        self.token_requests: list[dict[str, Any]] = []
        self._rate_limits: list[tuple[str, int]] = []
        self._token_rate_limits: list[tuple[str, int]] = []
        self._failures: list[tuple[str, str, int, bool]] = []
        self.rate_limit_resets: list[int] = []  # every X-RateLimit-Reset sent, in order
        self._ids = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> FakeManagementApi:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-auth0-mgmt", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

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

    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids:04d}"

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
            return self._token(body)
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
                        self._route(method, path, query, body)
                error = ApiFailure(status, "Service Unavailable", "Please try again later", "unavailable")
                return status, {}, error.body
            try:
                status, answer = self._route(method, path, query, body)
            except ApiFailure as failure:
                return failure.status, {}, failure.body
            return status, {}, answer

    def _token(self, body: Any) -> tuple[int, dict[str, str], Any]:
        if body.get("client_id") != CLIENT_ID or body.get("client_secret") != CLIENT_SECRET:
            return 401, {}, {"error": "access_denied", "error_description": "Unauthorized"}
        if body.get("audience") != f"https://{DOMAIN}/api/v2/":
            return (
                403,
                {},
                {"error": "access_denied", "error_description": "Service not enabled within domain"},
            )
        answer = {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400}
        return 200, {}, {**answer, "scope": " ".join(sorted(self.granted_scopes))}

    def _need(self, scope: str) -> None:
        if scope not in self.granted_scopes:
            raise ApiFailure(
                403, "Forbidden", f"Insufficient scope, expected any of: {scope}", "insufficient_scope"
            )

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        routes: list[tuple[str, str, str, Callable[..., tuple[int, Any]]]] = [
            ("GET", r"/api/v2/tenants/settings", "read:tenant_settings", self._get_settings),
            ("PATCH", r"/api/v2/tenants/settings", "update:tenant_settings", self._patch_settings),
            ("GET", r"/api/v2/resource-servers", "read:resource_servers", self._list_resource_servers),
            ("POST", r"/api/v2/resource-servers", "create:resource_servers", self._create_resource_server),
            (
                "PATCH",
                r"/api/v2/resource-servers/([^/]+)",
                "update:resource_servers",
                self._patch_resource_server,
            ),
            ("GET", r"/api/v2/client-grants", "read:client_grants", self._list_client_grants),
            ("POST", r"/api/v2/client-grants", "create:client_grants", self._create_client_grant),
            ("PATCH", r"/api/v2/client-grants/([^/]+)", "update:client_grants", self._patch_client_grant),
            ("GET", r"/api/v2/connections", "read:connections", self._list_connections),
            ("PATCH", r"/api/v2/connections/([^/]+)", "update:connections", self._patch_connection),
            ("GET", r"/api/v2/users-by-email", "read:users", self._users_by_email),
            ("GET", r"/api/v2/users", "read:users", self._list_users),
            ("POST", r"/api/v2/users", "create:users", self._create_user),
            ("PATCH", r"/api/v2/users/([^/]+)", "update:users", self._patch_user),
            ("POST", r"/api/v2/tickets/password-change", "create:user_tickets", self._password_ticket),
            ("GET", r"/api/v2/clients", "read:clients", self._list_clients),
            ("DELETE", r"/api/v2/clients/([^/]+)", "delete:clients", self._delete_client),
            ("GET", r"/api/v2/logs", "read:logs", self._list_logs),
        ]
        for route_method, pattern, scope, handler in routes:
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                self._need(scope)
                return handler(query, body, *match.groups())
        raise ApiFailure(404, "Not Found", f"{method} {path} is not part of this fake", "not_found")

    # ------------------------------------------------------------------ paging
    def _offset_page(self, items: list[dict[str, Any]], key: str, query: dict[str, str]) -> tuple[int, Any]:
        per_page = min(int(query.get("per_page", "50")), self.page_size)
        page = int(query.get("page", "0"))
        chunk = items[page * per_page : (page + 1) * per_page]
        if query.get("include_totals") == "true":
            return 200, {"start": page * per_page, "limit": per_page, "total": len(items), key: chunk}
        return 200, chunk

    def _checkpoint_page(
        self, items: list[dict[str, Any]], key: str, query: dict[str, str]
    ) -> tuple[int, Any]:
        take = min(int(query.get("take", "50")), self.page_size)
        start = int(query.get("from") or 0)
        chunk = items[start : start + take]
        answer: dict[str, Any] = {key: chunk}
        if start + take < len(items):
            answer["next"] = str(start + take)
        return 200, answer

    # ------------------------------------------------------------------ tenant settings
    def _get_settings(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, copy.deepcopy(self.settings)

    def _patch_settings(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if self.cimd_refused and any(key.startswith("client_id_metadata_document") for key in body):
            raise ApiFailure(
                400, "Bad Request", "This feature is not enabled for this tenant.", "invalid_body"
            )
        for key, value in body.items():
            if key == "flags":
                self.settings.setdefault("flags", {}).update(value)
            else:
                self.settings[key] = value
        return 200, copy.deepcopy(self.settings)

    # ------------------------------------------------------------------ resource servers (APIs)
    def _list_resource_servers(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        wanted = query.get("identifiers")
        items = [rs for rs in self.resource_servers if wanted is None or rs["identifier"] == wanted]
        return self._offset_page(items, "resource_servers", query)

    def _create_resource_server(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if any(rs["identifier"] == body["identifier"] for rs in self.resource_servers):
            raise ApiFailure(
                409, "Conflict", "A resource server with the same identifier already exists", "conflict"
            )
        server = {"id": self.new_id("rs-"), "signing_alg": "HS256", "scopes": [], **body}
        self.resource_servers.append(server)
        return 201, server

    def _patch_resource_server(self, query: dict[str, str], body: Any, key: str) -> tuple[int, Any]:
        server = next((rs for rs in self.resource_servers if key in (rs["id"], rs["identifier"])), None)
        if server is None:
            raise _not_found("resource server")
        server.update(body)
        return 200, server

    # ------------------------------------------------------------------ client grants
    def _list_client_grants(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        filters = {
            name: query[name]
            for name in ("audience", "client_id", "default_for", "subject_type")
            if name in query
        }
        items = [g for g in self.client_grants if all(g.get(k) == v for k, v in filters.items())]
        return self._checkpoint_page(items, "client_grants", query)

    def _create_client_grant(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        key = ("audience", "client_id", "default_for", "subject_type")
        if any(all(g.get(k) == body.get(k) for k in key) for g in self.client_grants):
            raise ApiFailure(409, "Conflict", "A client grant for this audience already exists", "conflict")
        grant = {"id": self.new_id("cgr_"), **body}
        self.client_grants.append(grant)
        return 201, grant

    def _patch_client_grant(self, query: dict[str, str], body: Any, grant_id: str) -> tuple[int, Any]:
        grant = next((g for g in self.client_grants if g["id"] == grant_id), None)
        if grant is None:
            raise _not_found("client grant")
        grant.update(body)
        return 200, grant

    # ------------------------------------------------------------------ connections
    def _connection_answer(self, connection: dict[str, Any]) -> dict[str, Any]:
        """A connection as Auth0 answers it: without `options` unless the token may read them."""
        answer = copy.deepcopy(connection)
        if "read:connections_options" not in self.granted_scopes:
            answer.pop("options", None)
        return answer

    def _list_connections(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        items = [
            self._connection_answer(c)
            for c in self.connections
            if "name" not in query or c["name"] == query["name"]
        ]
        return self._checkpoint_page(items, "connections", query)

    def _patch_connection(self, query: dict[str, str], body: Any, connection_id: str) -> tuple[int, Any]:
        connection = next((c for c in self.connections if c["id"] == connection_id), None)
        if connection is None:
            raise _not_found("connection")
        if "options" in body:
            self._need("update:connections_options")
        connection.update(copy.deepcopy(body))  # `options`, when sent, replaces the whole object
        if "display_name" not in body:
            connection["display_name"] = connection["name"]  # as the Update a Connection reference says
        return 200, self._connection_answer(connection)

    # ------------------------------------------------------------------ users and tickets
    def _users_by_email(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, [u for u in self.users if u.get("email") == query.get("email", "").lower()]

    def _list_users(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        return self._offset_page(self.users, "users", query)

    def _create_user(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        email = str(body.get("email", "")).lower()
        connection = body["connection"]
        if any(u["email"] == email and u["identities"][0]["connection"] == connection for u in self.users):
            raise ApiFailure(409, "Conflict", "The user already exists.", "auth0_idp_error")
        user = self.add_user(email, connection)
        user["email_verified"] = bool(body.get("email_verified", False))
        return 201, user

    def add_user(self, email: str, connection: str, **fields: Any) -> dict[str, Any]:
        """A user as GET /api/v2/users returns one (tests seed the tenant with it too)."""
        user_id = self.new_id("user")
        user = {
            "user_id": f"auth0|{user_id}",
            "email": email,
            "email_verified": False,
            "blocked": False,
            "created_at": "2026-11-27T08:00:00.000Z",
            "identities": [
                {"connection": connection, "provider": "auth0", "user_id": user_id, "isSocial": False}
            ],
            **fields,
        }
        self.users.append(user)
        return user

    def _patch_user(self, query: dict[str, str], body: Any, user_id: str) -> tuple[int, Any]:
        user = next((u for u in self.users if u["user_id"] == user_id), None)
        if user is None:
            raise _not_found("user")
        user.update(body)
        return 200, user

    def _password_ticket(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if not any(u["user_id"] == body.get("user_id") for u in self.users):
            raise _not_found("user")
        return 201, {"ticket": f"https://{DOMAIN}/lo/reset?ticket={self.new_id('t')}#"}

    # ------------------------------------------------------------------ clients and logs
    def _list_clients(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        items = self.clients
        if "is_first_party" in query:
            wanted = query["is_first_party"] == "true"
            items = [c for c in items if c.get("is_first_party", True) is wanted]
        return self._offset_page(items, "clients", query)

    def _delete_client(self, query: dict[str, str], body: Any, client_id: str) -> tuple[int, Any]:
        before = len(self.clients)
        self.clients = [c for c in self.clients if c["client_id"] != client_id]
        if len(self.clients) == before:
            raise _not_found("client")
        return 204, None

    def _list_logs(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        match = re.fullmatch(r'client_id:"([^"]+)"', query.get("q", ""))
        items = [entry for entry in self.logs if match is None or entry.get("client_id") == match.group(1)]
        if query.get("sort") == "date:-1":
            items = sorted(items, key=lambda entry: str(entry["date"]), reverse=True)
        return self._offset_page(items, "logs", query)


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
