"""Identity headers are the gateway's word only: Caddy (>= 2.11.2) drops client-sent copies of the
forward_auth `copy_headers` even when the gateway's answer carries none (AUTH_MODE=none), so the MCP
server can never be told a made-up identity.
"""

from __future__ import annotations

import httpx

from tests.e2e.mcp_client import MCP_HEADERS, PING
from tests.e2e.stack_processes import Stack


def test_client_sent_identity_headers_never_reach_the_mcp_server(open_stack: Stack) -> None:
    open_stack.mcp.new_requests()
    spoofed = {"X-Auth-Subject": "admin", "X-Auth-Client-Id": "trusted-client", "Authorization": "Bearer x"}

    response = httpx.post(f"{open_stack.url}/mcp", content=PING, headers={**MCP_HEADERS, **spoofed})

    assert response.status_code == 200
    (received,) = open_stack.mcp.new_requests()
    assert {"x-auth-subject", "x-auth-client-id", "authorization"} & set(received["headers"]) == set()
