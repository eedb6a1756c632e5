"""The items about the API itself: that it exists and signs with RS256, that it defines the
OAUTH_SCOPES permissions, and that third-party applications (ChatGPT, Claude) may use it for a user.

These are the objects the gateway's token check depends on directly (audience, algorithm, scopes), and
the only items that create something, through `find_or_create.create_once`.

Requests (Auth0 Management API v2), all through the SDK:
  POST /api/v2/resource-servers, PATCH /api/v2/resource-servers/{id}
  POST /api/v2/client-grants, PATCH /api/v2/client-grants/{id}
"""

from __future__ import annotations

from typing import Any

from auth0.management import Auth0

from auth0_admin.tenant_setup.find_or_create import create_once, find_api, find_grant
from auth0_admin.tenant_setup.items import Desired, Item

__all__ = ["API_NAME", "api_item", "permissions_item", "third_party_item"]

API_NAME = "real-estate-mcp"
MCP_PERMISSION_DESCRIPTION = "Use the real-estate-mcp tools"


def api_item(client: Auth0, desired: Desired, api: dict[str, Any] | None) -> Item:
    why = "the gateway accepts only RS256 tokens whose audience is this identifier"
    if api is None:
        return Item(
            "api",
            f"no API with identifier {desired.identifier}",
            f"create API {API_NAME!r} with identifier {desired.identifier}, RS256",
            why,
            create_once(
                f"the API {desired.identifier}",
                lambda: client.resource_servers.create(
                    identifier=desired.identifier,
                    name=API_NAME,
                    signing_alg="RS256",
                    scopes=[
                        {"value": scope, "description": MCP_PERMISSION_DESCRIPTION}
                        for scope in desired.scopes
                    ],
                ),
                lambda: find_api(client, desired.identifier),
            ),
            requires=("create:resource_servers",),
        )
    algorithm = api.get("signing_alg")
    if algorithm != "RS256":
        return Item(
            "api",
            f"API {desired.identifier} signs with {algorithm}",
            "switch its signing algorithm to RS256",
            why,
            lambda: client.resource_servers.update(api["id"], signing_alg="RS256"),
            requires=("update:resource_servers",),
        )
    return Item("api", f"API {desired.identifier} exists, RS256")


def permissions_item(client: Auth0, desired: Desired, api: dict[str, Any] | None) -> Item:
    if not desired.scopes:
        return Item("api-permissions", "OAUTH_SCOPES is empty: no permission needed")
    if api is None:
        return Item("api-permissions", f"the new API gets the permissions {' '.join(desired.scopes)}")
    existing = list(api.get("scopes") or [])
    missing = [scope for scope in desired.scopes if scope not in {entry.get("value") for entry in existing}]
    if not missing:
        return Item("api-permissions", f"the API defines {' '.join(desired.scopes)}")
    wanted = existing + [{"value": scope, "description": MCP_PERMISSION_DESCRIPTION} for scope in missing]
    return Item(
        "api-permissions",
        f"the API lacks the permissions {' '.join(missing)}",
        f"add {' '.join(missing)} (keeping the {len(existing)} it has)",
        "the gateway requires every OAUTH_SCOPES scope in each token",
        lambda: client.resource_servers.update(api["id"], scopes=wanted),
        requires=("update:resource_servers",),
    )


def third_party_item(client: Auth0, desired: Desired) -> Item:
    why = "ChatGPT and Claude register as third-party applications, which need this grant to get tokens"
    grant = find_grant(client, desired.identifier)
    if grant is None:
        return Item(
            "third-party-access",
            "third-party applications have no user-delegated access to the API",
            f"authorize it with the scopes [{' '.join(desired.scopes)}]",
            why,
            create_once(
                "the third-party applications' grant",
                lambda: client.client_grants.create(
                    audience=desired.identifier,
                    default_for="third_party_clients",
                    subject_type="user",
                    scope=list(desired.scopes),
                ),
                lambda: find_grant(client, desired.identifier),
            ),
            requires=("create:client_grants",),
        )
    granted = list(grant.get("scope") or [])
    missing = [scope for scope in desired.scopes if scope not in granted]
    if missing:
        return Item(
            "third-party-access",
            f"third-party applications may use the API without {' '.join(missing)}",
            f"add {' '.join(missing)} to their default grant",
            why,
            lambda: client.client_grants.update(grant["id"], scope=granted + missing),
            requires=("update:client_grants",),
        )
    return Item("third-party-access", "third-party applications have user-delegated access to the API")
