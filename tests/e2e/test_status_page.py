"""What Caddy does with the status page's paths: / and /status.json reach the gateway, the MCP server's
/internal/status never leaves the internal network, and STATUS_PAGE=off leaves nothing at /. (With the
gateway down Caddy itself says so at /: tests/e2e/test_fail_closed.py.)"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.stack_processes import RecordingMcpServer, Stack, Stacks


@pytest.fixture(scope="module")
def stacks(open_stack: Stack, module_stacks: Stacks) -> dict[str, Stack]:
    return {"on": open_stack, "off": module_stacks.start("status-off", AUTH_MODE="none", STATUS_PAGE="off")}


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
