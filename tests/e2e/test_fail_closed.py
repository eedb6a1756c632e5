"""Fail closed: with the gateway down, /mcp through Caddy is refused and nothing reaches the MCP server.

AUTH_MODE=none makes the point sharpest: the gateway would let everything through, so a Caddyfile that
skipped forward_auth when the gateway is unreachable would be caught here.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.mcp_client import MCP_HEADERS, PING
from tests.e2e.stack_processes import RecordingMcpServer, Stack, start_stack


@pytest.fixture
def open_stack(tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer) -> Iterator[Stack]:
    stack = start_stack(tmp_path_factory.mktemp("fail-closed"), mcp_server, AUTH_MODE="none")
    yield stack
    stack.stop()


def test_requests_stop_at_caddy_when_the_gateway_is_down(open_stack: Stack) -> None:
    open_stack.mcp.new_requests()
    assert httpx.post(f"{open_stack.url}/mcp", content=PING, headers=MCP_HEADERS).status_code == 200
    assert len(open_stack.mcp.new_requests()) == 1  # the stack works while the gateway is up

    open_stack.gateway.stop()
    statuses = [
        httpx.post(f"{open_stack.url}/mcp", content=PING, headers=MCP_HEADERS).status_code,
        httpx.get(f"{open_stack.url}/mcp", headers=MCP_HEADERS).status_code,
        httpx.post(f"{open_stack.url}/oauth/token", data={"grant_type": "client_credentials"}).status_code,
    ]

    assert all(status in (502, 503) for status in statuses), statuses
    assert open_stack.mcp.new_requests() == []
