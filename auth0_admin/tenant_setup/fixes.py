"""The fix printed with each FAIL or UNKNOWN item, keyed by the item's identifier.

The item keys are also the identifiers that the Troubleshooting section of docs/deployment.md explains,
so the words an operator sees and the guide they look them up in stay one table apart (tests/auth0_admin
checks that every key is documented there).
"""

from __future__ import annotations

from auth0_admin.errors import OPTIONS_SCOPES

__all__ = ["FIXES", "UNKNOWN_FIXES"]

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
