"""What Caddy does with the status page's paths: / and /status.json reach the gateway, the MCP server's
/internal/status never leaves the internal network, STATUS_PAGE=off leaves nothing at /, and with the
gateway down Caddy itself says so at /."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.mcp_client import MCP_HEADERS, PING
from tests.e2e.stack_processes import RecordingMcpServer, Stack, start_stack


@pytest.fixture(scope="module")
def stacks(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer
) -> Iterator[dict[str, Stack]]:
    running = {
        "on": start_stack(tmp_path_factory.mktemp("status-on"), mcp_server, AUTH_MODE="none"),
        "off": start_stack(
            tmp_path_factory.mktemp("status-off"), mcp_server, AUTH_MODE="none", STATUS_PAGE="off"
        ),
    }
    yield running
    for stack in running.values():
        stack.stop()


def test_the_status_data_comes_through_caddy_but_the_internal_endpoint_does_not(
    stacks: dict[str, Stack], mcp_server: RecordingMcpServer
) -> None:
    url = stacks["on"].url
    mcp_server.new_requests()

    page = httpx.get(url + "/")
    document = httpx.get(url + "/status.json").json()
    internal = httpx.get(url + "/internal/status")

    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY"  # Caddy's security headers apply to it too
    assert document["components"] == {"caddy": "up", "auth_gateway": "up", "mcp_server": "up"}
    assert document["mcp_url"] == f"{url}/mcp"
    assert internal.status_code == 404
    asked = [request["path"] for request in mcp_server.new_requests()]
    assert asked == ["/internal/status", "/internal/status"]  # by the gateway, for / and /status.json


def test_status_page_off_leaves_nothing_at_the_root(stacks: dict[str, Stack]) -> None:
    url = stacks["off"].url

    assert httpx.get(url + "/").status_code == 404
    assert httpx.get(url + "/status.json").status_code == 404


def test_with_the_gateway_down_caddy_says_so_at_the_root_and_mcp_stays_closed(
    tmp_path: Path, mcp_server: RecordingMcpServer
) -> None:
    stack = start_stack(tmp_path, mcp_server, AUTH_MODE="none")
    try:
        stack.gateway.stop()
        page = httpx.get(stack.url + "/")
        mcp = httpx.post(stack.url + "/mcp", content=PING, headers=MCP_HEADERS)
    finally:
        stack.stop()

    assert page.status_code == 502
    assert "Caddy is up, but the auth gateway does not answer" in page.text
    assert mcp.status_code == 502
    assert mcp.text == ""  # the /mcp answer is unchanged: a bare 502, nothing reaches the MCP server
