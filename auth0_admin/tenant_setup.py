"""The Auth0 tenant state docs/deployment.md section 4 asks for, as items to plan, apply and check.

Each item reads the tenant, says what it found and, when that differs from what ChatGPT and Claude need,
what it would change and why. `plan()` only reads; applying runs each item's change; reading back is
`plan()` again: an item with nothing left to change PASSes. The item keys are also the FAIL identifiers
that the Troubleshooting section of docs/deployment.md explains (`FIXES`; tests/auth0_admin checks that
every key is there).

Requests (Auth0 Management API v2), all through the SDK:
  GET/PATCH /api/v2/tenants/settings            flags.enable_dynamic_client_registration,
                                                resource_parameter_profile, default_audience,
                                                client_id_metadata_document_(dynamic_registration_)supported
  GET /api/v2/resource-servers?identifiers=…    POST /api/v2/resource-servers,
                                                PATCH /api/v2/resource-servers/{id}
  GET /api/v2/client-grants?audience=…&default_for=third_party_clients&subject_type=user
                                                POST /api/v2/client-grants, PATCH /api/v2/client-grants/{id}
  GET /api/v2/connections?name=…                PATCH /api/v2/connections/{id} (is_domain_connection;
                                                options is replaced whole, so it is sent back complete)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auth0.management import Auth0

__all__ = ["API_NAME", "FIXES", "Desired", "Item", "as_dict", "plan"]

API_NAME = "real-estate-mcp"
MCP_PERMISSION_DESCRIPTION = "Use the real-estate-mcp tools"

# FAIL identifier -> the fix printed with it (and explained in docs/deployment.md, Troubleshooting).
FIXES: dict[str, str] = {
    "api": "create the API by hand (Applications -> APIs -> Create API) with exactly this identifier and "
    "RS256, or set AUTH0_AUDIENCE to the identifier of the API you use",
    "api-permissions": "add the OAUTH_SCOPES permissions on the API's Permissions tab",
    "third-party-access": "API -> Access Settings: authorize user-delegated access for third-party "
    "applications with the OAUTH_SCOPES permissions",
    "resource-parameter": "Settings -> Advanced: turn on the Resource Parameter Compatibility Profile, or "
    "rerun with --default-audience",
    "default-audience": "Settings -> General -> API Authorization Settings: Default Audience = the API "
    "identifier",
    "dcr": "Settings -> Advanced: turn on Dynamic Client Registration",
    "connection-domain-level": "create the connection or pass --connection NAME; then Authentication -> "
    "the connection -> Promote Connection to Domain Level",
    "connection-signups": "Authentication -> Database -> the connection -> Disable Sign Ups (or rerun with "
    "--allow-signups if you want open sign-up)",
    "cimd": "Settings -> Advanced: turn on Client ID Metadata Document support",
}


@dataclass(frozen=True)
class Desired:
    identifier: str
    scopes: tuple[str, ...]
    connection: str
    allow_signups: bool
    default_audience: bool


@dataclass
class Item:
    """One line of the plan. `change is None` means the tenant already matches (or cannot be changed)."""

    key: str
    found: str
    change: str | None = None
    why: str = ""
    apply: Callable[[], object] | None = None
    available: bool = True

    @property
    def pending(self) -> bool:
        return self.change is not None


def as_dict(model: Any) -> dict[str, Any]:
    """The SDK's response model as the JSON Auth0 sent (unset fields left out, `global` not `global_`)."""
    if model is None:
        return {}
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return dumped


def plan(client: Auth0, desired: Desired) -> list[Item]:
    settings = as_dict(client.tenants.settings.get())
    api = _find_api(client, desired.identifier)
    connection = _find_connection(client, desired.connection)
    items = [
        _api_item(client, desired, api),
        _permissions_item(client, desired, api),
        _third_party_item(client, desired),
        _default_audience_item(client, desired, settings)
        if desired.default_audience
        else _resource_parameter_item(client, settings),
        _dcr_item(client, settings),
        _domain_level_item(client, desired, connection),
        _signups_item(client, desired, connection),
        _cimd_item(client, settings),
    ]
    return items


def _find_api(client: Auth0, identifier: str) -> dict[str, Any] | None:
    for server in client.resource_servers.list(identifiers=[identifier]):
        found = as_dict(server)
        if found.get("identifier") == identifier:
            return found
    return None


def _find_connection(client: Auth0, name: str) -> dict[str, Any] | None:
    for connection in client.connections.list(name=name):
        found = as_dict(connection)
        if found.get("name") == name:
            return found
    return None


def _api_item(client: Auth0, desired: Desired, api: dict[str, Any] | None) -> Item:
    why = "the gateway accepts only RS256 tokens whose audience is this identifier"
    if api is None:
        return Item(
            "api",
            f"no API with identifier {desired.identifier}",
            f"create API {API_NAME!r} with identifier {desired.identifier}, RS256",
            why,
            lambda: client.resource_servers.create(
                identifier=desired.identifier,
                name=API_NAME,
                signing_alg="RS256",
                scopes=[
                    {"value": scope, "description": MCP_PERMISSION_DESCRIPTION} for scope in desired.scopes
                ],
            ),
        )
    algorithm = api.get("signing_alg")
    if algorithm != "RS256":
        return Item(
            "api",
            f"API {desired.identifier} signs with {algorithm}",
            "switch its signing algorithm to RS256",
            why,
            lambda: client.resource_servers.update(api["id"], signing_alg="RS256"),
        )
    return Item("api", f"API {desired.identifier} exists, RS256")


def _permissions_item(client: Auth0, desired: Desired, api: dict[str, Any] | None) -> Item:
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
    )


def _third_party_item(client: Auth0, desired: Desired) -> Item:
    why = "ChatGPT and Claude register as third-party applications, which need this grant to get tokens"
    grants = [
        as_dict(grant)
        for grant in client.client_grants.list(
            audience=desired.identifier, default_for="third_party_clients", subject_type="user"
        )
    ]
    grant = next((g for g in grants if g.get("audience") == desired.identifier), None)
    if grant is None:
        return Item(
            "third-party-access",
            "third-party applications have no user-delegated access to the API",
            f"authorize it with the scopes [{' '.join(desired.scopes)}]",
            why,
            lambda: client.client_grants.create(
                audience=desired.identifier,
                default_for="third_party_clients",
                subject_type="user",
                scope=list(desired.scopes),
            ),
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
        )
    return Item("third-party-access", "third-party applications have user-delegated access to the API")


def _resource_parameter_item(client: Auth0, settings: dict[str, Any]) -> Item:
    profile = settings.get("resource_parameter_profile", "audience")
    if profile == "compatibility":
        return Item("resource-parameter", "the Resource Parameter Compatibility Profile is on")
    return Item(
        "resource-parameter",
        f"resource_parameter_profile is {profile!r}",
        "set it to 'compatibility'",
        "MCP clients name the API with RFC 8707 'resource'; without this Auth0 issues opaque tokens",
        lambda: client.tenants.settings.update(resource_parameter_profile="compatibility"),
    )


def _default_audience_item(client: Auth0, desired: Desired, settings: dict[str, Any]) -> Item:
    current = settings.get("default_audience") or ""
    if current == desired.identifier:
        return Item("default-audience", f"the tenant's default audience is {desired.identifier}")
    return Item(
        "default-audience",
        f"the tenant's default audience is {current or 'not set'}",
        f"set it to {desired.identifier}",
        "tokens requested without 'audience' then carry the API's audience instead of being opaque",
        lambda: client.tenants.settings.update(default_audience=desired.identifier),
    )


def _dcr_item(client: Auth0, settings: dict[str, Any]) -> Item:
    if (settings.get("flags") or {}).get("enable_dynamic_client_registration") is True:
        return Item("dcr", "dynamic client registration is on")
    return Item(
        "dcr",
        "dynamic client registration is off",
        "turn it on",
        "ChatGPT and Claude register themselves; registering grants nothing, signing in does",
        lambda: client.tenants.settings.update(flags={"enable_dynamic_client_registration": True}),
    )


def _domain_level_item(client: Auth0, desired: Desired, connection: dict[str, Any] | None) -> Item:
    if connection is None:
        return Item("connection-domain-level", f"no connection named {desired.connection!r}")
    if connection.get("is_domain_connection") is True:
        return Item("connection-domain-level", f"connection {desired.connection!r} is domain level")
    return Item(
        "connection-domain-level",
        f"connection {desired.connection!r} is not domain level",
        "promote it to domain level",
        "third-party applications can only use domain-level connections",
        lambda: client.connections.update(connection["id"], is_domain_connection=True),
    )


def _signups_item(client: Auth0, desired: Desired, connection: dict[str, Any] | None) -> Item:
    if connection is None:
        return Item("connection-signups", f"no connection named {desired.connection!r}")
    options = dict(connection.get("options") or {})
    disabled = options.get("disable_signup") is True
    wanted = not desired.allow_signups
    state = "off" if disabled else "on"
    if disabled == wanted:
        return Item("connection-signups", f"sign-ups on {desired.connection!r} are {state}")
    why = (
        "everyone who can sign in can use your server; you create the users (./scripts/auth0-access user add)"
        if wanted
        else "--allow-signups: anyone may create an account and use your server"
    )
    options["disable_signup"] = wanted
    return Item(
        "connection-signups",
        f"sign-ups on {desired.connection!r} are {state}",
        f"turn them {'off' if wanted else 'on'}",
        why,
        lambda: client.connections.update(connection["id"], options=options),
    )


def _cimd_item(client: Auth0, settings: dict[str, Any]) -> Item:
    if "client_id_metadata_document_supported" not in settings:
        return Item(
            "cimd",
            "client ID metadata document support is not available on this tenant (nothing to do)",
            available=False,
        )
    flags = (
        "client_id_metadata_document_supported",
        "client_id_metadata_document_dynamic_registration_supported",
    )
    if all(settings.get(flag) is True for flag in flags):
        return Item("cimd", "client ID metadata document support and its dynamic registration are on")
    return Item(
        "cimd",
        "client ID metadata document support is available but off",
        "turn it and its dynamic registration on",
        "clients that identify themselves by a metadata URL need no registration at all",
        lambda: client.tenants.settings.update(**dict.fromkeys(flags, True)),
    )
