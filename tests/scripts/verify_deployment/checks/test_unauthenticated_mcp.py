"""POST /mcp without a token: 401 with the challenge that points at the resource document."""

from __future__ import annotations

import pytest
from verify_deployment.checks.unauthenticated_mcp import check_unauthenticated_mcp
from verify_deployment.report import Report

from tests.e2e.fake_deployment import Answer, FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import printed


def answer(server: FakeServer, reply: Answer) -> Report:
    server.routes[("POST", "/mcp")] = reply
    report = Report()
    check_unauthenticated_mcp(report, server.url)
    return report


def test_the_challenge_passes(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    challenge = f'Bearer resource_metadata="{server.url}/.well-known/oauth-protected-resource/mcp"'

    report = answer(server, json_answer(401, {}, **{"WWW-Authenticate": challenge}))

    assert printed(capsys) == ["PASS  POST /mcp without a token: 401 with WWW-Authenticate resource_metadata"]
    assert report.failures == 0
    (request,) = server.posted_json("/mcp")
    assert request == {"jsonrpc": "2.0", "id": 1, "method": "ping"}


def test_a_server_open_to_anyone_is_named(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    answer(server, json_answer(200, {"jsonrpc": "2.0", "id": 1, "result": {}}))

    assert printed(capsys) == [
        "FAIL  [open-to-anyone] POST /mcp without a token answered HTTP 200, not 401",
        "      -> AUTH_MODE is not oauth, so anyone can use this server: set AUTH_MODE=oauth in .env, then "
        "docker compose up -d",
    ]


def test_another_status_points_at_the_gateway(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    answer(server, (502, {}, b""))

    assert printed(capsys) == [
        "FAIL  [unauthenticated-mcp] POST /mcp without a token answered HTTP 502, not 401",
        "      -> expected 401 from the auth gateway (docker compose logs auth-gateway)",
    ]


def test_a_challenge_without_the_document_names_public_base_url(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = 'Bearer resource_metadata="https://old.example/.well-known/oauth-protected-resource/mcp"'

    answer(server, json_answer(401, {}, **{"WWW-Authenticate": wrong}))

    failed, fix = printed(capsys)
    assert failed == (
        f"FAIL  [www-authenticate] 401 but WWW-Authenticate is '{wrong}'; clients need Bearer "
        f'resource_metadata="{server.url}/.well-known/oauth-protected-resource/mcp"'
    )
    assert fix == f"      -> set PUBLIC_BASE_URL={server.url} in .env, then docker compose up -d"


def test_an_unreachable_endpoint(nothing_listens: str, capsys: pytest.CaptureFixture[str]) -> None:
    check_unauthenticated_mcp(Report(), nothing_listens)

    failed, fix = printed(capsys)
    assert failed.startswith("FAIL  [unauthenticated-mcp] POST /mcp failed (")
    assert fix == "      -> check the stack is running"
