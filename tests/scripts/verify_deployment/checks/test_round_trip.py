"""--client-credentials-from: authorize → token → /mcp → refresh with the .env client, against a
loopback gateway (fake_gateway.py) that each test misconfigures in one way."""

from __future__ import annotations

import pytest
from verify_deployment.checks import round_trip
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import checked, printed
from tests.scripts.verify_deployment.fake_gateway import CLIENT_ID, SECRET, built_in_like

GATEWAY_FIX = (
    "      -> the gateway does not serve it: check docker compose logs auth-gateway and the Caddyfile's "
    "/oauth/* route"
)


def run(server: FakeServer, *, client_id: str | None = CLIENT_ID, secret: str | None = SECRET) -> Report:
    deployment = Deployment(server.url, credentials_file=".env", credentials=(client_id, secret))
    deployment.issuer = server.url
    deployment.metadata = dict(
        issuer=server.url,
        authorization_endpoint=server.url + "/oauth/authorize",
        token_endpoint=server.url + "/oauth/token",
    )
    return checked(round_trip.run, deployment)


def test_the_whole_round_trip_passes_step_by_step(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    built_in_like(server)

    report = run(server)

    assert printed(capsys) == [
        "PASS  authorization code + PKCE: /oauth/authorize redirected to the client with a code",
        "PASS  ChatGPT's per-app callback is allowed "
        "(https://chatgpt.com/connector/oauth/verify-deployment-check)",
        "PASS  code exchanged at the token endpoint for an access and a refresh token",
        "PASS  POST /mcp with that access token is let through",
        "PASS  refresh token exchanged for new tokens",
    ]
    assert report.failures == 0
    grants = [body for method, path, body in server.requests if path == "/oauth/token"]
    assert b"grant_type=authorization_code" in grants[0]
    assert b"code_verifier=" in grants[0]
    assert grants[1] == b"grant_type=refresh_token&refresh_token=refresh-1"


def test_a_file_without_the_client_says_what_to_pass(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    run(server, secret=None)

    assert printed(capsys) == [
        "FAIL  [credentials-file] the credentials file has no OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET",
        "      -> pass the .env the stack runs with (./scripts/init-env creates both)",
    ]
    assert server.requests == []


def test_an_external_issuer_skips_it_with_a_note(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = Deployment(server.url, credentials_file=".env", credentials=(CLIENT_ID, SECRET))
    deployment.issuer, deployment.metadata = "https://tenant.example/", {"issuer": "https://tenant.example/"}

    round_trip.run(Report(), deployment)

    assert printed(capsys) == [
        "NOTE  authorization code round trip skipped: the authorization server is not this gateway"
    ]


def test_without_the_option_nothing_runs(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    deployment = Deployment(server.url, issuer=server.url, metadata={"issuer": server.url})

    round_trip.run(Report(), deployment)

    assert printed(capsys) == []
    assert server.requests == []


def test_an_unknown_client_id_is_named(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    built_in_like(server)

    report = run(server, client_id="not-the-gateways")

    assert printed(capsys) == [
        "FAIL  [round-trip-client-id] authorization request answered HTTP 400, not a redirect to the client",
        "      -> OAUTH_CLIENT_ID in the file must be the gateway's (docker compose up -d after editing "
        ".env)",
    ]
    assert report.failures == 1


@pytest.mark.parametrize(
    ("query", "failed"),
    [
        ("error=access_denied&error_description=no", "authorization refused: access_denied: no"),
        (
            "code=c&state=guess&iss=https://other.example",
            "the authorization response's state or iss is wrong",
        ),
    ],
)
def test_a_redirect_without_a_good_code_is_a_refused_authorization(
    server: FakeServer, capsys: pytest.CaptureFixture[str], query: str, failed: str
) -> None:
    location = "http://127.0.0.1:9/verify-deployment/callback?" + query
    server.routes[("GET", "/oauth/authorize")] = (302, {"Location": location}, b"")

    run(server)

    assert printed(capsys) == ["FAIL  [round-trip-authorize] " + failed, GATEWAY_FIX]


def test_a_wrong_secret_is_named_and_never_printed(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    built_in_like(server, secret="the-gateways-own-secret")

    report = run(server)

    lines = printed(capsys)
    assert lines[-2:] == [
        "FAIL  [round-trip-secret] code exchange answered HTTP 401 (invalid_client: wrong client secret)",
        "      -> OAUTH_CLIENT_SECRET in the file is not the gateway's (docker compose up -d after editing "
        ".env)",
    ]
    assert report.failures == 1
    assert SECRET not in "\n".join(lines)


def test_another_token_error_points_at_the_gateway(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    built_in_like(server)
    server.bearer_routes[("POST", "/oauth/token")] = json_answer(400, {"error": "invalid_grant"})

    run(server)

    assert printed(capsys)[-2:] == [
        "FAIL  [round-trip-token] code exchange answered HTTP 400 (invalid_grant: None)",
        GATEWAY_FIX,
    ]


def test_a_failed_refresh_is_the_last_step_named(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    built_in_like(server, refresh=json_answer(400, {"error": "invalid_grant", "error_description": "reused"}))

    report = run(server)

    assert printed(capsys)[-3:] == [
        "PASS  POST /mcp with that access token is let through",
        "FAIL  [round-trip-refresh] refresh answered HTTP 400 (invalid_grant: reused)",
        GATEWAY_FIX,
    ]
    assert report.failures == 1


def test_an_unreachable_authorization_endpoint(
    nothing_listens: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = Report()
    round_trip.check_authorization_code_round_trip(
        report, nothing_listens, {"authorization_endpoint": nothing_listens + "/a"}, CLIENT_ID, SECRET
    )

    failed, fix = printed(capsys)
    assert failed.startswith("FAIL  [round-trip-authorize] authorization request failed (")
    assert fix == GATEWAY_FIX
