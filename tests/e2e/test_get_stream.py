"""GET /mcp answers 405: the stateless server has no stream to offer (the MCP transport allows that).

Without the answer in the Caddyfile, the SDK's stateless transport opens an SSE stream on GET that never
carries a message and never ends, so every client that asks holds a connection at Caddy and at the MCP
server until it gives up. Clients that follow the spec (the SDK's among them) treat 405 as "no stream"
and keep working with POST.
"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.mcp_client import APARTMENT_MEDIAN_10K, MCP_HEADERS, apartment_trades, connect
from tests.e2e.stack_processes import Stack

SSE_HEADERS = {"Accept": "text/event-stream"}


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_get_and_delete_answer_405_at_once_without_reaching_the_mcp_server(
    open_stack: Stack, method: str
) -> None:
    open_stack.mcp.new_requests()

    # A stream would answer 200 and then never finish the body: the read timeout would end this call.
    response = httpx.request(method, f"{open_stack.url}/mcp", headers=SSE_HEADERS, timeout=10)

    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"POST", "OPTIONS"}
    assert open_stack.mcp.new_requests() == []


def test_without_a_token_get_is_still_answered_with_the_challenge(oidc_stack: Stack) -> None:
    """The 405 comes after the gateway: an anonymous GET learns where to log in, not what is allowed."""
    response = httpx.get(f"{oidc_stack.url}/mcp", headers=SSE_HEADERS, timeout=10)

    assert response.status_code == 401
    assert "resource_metadata=" in response.headers["WWW-Authenticate"]


async def test_the_sdk_client_works_against_the_405(open_stack: Stack) -> None:
    async with connect(f"{open_stack.url}/mcp", headers={"Accept": MCP_HEADERS["Accept"]}) as client:
        data = await apartment_trades(client)
        again = await apartment_trades(client)

    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
    # The same month both times; only the fetch time may differ (this server does not cache, so a call
    # that crosses a second boundary is stamped a second later).
    fetch_time = {"data_as_of": None, "source": None}
    assert {**again, **fetch_time} == {**data, **fetch_time}
