"""The test registration the script makes, and Auth0's refusals of it, each with the setting to fix.

A real stack's issuer (the OIDC test issuer) accepts every registration, so Auth0's refusals come from
a fake deployment (tests/e2e/fake_deployment.py): the registration must be exactly what ChatGPT sends,
and each refusal (DCR off, no public connection, a redirect URI or metadata not allowed, a rate limit,
Auth0's own error, no registration endpoint) must name the one Auth0 setting or command that fixes it.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.fake_deployment import FakeServer, auth0_like, json_answer
from tests.e2e.verify_deployment.support import CHATGPT_CALLBACK, failed_checks, failures, verify


def test_the_test_registration_is_what_chatgpt_sends(fakes: tuple[FakeServer, FakeServer]) -> None:
    resource, issuer = fakes
    auth0_like(resource, issuer)

    result = verify(resource.url)

    assert result.returncode == 0, result.stdout
    (request,) = issuer.posted_json("/oidc/register")
    assert request["redirect_uris"] == [CHATGPT_CALLBACK]
    assert request["token_endpoint_auth_method"] == "none"
    assert request["grant_types"] == ["authorization_code", "refresh_token"]
    assert "client fake-client (./scripts/auth0-access apps prune removes it later)" in result.stdout


@pytest.mark.parametrize(
    ("status", "answer", "check", "fix"),
    [
        (
            403,
            {"error": "access_denied", "error_description": "Dynamic client registration is disabled"},
            "registration-disabled",
            "Settings > Advanced > Dynamic Client Registration on",
        ),
        (404, {}, "registration-disabled", "./scripts/auth0-access open"),
        (
            400,
            {"error": "invalid_redirect_uri", "error_description": "redirect_uri not allowed"},
            "registration-redirect-uri",
            "allow that callback",
        ),
        (
            400,
            {"error": "invalid_client_metadata", "error_description": "invalid scope"},
            "registration-metadata",
            "OAUTH_SCOPES",
        ),
        (429, {"error": "too_many_requests"}, "registration-rate-limit", "wait a minute"),
        (500, {"error": "server_error"}, "registration", "Monitoring > Logs"),
    ],
)
def test_each_refused_registration_names_its_fix(
    fakes: tuple[FakeServer, FakeServer], status: int, answer: dict[str, str], check: str, fix: str
) -> None:
    resource, issuer = fakes
    auth0_like(resource, issuer, registration=json_answer(status, answer))

    result = verify(resource.url)

    assert result.returncode == 1
    assert failed_checks(result) == [check]
    assert f"HTTP {status}" in failures(result)[0]
    assert fix in result.stdout


def test_no_registration_endpoint_at_auth0_fails_with_the_dcr_fix(
    fakes: tuple[FakeServer, FakeServer],
) -> None:
    resource, issuer = fakes
    auth0_like(resource, issuer)
    status, _headers, body = issuer.routes[("GET", "/.well-known/oauth-authorization-server")]
    metadata = json.loads(body)
    del metadata["registration_endpoint"]
    issuer.routes[("GET", "/.well-known/oauth-authorization-server")] = json_answer(status, metadata)

    result = verify(resource.url)

    assert failed_checks(result) == ["registration-endpoint"]
    assert "auth0-setup --apply (item dcr)" in result.stdout
    assert issuer.posted_json("/oidc/register") == []
