"""The gateway killed while clients are calling, then started again as compose's restart policy would:
/mcp fails closed (502) while it is down and nothing reaches the MCP server, the same Caddy carries on
once it is back, and tokens issued before the crash still work (they are derived from the secret, not
stored). ./scripts/dev stops the whole stack instead (tests/e2e/test_dev_runner.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

import httpx
import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET, OWN_TOKENS_ONLY
from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    APARTMENT_TRADES,
    MCP_HEADERS,
    PING,
    apartment_trades,
    connect,
    own_token,
)
from tests.e2e.stack_processes import (
    VENV_BIN,
    Stack,
    Stacks,
    spawn,
    wait_for_http,
)

CLIENTS = 20


@pytest.fixture
def stack(stacks: Stacks) -> Stack:
    return stacks.start("gateway-restart", **OWN_TOKENS_ONLY)


@pytest.fixture
def token(stack: Stack) -> str:
    """Issued before the crash."""
    return own_token(stack.url, CLIENT_ID, CLIENT_SECRET)


def restart_gateway(stack: Stack) -> None:
    """What `restart: unless-stopped` does: the same program, configuration and port, a new process."""
    port = stack.gateway.port
    stack.gateway = spawn(
        "auth-gateway-restarted",
        [str(VENV_BIN / "python"), "-m", "auth_gateway", "--host", "127.0.0.1", "--port", str(port)],
        stack.env,
        stack.gateway.log_path.parent,
        port,
    )
    wait_for_http(stack.gateway, f"http://127.0.0.1:{port}/healthz")


async def ping_all(http: httpx.AsyncClient, url: str, token: str) -> list[int]:
    headers = {**MCP_HEADERS, "Authorization": f"Bearer {token}"}
    responses = await asyncio.gather(*(http.post(url, content=PING, headers=headers) for _ in range(CLIENTS)))
    return [response.status_code for response in responses]


async def test_mcp_fails_closed_while_the_gateway_is_down_and_recovers_without_restarting_caddy(
    stack: Stack, token: str
) -> None:
    url = f"{stack.url}/mcp"
    caddy_pid = stack.caddy.popen.pid
    async with httpx.AsyncClient(timeout=30) as http:
        assert await ping_all(http, url, token) == [200] * CLIENTS
        stack.mcp.new_requests()

        stack.gateway.stop(signal.SIGKILL)
        while_down = await ping_all(http, url, token)
        token_while_down = await http.post(
            f"{stack.url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(CLIENT_ID, CLIENT_SECRET),
        )
        reached = stack.mcp.new_requests()

        restart_gateway(stack)
        after = await ping_all(http, url, token)

    assert set(while_down) <= {502, 503}, while_down
    assert token_while_down.status_code in (502, 503)
    assert reached == []
    assert after == [200] * CLIENTS
    assert stack.caddy.alive()
    assert stack.caddy.popen.pid == caddy_pid
    async with connect(url, headers={"Authorization": f"Bearer {token}"}) as client:
        assert (await apartment_trades(client))["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K


async def test_connected_sdk_clients_get_errors_while_it_is_down_and_answers_once_it_is_back(
    stack: Stack, token: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{stack.url}/mcp"
    async with contextlib.AsyncExitStack() as stack_of_clients:
        clients = [
            await stack_of_clients.enter_async_context(connect(url, headers=headers)) for _ in range(4)
        ]
        before = await asyncio.gather(*(apartment_trades(client) for client in clients))

        stack.gateway.stop(signal.SIGKILL)
        during = await asyncio.gather(
            *(client.call_tool(*APARTMENT_TRADES) for client in clients), return_exceptions=True
        )
        await asyncio.to_thread(restart_gateway, stack)
        after = [await apartment_trades(client) for client in clients for _ in range(5)]

    assert [data["summary"]["median_price_10k"] for data in before] == [APARTMENT_MEDIAN_10K] * 4
    assert all(isinstance(outcome, Exception) for outcome in during), during
    assert [data["summary"]["median_price_10k"] for data in after] == [APARTMENT_MEDIAN_10K] * 20
