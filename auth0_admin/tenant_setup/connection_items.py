"""The items about the login connection: domain level (so self-registered applications can use it),
whether "Enable Application Connections" matters (it does not, and is only read), and sign-ups.

A connection is where a careless PATCH does the most damage on a real tenant, so every PATCH here is
shaped by two rules:
- A PATCH carrying `options` replaces them whole (password policy, MFA, brute-force protection, custom
  scripts...), and Auth0 leaves `options` out of its answers unless the token has
  read:connections_options. So `options` are sent only as read, complete, in this same run; without
  them the sign-ups item is UNKNOWN and nothing is sent there.
- A PATCH without `display_name` resets it to the connection's name (the login button's label), so
  every PATCH sends the current one back.

Requests (Auth0 Management API v2), all through the SDK:
  PATCH /api/v2/connections/{id}   is_domain_connection, options; always with display_name
  (flags.enable_client_connections comes from plan.py's GET /api/v2/tenants/settings, only read)
"""

from __future__ import annotations

import copy
from typing import Any

from auth0.management import Auth0

from auth0_admin.tenant_setup.items import Desired, Item

__all__ = ["application_connections_item", "domain_level_item", "signups_item"]


def _display_name(connection: dict[str, Any]) -> str:
    """What to send as `display_name` so that a PATCH keeps it (Auth0 resets it to `name` otherwise)."""
    return str(connection.get("display_name") or connection["name"])


def domain_level_item(client: Auth0, desired: Desired, connection: dict[str, Any] | None) -> Item:
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


def application_connections_item(
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


def signups_item(client: Auth0, desired: Desired, connection: dict[str, Any] | None) -> Item:
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
