"""The fake tenant's objects and the Management API v2 calls that read and change them.

The objects are plain lists and dicts that tests seed and inspect directly (``fake.users``, ...). Each
call answers as the Management API v2 reference describes, including for connections what "Migrate to
Management API Connection Options Scopes" and the Update a Connection reference say: ``options`` left out
of every answer unless the token has ``read:connections_options``, a PATCH carrying ``options`` refused
(403) without ``update:connections_options``, ``options`` replaced whole by a PATCH, and ``display_name``
reset to the connection's ``name`` when a PATCH leaves it out. Duplicate creates answer 409. ``route``
is the one table of which path reaches which call and the scope it needs.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from tests.support.fake_auth0_management.answers import ApiFailure, checkpoint_page, not_found, offset_page
from tests.support.fake_auth0_management.credentials import ALL_SCOPES, DOMAIN, MANAGEMENT_AUDIENCE


class Tenant:
    """One tenant's settings, APIs, grants, connections, users, clients and logs."""

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
                "identifier": MANAGEMENT_AUDIENCE,
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
        self._ids = 0

    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids:04d}"

    def need(self, scope: str) -> None:
        if scope not in self.granted_scopes:
            raise ApiFailure(
                403, "Forbidden", f"Insufficient scope, expected any of: {scope}", "insufficient_scope"
            )

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
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
                self.need(scope)
                return handler(query, body, *match.groups())
        raise ApiFailure(404, "Not Found", f"{method} {path} is not part of this fake", "not_found")

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
        return offset_page(items, "resource_servers", query, self.page_size)

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
            raise not_found("resource server")
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
        return checkpoint_page(items, "client_grants", query, self.page_size)

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
            raise not_found("client grant")
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
        return checkpoint_page(items, "connections", query, self.page_size)

    def _patch_connection(self, query: dict[str, str], body: Any, connection_id: str) -> tuple[int, Any]:
        connection = next((c for c in self.connections if c["id"] == connection_id), None)
        if connection is None:
            raise not_found("connection")
        if "options" in body:
            self.need("update:connections_options")
        connection.update(copy.deepcopy(body))  # `options`, when sent, replaces the whole object
        if "display_name" not in body:
            connection["display_name"] = connection["name"]  # as the Update a Connection reference says
        return 200, self._connection_answer(connection)

    # ------------------------------------------------------------------ users and tickets
    def _users_by_email(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, [u for u in self.users if u.get("email") == query.get("email", "").lower()]

    def _list_users(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        return offset_page(self.users, "users", query, self.page_size)

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
            raise not_found("user")
        user.update(body)
        return 200, user

    def _password_ticket(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if not any(u["user_id"] == body.get("user_id") for u in self.users):
            raise not_found("user")
        return 201, {"ticket": f"https://{DOMAIN}/lo/reset?ticket={self.new_id('t')}#"}

    # ------------------------------------------------------------------ clients and logs
    def _list_clients(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        items = self.clients
        if "is_first_party" in query:
            wanted = query["is_first_party"] == "true"
            items = [c for c in items if c.get("is_first_party", True) is wanted]
        return offset_page(items, "clients", query, self.page_size)

    def _delete_client(self, query: dict[str, str], body: Any, client_id: str) -> tuple[int, Any]:
        before = len(self.clients)
        self.clients = [c for c in self.clients if c["client_id"] != client_id]
        if len(self.clients) == before:
            raise not_found("client")
        return 204, None

    def _list_logs(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        match = re.fullmatch(r'client_id:"([^"]+)"', query.get("q", ""))
        items = [entry for entry in self.logs if match is None or entry.get("client_id") == match.group(1)]
        if query.get("sort") == "date:-1":
            items = sorted(items, key=lambda entry: str(entry["date"]), reverse=True)
        return offset_page(items, "logs", query, self.page_size)
