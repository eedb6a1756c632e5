"""docs/deployment.md and ./scripts/auth0-setup agree: every FAIL and UNKNOWN line the command can print
is explained in the troubleshooting guide, and the permissions the guide tells operators to grant are
enough for every change the command makes.

An operator follows the guide, not the code; if the two drift apart, a setup stops halfway with a
permission error or a FAIL nobody can look up (auth0_admin/tenant_setup/fixes.py holds the identifiers).
"""

from __future__ import annotations

import re

import pytest

from auth0_admin.tenant_setup.fixes import FIXES, UNKNOWN_FIXES
from tests.auth0_admin.conftest import IDENTIFIER, documented_permissions, section
from tests.auth0_admin.setup_support import OPTIONS_SCOPES, Run
from tests.support.fake_auth0_management.api import FakeManagementApi


def test_every_fail_identifier_is_explained_in_the_troubleshooting_guide() -> None:
    failures = section("### auth0-setup FAIL lines")

    documented = set(re.findall(r"^\| `([a-z-]+)` \|", failures, re.M))
    assert documented == set(FIXES)
    unknown = section("#### auth0-setup UNKNOWN lines")
    assert set(re.findall(r"^\| `([a-z-]+)` \|", unknown, re.M)) == set(UNKNOWN_FIXES)


@pytest.mark.parametrize("tenant", ["fresh", "half-done"])
def test_the_documented_permissions_are_enough_for_every_change(
    setup: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch, tenant: str
) -> None:
    permissions = documented_permissions("./scripts/auth0-setup")
    assert permissions >= OPTIONS_SCOPES
    fake.granted_scopes = set(permissions)
    if tenant == "half-done":  # every update path instead of the creates
        monkeypatch.setenv("OAUTH_SCOPES", "mcp:use")
        fake.resource_servers.append(
            {"id": "rs-mcp", "name": "mine", "identifier": IDENTIFIER, "signing_alg": "HS256", "scopes": []}
        )
        fake.client_grants.append(
            {
                "id": "cgr_1",
                "audience": IDENTIFIER,
                "default_for": "third_party_clients",
                "subject_type": "user",
                "scope": [],
            }
        )

    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    assert result.lines[-1] == "all items PASS"
