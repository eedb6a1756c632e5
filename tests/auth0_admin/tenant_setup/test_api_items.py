"""The API item and its permissions (auth0_admin/tenant_setup/api_items.py), through ./scripts/auth0-setup.

On a half-done tenant the API and the third-party applications' grant already exist: the command must
fix the signing algorithm and add the OAUTH_SCOPES permissions next to whatever is there, never replace
an operator's own scopes, and then have nothing left to change.
"""

from __future__ import annotations

import pytest

from tests.auth0_admin.conftest import IDENTIFIER
from tests.auth0_admin.setup_support import Run
from tests.support.fake_auth0_management.api import FakeManagementApi


def test_scopes_are_defined_and_granted_next_to_what_exists(
    setup: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTH_SCOPES", "mcp:use mcp:admin")
    existing_scope = {"value": "read:other", "description": "kept"}
    fake.resource_servers.append(
        {
            "id": "rs-mcp",
            "name": "mine",
            "identifier": IDENTIFIER,
            "signing_alg": "HS256",
            "scopes": [existing_scope],
        }
    )
    fake.client_grants.append(
        {
            "id": "cgr_1",
            "audience": IDENTIFIER,
            "default_for": "third_party_clients",
            "subject_type": "user",
            "scope": ["mcp:use"],
        }
    )

    result = setup("--apply")

    assert result.code == 0, result.out
    described = [
        {"value": s, "description": "Use the real-estate-mcp tools"} for s in ("mcp:use", "mcp:admin")
    ]
    assert fake.changes()[:3] == [
        ("PATCH", "/api/v2/resource-servers/rs-mcp", {"signing_alg": "RS256"}),
        ("PATCH", "/api/v2/resource-servers/rs-mcp", {"scopes": [existing_scope, *described]}),
        ("PATCH", "/api/v2/client-grants/cgr_1", {"scope": ["mcp:use", "mcp:admin"]}),
    ]
    assert setup().lines[-1] == "nothing to change"
