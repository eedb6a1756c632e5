"""Speaking to /mcp: reading JSON and SSE answers, and a token let through or refused with a reason."""

from __future__ import annotations

from email.message import Message

import pytest
from verify_deployment.mcp import check_mcp_with_token, mcp_headers, mcp_result
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import printed


def headers(content_type: str) -> Message:
    message = Message()
    message["Content-Type"] = content_type
    return message


def test_a_json_answer_and_an_sse_event_read_the_same() -> None:
    json_text = '{"jsonrpc": "2.0", "id": 1, "result": {"tools": []}}'
    progress = '{"jsonrpc": "2.0", "method": "notifications/progress"}'
    sse_text = f"event: message\ndata: {progress}\n\ndata: {json_text}\n\n"

    assert mcp_result(200, headers("application/json"), json_text) == mcp_result(
        200, headers("text/event-stream"), sse_text
    )
    assert mcp_result(200, headers("text/event-stream"), "data: nope\n") == {}


def test_the_headers_a_client_sends() -> None:
    assert mcp_headers(None) == {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
    }
    assert mcp_headers("t")["Authorization"] == "Bearer t"


def test_a_token_let_through(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.bearer_routes[("POST", "/mcp")] = json_answer(200, {"jsonrpc": "2.0", "id": 1, "result": {}})

    check_mcp_with_token(Report(), server.url, "access")

    assert printed(capsys) == ["PASS  POST /mcp with that access token is let through"]


def test_a_refused_token_with_the_gateways_reason(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    challenge = 'Bearer error="invalid_token", error_description="audience does not include it"'
    server.bearer_routes[("POST", "/mcp")] = json_answer(401, {}, **{"WWW-Authenticate": challenge})
    report = Report()

    check_mcp_with_token(report, server.url, "access")

    assert printed(capsys)[0] == (
        "FAIL  [token-refused] POST /mcp with that access token answered HTTP 401: audience does not "
        "include it"
    )
    assert report.failures == 1


def test_a_refusal_without_a_reason(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.bearer_routes[("POST", "/mcp")] = (403, {}, b"")

    check_mcp_with_token(Report(), server.url, "access")

    assert printed(capsys)[0] == "FAIL  [token-refused] POST /mcp with that access token answered HTTP 403"


def test_an_unreachable_server(nothing_listens: str, capsys: pytest.CaptureFixture[str]) -> None:
    check_mcp_with_token(Report(), nothing_listens, "access")

    failed, fix = printed(capsys)
    assert failed.startswith("FAIL  [token-refused] POST /mcp with the token failed (")
    assert fix == "      -> check the stack"
