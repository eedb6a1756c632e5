"""./scripts/verify-deployment passes a correctly configured stack (plain http on loopback only).

With an Auth0-style issuer (the OIDC test issuer) and with the gateway's built-in authorization server,
whose authorization code round trip runs with the client from a .env file, every check passes; what a
healthy local stack still gets is a NOTE or the loopback warning, never a FAIL. These are the runs the
user sees when nothing is wrong, so they pin which checks ran, not only the exit status.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.stack_processes import Stack
from tests.e2e.verify_deployment.support import (
    CHATGPT_CALLBACK,
    dotenv,
    failures,
    passed_lines,
    verify,
    warned_checks,
)
from tests.support.oidc_issuer.issuer import OidcTestIssuer


def test_a_correct_stack_passes_every_check(oidc_stack: Stack, oidc_issuer: OidcTestIssuer) -> None:
    registered = set(oidc_issuer.clients)

    result = verify(oidc_stack.url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert failures(result) == []
    passed = "\n".join(line for line in result.stdout.splitlines() if line.startswith("PASS"))
    for check in ("reachable", "resource =", "issuer matches exactly", "401", "registration", "S256"):
        assert check in passed
    # The seed's fourth check: one registration, as ChatGPT makes it.
    (new,) = set(oidc_issuer.clients) - registered
    assert oidc_issuer.clients[new]["redirect_uris"] == [CHATGPT_CALLBACK]
    assert oidc_issuer.clients[new]["token_endpoint_auth_method"] == "none"
    assert f"test registration with ChatGPT's redirect URI: client {new}" in passed


def test_skip_dcr_registers_nothing(oidc_stack: Stack, oidc_issuer: OidcTestIssuer) -> None:
    before = oidc_issuer.hits["register"]

    result = verify(oidc_stack.url, "--skip-dcr")

    assert result.returncode == 0, result.stdout
    assert oidc_issuer.hits["register"] == before
    assert "NOTE  test registration skipped (--skip-dcr)" in result.stdout


def test_the_built_in_authorization_server_passes(misconfigured: dict[str, Stack]) -> None:
    result = verify(misconfigured["built_in"].url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert failures(result) == []
    passed = passed_lines(result)
    for check in (
        "issuer matches exactly",
        "S256",
        "authorization_endpoint answers",
        "token_endpoint answers",
    ):
        assert check in passed
    # Without owner login nothing registers itself; Claude uses the configured client instead.
    assert "NOTE  no registration_endpoint: Claude connects with OAUTH_CLIENT_ID" in result.stdout


def test_the_authorization_code_round_trip_with_the_env_file(
    misconfigured: dict[str, Stack], tmp_path: Path
) -> None:
    result = verify(
        misconfigured["built_in"].url, "--client-credentials-from", dotenv(tmp_path, CLIENT_ID, CLIENT_SECRET)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    passed = passed_lines(result)
    for step in (
        "redirected to the client with a code",
        "ChatGPT's per-app callback is allowed (https://chatgpt.com/connector/oauth/verify-deployment-check)",
        "access and a refresh token",
        "let through",
        "refresh",
    ):
        assert step in passed
    assert CLIENT_SECRET not in result.stdout + result.stderr


def test_the_round_trip_is_skipped_for_an_external_issuer(oidc_stack: Stack, tmp_path: Path) -> None:
    result = verify(oidc_stack.url, "--client-credentials-from", dotenv(tmp_path, CLIENT_ID, CLIENT_SECRET))

    assert result.returncode == 0, result.stdout
    assert "NOTE  authorization code round trip skipped" in result.stdout


def test_a_loopback_address_gets_a_warning_and_no_connector_advice(oidc_stack: Stack) -> None:
    result = verify(oidc_stack.url, "--skip-dcr")

    assert result.returncode == 0, result.stdout
    assert warned_checks(result) == ["not-public"]
    assert "ChatGPT and Claude connect from the internet and cannot reach it" in result.stdout
    assert "add the connector with URL" not in result.stdout
    assert "a local address: ChatGPT and Claude need your public https:// address" in result.stdout
