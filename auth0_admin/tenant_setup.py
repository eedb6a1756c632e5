"""The Auth0 tenant state docs/deployment.md section 4 asks for, as items to plan, apply and check.

Each item reads the tenant, says what it found and, when that differs from what ChatGPT and Claude need,
what it would change and why. `plan()` only reads; applying runs each item's change; reading back is
`plan()` again: an item with nothing left to change PASSes. The item keys are also the FAIL identifiers
that the Troubleshooting section of docs/deployment.md explains (`FIXES`; tests/auth0_admin checks that
every key is there).

What a real tenant punishes, and how the items avoid it:
- A connection PATCH carrying `options` replaces them whole (password policy, MFA, brute-force
  protection, custom scripts...), and Auth0 leaves `options` out of its answers unless the token has
  read:connections_options. So `options` are sent only as read, complete, in this same run; without
  them the sign-ups item is UNKNOWN and nothing is sent there.
- A connection PATCH without `display_name` resets it to the connection's name (the login button's
  label), so every connection PATCH sends the current one back.
- A create (API, grant) whose answer is a 409 or a 5xx may still have happened: it is never repeated;
  the object is read again and the run continues with what exists (`Recovered`).

Requests (Auth0 Management API v2), all through the SDK:
  GET/PATCH /api/v2/tenants/settings            flags.enable_dynamic_client_registration,
                                                resource_parameter_profile, default_audience,
                                                authorization_response_iss_parameter_supported,
                                                client_id_metadata_document_(dynamic_registration_)supported;
                                                flags.enable_client_connections is only read
  GET /api/v2/resource-servers?identifiers=…    POST /api/v2/resource-servers,
                                                PATCH /api/v2/resource-servers/{id}
  GET /api/v2/client-grants?audience=…&default_for=third_party_clients&subject_type=user
                                                POST /api/v2/client-grants, PATCH /api/v2/client-grants/{id}
  GET /api/v2/connections?name=…                PATCH /api/v2/connections/{id} (is_domain_connection,
                                                options; always with display_name)
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auth0.management import Auth0
from auth0.management.core.api_error import ApiError

from auth0_admin.errors import OPTIONS_SCOPES, CreateFailed
from auth0_admin.management import as_dict

__all__ = [
    "API_NAME",
    "FIXES",
    "UNKNOWN_FIXES",
    "Desired",
    "Item",
    "Recovered",
    "plan",
]

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
    "issuer-in-response": "Settings -> Advanced: turn on Include Issuer in Authorization Responses",
    "dcr": "Settings -> Advanced: turn on Dynamic Client Registration",
    "connection-domain-level": "create the connection or pass --connection NAME; then Authentication -> "
    "the connection -> Promote Connection to Domain Level",
    "application-connections": "promote the login connection to domain level (see connection-domain-level); "
    "Enable Application Connections is not the fix: it only enables connections for applications created "
    "later, and gives each of them every connection",
    "connection-signups": "Authentication -> Database -> the connection -> Disable Sign Ups (or rerun with "
    "--allow-signups if you want open sign-up)",
    "cimd": "Settings -> Advanced: turn on Client ID Metadata Document support",
}
# UNKNOWN identifier -> its fix: the item could not be read, so nothing was changed there.
UNKNOWN_FIXES: dict[str, str] = {
    "connection-signups": f"grant the machine-to-machine application {' and '.join(OPTIONS_SCOPES)} "
    "(Applications -> APIs -> Auth0 Management API -> Machine To Machine Applications) and run again, or "
    "turn sign-ups off yourself: Authentication -> Database -> the connection -> Disable Sign Ups",
}
TENANT_SETTINGS = ("update:tenant_settings",)


@dataclass(frozen=True)
class Desired:
    identifier: str
    scopes: tuple[str, ...]
    connection: str
    allow_signups: bool
    default_audience: bool


@dataclass
class Item:
    """One line of the plan. `change is None` means the tenant already matches (or cannot be changed).

    `requires`: the Management API permissions the change needs, checked before any change is made.
    `unknown`: the state could not be read, so nothing is changed (UNKNOWN, with UNKNOWN_FIXES).
    `broken`: the state is wrong and this command does not change it (FAIL even in the plan).
    `optional_feature`: a tenant that refuses the change does not offer it (N/A, not a failure).
    """

    key: str
    found: str
    change: str | None = None
    why: str = ""
    apply: Callable[[], object] | None = None
    available: bool = True
    requires: tuple[str, ...] = ()
    unknown: bool = False
    broken: bool = False
    optional_feature: bool = False

    @property
    def pending(self) -> bool:
        return self.change is not None


@dataclass(frozen=True)
class Recovered:
    """A create Auth0 answered with 409 or 5xx, after which a fresh read found the object."""

    message: str


def plan(client: Auth0, desired: Desired) -> list[Item]:
    settings = as_dict(client.tenants.settings.get())
    api = _find_api(client, desired.identifier)
    connection = _find_connection(client, desired.connection)
    return [
        _api_item(client, desired, api),
        _permissions_item(client, desired, api),
        _third_party_item(client, desired),
        _default_audience_item(client, desired, settings)
        if desired.default_audience
        else _resource_parameter_item(client, settings),
        _issuer_item(client, settings),
        _dcr_item(client, settings),
        _domain_level_item(client, desired, connection),
        _application_connections_item(desired, settings, connection),
        _signups_item(client, desired, connection),
        _cimd_item(client, settings),
    ]


def _find_api(client: Auth0, identifier: str) -> dict[str, Any] | None:
    for server in client.resource_servers.list(identifiers=[identifier]):
        found = as_dict(server)
        if found.get("identifier") == identifier:
            return found
    return None


def _find_grant(client: Auth0, identifier: str) -> dict[str, Any] | None:
    for grant in client.client_grants.list(
        audience=identifier, default_for="third_party_clients", subject_type="user"
    ):
        found = as_dict(grant)
        if found.get("audience") == identifier:
            return found
    return None


def _find_connection(client: Auth0, name: str) -> dict[str, Any] | None:
    for connection in client.connections.list(name=name):
        found = as_dict(connection)
        if found.get("name") == name:
            return found
    return None


def _create(
    what: str, create: Callable[[], object], find: Callable[[], dict[str, Any] | None]
) -> Callable[[], object]:
    """`create`, never repeated: after a 409 or 5xx, read again and go on with what exists."""

    def run() -> object:
        try:
            return create()
        except ApiError as error:
            status = error.status_code or 0
            if status != 409 and status < 500:
                raise
            if find() is not None:
                return Recovered(
                    f"Auth0 answered {status} to creating {what}, which exists: continuing with it"
                )
            raise CreateFailed(
                f"Auth0 answered {status} to creating {what}, and reading again does not find it. Nothing "
                "after it was changed; run ./scripts/auth0-setup --apply again"
            ) from None

    return run


def _api_item(client: Auth0, desired: Desired, api: dict[str, Any] | None) -> Item:
    why = "the gateway accepts only RS256 tokens whose audience is this identifier"
    if api is None:
        return Item(
            "api",
            f"no API with identifier {desired.identifier}",
            f"create API {API_NAME!r} with identifier {desired.identifier}, RS256",
            why,
            _create(
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
                lambda: _find_api(client, desired.identifier),
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
        requires=("update:resource_servers",),
    )


def _third_party_item(client: Auth0, desired: Desired) -> Item:
    why = "ChatGPT and Claude register as third-party applications, which need this grant to get tokens"
    grant = _find_grant(client, desired.identifier)
    if grant is None:
        return Item(
            "third-party-access",
            "third-party applications have no user-delegated access to the API",
            f"authorize it with the scopes [{' '.join(desired.scopes)}]",
            why,
            _create(
                "the third-party applications' grant",
                lambda: client.client_grants.create(
                    audience=desired.identifier,
                    default_for="third_party_clients",
                    subject_type="user",
                    scope=list(desired.scopes),
                ),
                lambda: _find_grant(client, desired.identifier),
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
        requires=TENANT_SETTINGS,
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
        requires=TENANT_SETTINGS,
    )


def _issuer_item(client: Auth0, settings: dict[str, Any]) -> Item:
    # The dashboard's "Include Issuer in Authorization Responses" (Settings -> Advanced), which Auth0's
    # MCP guide turns on together with the Resource Parameter Compatibility Profile.
    if settings.get("authorization_response_iss_parameter_supported") is True:
        return Item("issuer-in-response", "authorization responses include the issuer (iss)")
    return Item(
        "issuer-in-response",
        "authorization responses do not include the issuer (iss)",
        "turn on Include Issuer in Authorization Responses",
        "with 'iss' on each redirect (RFC 9207) ChatGPT and Claude can tell your tenant's answer from "
        "another server's (mix-up attacks); clients that do not check it are unaffected",
        lambda: client.tenants.settings.update(authorization_response_iss_parameter_supported=True),
        requires=TENANT_SETTINGS,
        optional_feature=True,
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
        requires=TENANT_SETTINGS,
    )


def _display_name(connection: dict[str, Any]) -> str:
    """What to send as `display_name` so that a PATCH keeps it (Auth0 resets it to `name` otherwise)."""
    return str(connection.get("display_name") or connection["name"])


def _domain_level_item(client: Auth0, desired: Desired, connection: dict[str, Any] | None) -> Item:
    if connection is None:
        return Item("connection-domain-level", f"no connection named {desired.connection!r}", broken=True)
    if connection.get("is_domain_connection") is True:
        return Item("connection-domain-level", f"connection {desired.connection!r} is domain level")
    return Item(
        "connection-domain-level",
        f"connection {desired.connection!r} is not domain level",
        "promote it to domain level",
        "third-party applications can only use domain-level connections",
        lambda: client.connections.update(
            connection["id"], is_domain_connection=True, display_name=_display_name(connection)
        ),
        requires=("update:connections",),
    )


def _application_connections_item(
    desired: Desired, settings: dict[str, Any], connection: dict[str, Any] | None
) -> Item:
    """Checked, never changed: with a domain-level connection, "Enable Application Connections"
    (flags.enable_client_connections) is not needed. Auth0 enables a domain-level connection for every
    application, self-registered ones included; the flag only enables connections for applications
    created afterwards, and then all of them, social logins included (docs/deployment.md, step 6)."""
    flag = "on" if (settings.get("flags") or {}).get("enable_client_connections") is not False else "off"
    left = f"Enable Application Connections is {flag}, left as it is"
    if connection is None:
        return Item(
            "application-connections",
            f"self-registered applications have no connection to sign in with ({left})",
            broken=True,
        )
    if connection.get("is_domain_connection") is True:
        return Item(
            "application-connections",
            f"not needed: {desired.connection!r} is domain level, enabled for every application ({left})",
        )
    return Item(
        "application-connections",
        f"self-registered applications get {desired.connection!r} once it is domain level "
        f"(connection-domain-level; {left})",
    )


def _signups_item(client: Auth0, desired: Desired, connection: dict[str, Any] | None) -> Item:
    if connection is None:
        return Item("connection-signups", f"no connection named {desired.connection!r}", broken=True)
    read = connection.get("options")
    if not isinstance(read, dict):
        return Item(
            "connection-signups",
            f"sign-ups on {desired.connection!r} are unknown: Auth0 left the connection's options out (the "
            "token lacks read:connections_options); nothing is changed there",
            unknown=True,
        )
    # Auth0 replaces `options` whole: send back exactly what was read in this run, one key changed.
    options = copy.deepcopy(read)
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
        lambda: client.connections.update(
            connection["id"], options=options, display_name=_display_name(connection)
        ),
        requires=("update:connections", "update:connections_options"),
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
        requires=TENANT_SETTINGS,
        optional_feature=True,
    )
