"""--token: initialize → notifications/initialized → tools/list with the token, as a client does."""

from __future__ import annotations

import json
from email.message import Message

import pytest
from verify_deployment.checks.tools_list import check_tools_list
from verify_deployment.report import Report

from tests.e2e.fake_deployment import Answer, FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import printed

TOKEN = "header.payload.signature"


def mcp_server(server: FakeServer, listing: Answer, seen: list[Message]) -> None:
    """Initialize answers with a session and a protocol version; tools/list with `listing`."""

    def answer(_target: str, headers: Message, body: bytes) -> Answer:
        seen.append(headers)
        method = json.loads(body)["method"]
        if method == "initialize":
            result = {"jsonrpc": "2.0", "id": 1, "result": {"protocolVersion": "2025-03-26"}}
            return json_answer(200, result, **{"Mcp-Session-Id": "session-1"})
        if method == "notifications/initialized":
            return 202, {}, b""
        return listing

    server.bearer_routes[("POST", "/mcp")] = answer


def sse(message: object) -> Answer:
    return (
        200,
        {"Content-Type": "text/event-stream"},
        f"event: message\ndata: {json.dumps(message)}\n\n".encode(),
    )


def test_a_session_lists_the_tools(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[Message] = []
    mcp_server(
        server, sse({"jsonrpc": "2.0", "id": 2, "result": {"tools": [{"name": "a"}, {"name": "b"}]}}), seen
    )

    check_tools_list(Report(), server.url, TOKEN)

    assert printed(capsys) == ["PASS  tools/list with that token: 2 tools"]
    assert [headers["Authorization"] for headers in seen] == [f"Bearer {TOKEN}"] * 3
    assert [headers.get("Mcp-Session-Id") for headers in seen] == [None, "session-1", "session-1"]
    assert seen[2]["MCP-Protocol-Version"] == "2025-03-26"


def test_an_answer_without_a_tool_list_points_at_the_mcp_server(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    error = {"code": -32601, "message": "no tools"}
    mcp_server(server, json_answer(200, {"jsonrpc": "2.0", "id": 2, "error": error}), [])

    check_tools_list(Report(), server.url, TOKEN)

    failed, fix = printed(capsys)
    assert failed == "FAIL  [tools-list] tools/list answered without a tool list (" + repr(error) + ")"
    assert fix == "      -> docker compose logs mcp-server names the problem"


def test_a_refused_token_carries_the_gateways_reason(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    challenge = 'Bearer error="invalid_token", error_description="the token has expired"'
    server.bearer_routes[("POST", "/mcp")] = json_answer(401, {}, **{"WWW-Authenticate": challenge})

    check_tools_list(Report(), server.url, TOKEN)

    assert printed(capsys) == [
        "FAIL  [token-refused] initialize with that access token answered HTTP 401: the token has expired",
        "      -> docker compose logs auth-gateway names the reason (check PUBLIC_BASE_URL, and the token's "
        "claims "
        "above)",
    ]


def test_an_unreachable_server(nothing_listens: str, capsys: pytest.CaptureFixture[str]) -> None:
    check_tools_list(Report(), nothing_listens, TOKEN)

    failed, fix = printed(capsys)
    assert failed.startswith("FAIL  [tools-list] tools/list failed (")
    assert TOKEN not in failed
    assert fix == "      -> check the stack"
