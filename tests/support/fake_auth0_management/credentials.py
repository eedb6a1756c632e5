"""The fake tenant's identity and the client-credentials exchange that proves it (POST /oauth/token).

Shared by the fake and the tests that configure auth0_admin against it. The secret and the token carry
"must-never-be-printed" in their text so a test can grep any output for them and fail on a leak.
``ALL_SCOPES`` is what the M2M token carries by default: every Management API scope auth0_admin asks for.
"""

from __future__ import annotations

from typing import Any

DOMAIN = "tenant.example.auth0.com"
CLIENT_ID = "m2m-client-id"
CLIENT_SECRET = "m2m-client-secret-that-must-never-be-printed"
TOKEN = "management-api-token-that-must-never-be-printed"
MANAGEMENT_AUDIENCE = f"https://{DOMAIN}/api/v2/"
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


def token_exchange(body: Any, granted_scopes: set[str]) -> tuple[int, dict[str, str], Any]:
    """POST /oauth/token as Auth0 answers it: 401 for wrong credentials, 403 for another audience."""
    if body.get("client_id") != CLIENT_ID or body.get("client_secret") != CLIENT_SECRET:
        return 401, {}, {"error": "access_denied", "error_description": "Unauthorized"}
    if body.get("audience") != MANAGEMENT_AUDIENCE:
        return (
            403,
            {},
            {"error": "access_denied", "error_description": "Service not enabled within domain"},
        )
    answer = {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400}
    return 200, {}, {**answer, "scope": " ".join(sorted(granted_scopes))}
