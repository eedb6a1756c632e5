"""ChatGPT's per-app callback, https://chatgpt.com/connector/oauth/<id>, tried with the configured
client inside the round trip: a gateway that refuses it (one from before issue 14, which allowed only
the legacy connector_platform_oauth_redirect) fails the check with the diagnosis and its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from verify_deployment.checks.chatgpt_callback import check_chatgpt_callback
from verify_deployment.cli import main
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer
from tests.scripts.verify_deployment.conftest import printed
from tests.scripts.verify_deployment.fake_gateway import (
    CHATGPT_CALLBACK,
    CLIENT_ID,
    LEGACY_CHATGPT_CALLBACK,
    LOOPBACK,
    SECRET,
    built_in_like,
)

FIX = (
    "      -> update real-estate-mcp (git pull, docker compose up -d --build): older versions allow only the "
    "legacy https://chatgpt.com/connector_platform_oauth_redirect; meanwhile add ChatGPT's callback to "
    "OAUTH_REDIRECT_URIS"
)


def metadata(server: FakeServer) -> dict[str, Any]:
    return {"issuer": server.url, "authorization_endpoint": server.url + "/oauth/authorize"}


def test_an_allowed_callback_passes(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    built_in_like(server)
    report = Report()

    check_chatgpt_callback(report, metadata(server), CLIENT_ID, "challenge")

    assert printed(capsys) == [f"PASS  ChatGPT's per-app callback is allowed ({CHATGPT_CALLBACK})"]
    assert report.failures == 0


def test_a_gateway_that_refuses_the_per_app_callback_fails_with_the_diagnosis(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    built_in_like(server, allowed=(LOOPBACK, LEGACY_CHATGPT_CALLBACK))
    report = Report()

    check_chatgpt_callback(report, metadata(server), CLIENT_ID, "challenge")

    assert printed(capsys) == [
        "FAIL  [chatgpt-callback] the authorization request with ChatGPT's per-app callback "
        f"{CHATGPT_CALLBACK} "
        "answered HTTP 400, not a redirect to it",
        FIX,
    ]
    assert report.failures == 1
    (authorize,) = [path for method, path, _body in server.requests if method == "GET"]
    assert authorize == "/oauth/authorize"


def test_a_redirect_without_a_code_is_not_an_allowed_callback(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error sent back to the callback (RFC 6749 4.1.2.1) is a refusal too."""
    location = CHATGPT_CALLBACK + "?error=invalid_request&error_description=redirect_uri"
    server.routes[("GET", "/oauth/authorize")] = (302, {"Location": location}, b"")
    report = Report()

    check_chatgpt_callback(report, metadata(server), CLIENT_ID, "challenge")

    lines = printed(capsys)
    assert lines[0].startswith("FAIL  [chatgpt-callback] ")
    assert lines[0].endswith("answered HTTP 302, not a redirect to it")
    assert report.failures == 1


def test_an_unreachable_authorization_endpoint_names_the_gateway(
    nothing_listens: str, capsys: pytest.CaptureFixture[str]
) -> None:
    check_chatgpt_callback(
        Report(), {"authorization_endpoint": nothing_listens + "/oauth/authorize"}, "c", "x"
    )

    failed, fix = printed(capsys)
    assert failed.startswith(
        "FAIL  [chatgpt-callback] authorization request with ChatGPT's callback failed ("
    )
    assert "Connection refused" in failed
    assert fix == (
        "      -> the gateway does not serve it: check docker compose logs auth-gateway and the Caddyfile's "
        "/oauth/* route"
    )


def test_the_whole_run_fails_on_it_and_still_completes_the_round_trip(
    server: FakeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the user of an older gateway sees: everything else passes, this one check fails, exit 1."""
    built_in_like(server, allowed=(LOOPBACK, LEGACY_CHATGPT_CALLBACK))
    env = tmp_path / ".env"
    env.write_text(f"OAUTH_CLIENT_ID={CLIENT_ID}\nOAUTH_CLIENT_SECRET={SECRET}\n", encoding="utf-8")

    status = main(["verify-deployment", server.url, "--client-credentials-from", str(env)])

    output = capsys.readouterr().out
    assert status == 1
    assert [line[:4] for line in output.splitlines() if line[:4] == "FAIL"] == ["FAIL"]
    assert "FAIL  [chatgpt-callback] the authorization request with ChatGPT's per-app callback" in output
    assert FIX in output
    for step in (
        "redirected to the client with a code",
        "access and a refresh token",
        "let through",
        "refresh",
    ):
        assert step in output
    assert "\n1 check(s) failed: fix them before connecting ChatGPT or Claude.\n" in output
    assert SECRET not in output
