"""PKCE S256, the two endpoints, and registration: a FAIL at Auth0, a NOTE for the built-in server."""

from __future__ import annotations

from typing import Any

import pytest
from verify_deployment.checks.capabilities import check_capabilities
from verify_deployment.report import Report

from tests.scripts.verify_deployment.conftest import printed

COMPLETE = {
    "authorization_endpoint": "https://t.example/authorize",
    "token_endpoint": "https://t.example/oauth/token",
    "registration_endpoint": "https://t.example/oidc/register",
    "code_challenge_methods_supported": ["S256"],
}
DCR_FIX = (
    "      -> Auth0: Settings > Advanced > Dynamic Client Registration on, or ./scripts/auth0-setup --apply "
    "(item dcr), or ./scripts/auth0-access open (docs/deployment.md section 4, step 5)"
)


def without(field: str) -> dict[str, Any]:
    return {name: value for name, value in COMPLETE.items() if name != field}


def test_everything_a_client_needs_passes(capsys: pytest.CaptureFixture[str]) -> None:
    check_capabilities(Report(), COMPLETE, built_in=False)

    assert printed(capsys) == [
        "PASS  dynamic client registration: https://t.example/oidc/register",
        "PASS  PKCE S256 supported",
    ]


def test_no_registration_at_auth0_fails_with_the_tenant_setting(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()

    check_capabilities(report, without("registration_endpoint"), built_in=False)

    assert printed(capsys)[:2] == [
        "FAIL  [registration-endpoint] no registration_endpoint: ChatGPT and Claude cannot register "
        "themselves",
        DCR_FIX,
    ]
    assert report.failures == 1


def test_no_registration_at_the_built_in_server_is_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()

    check_capabilities(report, without("registration_endpoint"), built_in=True)

    assert printed(capsys)[0] == (
        "NOTE  no registration_endpoint: Claude connects with OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET in its "
        "connector's Advanced settings; clients that register themselves need owner login "
        "(OWNER_PASSWORD_HASH, docs/deployment.md)"
    )
    assert report.failures == 0


def test_no_s256_fails(capsys: pytest.CaptureFixture[str]) -> None:
    check_capabilities(Report(), {**COMPLETE, "code_challenge_methods_supported": ["plain"]}, built_in=False)

    assert printed(capsys)[1:] == [
        "FAIL  [pkce] code_challenge_methods_supported is ['plain'], S256 is required",
        "      -> use an authorization server that supports PKCE S256 (Auth0 does)",
    ]


@pytest.mark.parametrize("field", ["authorization_endpoint", "token_endpoint"])
def test_a_missing_endpoint_fails(capsys: pytest.CaptureFixture[str], field: str) -> None:
    check_capabilities(Report(), without(field), built_in=False)

    assert printed(capsys)[2:] == [
        f"FAIL  [authorization-server-endpoints] authorization server metadata has no {field}",
        "      -> check the issuer configuration",
    ]
