"""Fail closed: with the gateway down, /mcp through Caddy is refused and nothing reaches the MCP server,
while Caddy itself says at / (the status page's place) what is wrong.

AUTH_MODE=none makes the point sharpest: the gateway would let everything through, so a Caddyfile that
skipped forward_auth when the gateway is unreachable would be caught here.
"""

from __future__ import annotations

import httpx

from tests.e2e.mcp_client import MCP_HEADERS, PING
from tests.e2e.stack_processes import Stacks


def test_requests_stop_at_caddy_when_the_gateway_is_down(stacks: Stacks) -> None:
    stack = stacks.start("fail-closed", AUTH_MODE="none")
    stack.mcp.new_requests()
    assert httpx.post(f"{stack.url}/mcp", content=PING, headers=MCP_HEADERS).status_code == 200
    assert len(stack.mcp.new_requests()) == 1  # the stack works while the gateway is up

    stack.gateway.stop()
    posted = httpx.post(f"{stack.url}/mcp", content=PING, headers=MCP_HEADERS)
    statuses = [
        posted.status_code,
        httpx.get(f"{stack.url}/mcp", headers=MCP_HEADERS).status_code,
        httpx.post(f"{stack.url}/oauth/token", data={"grant_type": "client_credentials"}).status_code,
    ]
    page = httpx.get(stack.url + "/")

    assert all(status in (502, 503) for status in statuses), statuses
    assert posted.text == ""  # the /mcp answer is a bare 502: nothing of the status page's text
    assert stack.mcp.new_requests() == []
    assert page.status_code == 502
    assert "Caddy is up, but the auth gateway does not answer" in page.text
