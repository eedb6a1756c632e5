"""One test registration as ChatGPT makes it; each refusal Auth0 gives names the setting behind it."""

from __future__ import annotations

import pytest
from verify_deployment.checks import registration
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.e2e.fake_deployment import Answer, FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import checked, printed

CALLBACK = "https://chatgpt.com/connector/oauth/verify-deployment-check"


def register(server: FakeServer, answer: Answer, *, built_in: bool = False, skip: bool = False) -> Report:
    server.routes[("POST", "/oidc/register")] = answer
    metadata = {"registration_endpoint": server.url + "/oidc/register"}
    issuer = server.url if built_in else "https://tenant.example/"
    return checked(registration.run, Deployment(server.url, skip_dcr=skip, issuer=issuer, metadata=metadata))


def test_the_registration_is_what_chatgpt_sends(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    register(server, json_answer(201, {"client_id": "new-client"}))

    assert server.posted_json("/oidc/register") == [
        {
            "client_name": "verify-deployment test (safe to delete)",
            "redirect_uris": [CALLBACK],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
        }
    ]
    assert printed(capsys) == [
        "PASS  test registration with ChatGPT's redirect URI: client new-client "
        "(./scripts/auth0-access apps prune removes it later)"
    ]


def test_at_the_built_in_server_there_is_nothing_to_clean_up(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    register(server, json_answer(201, {"client_id": "c"}), built_in=True)

    assert printed(capsys) == [
        "PASS  test registration with ChatGPT's redirect URI: client c (nothing to clean up)"
    ]


def test_skip_dcr_registers_nothing(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    register(server, json_answer(201, {"client_id": "c"}), skip=True)

    assert printed(capsys) == ["NOTE  test registration skipped (--skip-dcr)"]
    assert server.requests == []


@pytest.mark.parametrize(
    ("answer", "failed", "fix"),
    [
        (
            json_answer(403, {"error": "access_denied", "error_description": "registration is disabled"}),
            "[registration-disabled] test registration refused: HTTP 403 (access_denied: registration is "
            "disabled)",
            "Dynamic Client Registration on",
        ),
        (
            json_answer(400, {"message": "Dynamic client registration not enabled"}),
            "[registration-disabled] test registration refused: HTTP 400 (: Dynamic client registration not "
            "enabled)",
            "./scripts/auth0-access open",
        ),
        (
            json_answer(400, {"error": "invalid_redirect_uri", "error_description": "no"}),
            f"[registration-redirect-uri] test registration refused ChatGPT's redirect URI {CALLBACK}: HTTP "
            "400 "
            "(invalid_redirect_uri: no)",
            "allow that callback (Auth0 accepts any https callback at registration",
        ),
        (
            json_answer(400, {"error": "invalid_client_metadata", "error_description": "invalid scope"}),
            "[registration-metadata] test registration refused the client metadata: HTTP 400 "
            "(invalid_client_metadata: invalid scope)",
            "set OAUTH_SCOPES to it (docs/deployment.md section 4, Scopes)",
        ),
        (
            json_answer(429, {}),
            "[registration-rate-limit] test registration rate-limited: HTTP 429",
            "wait a minute and run the check again",
        ),
        (
            (500, {}, b"oops"),
            "[registration] test registration failed: HTTP 500",
            "(Auth0: Monitoring > Logs)",
        ),
    ],
)
def test_each_refusal_names_its_setting(
    server: FakeServer, capsys: pytest.CaptureFixture[str], answer: Answer, failed: str, fix: str
) -> None:
    report = register(server, answer)

    line, fixed = printed(capsys)
    assert line == "FAIL  " + failed
    assert fix in fixed
    assert report.failures == 1


def test_a_refusal_at_the_built_in_server_names_owner_login(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    register(server, json_answer(404, {}), built_in=True)

    assert printed(capsys)[1] == (
        "      -> self-registration needs owner login: ./scripts/set-owner-password, then docker compose up "
        "-d"
    )


def test_an_endpoint_that_does_not_answer(nothing_listens: str, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = nothing_listens + "/oidc/register"

    registration.check_test_registration(Report(), {"registration_endpoint": endpoint}, built_in=False)

    failed, fix = printed(capsys)
    assert failed.startswith(f"FAIL  [registration] test registration at {endpoint} failed (")
    assert fix == (
        "      -> the metadata advertises an endpoint that does not answer: check the issuer configuration"
    )
