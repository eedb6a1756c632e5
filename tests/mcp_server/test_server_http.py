"""The HTTP app under real uvicorn: SDK streamable-HTTP client, Host checks, /healthz."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_server.server import create_http_app
from tests.mcp_server.server_setup import settings_for
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.uvicorn_thread import serve_in_thread

PUBLIC_HOST = "estate.example.net"


@pytest.fixture
def served() -> Iterator[tuple[str, FixtureUpstream]]:
    with FixtureUpstream() as upstream:
        settings = settings_for(
            upstream, PUBLIC_BASE_URL=f"https://{PUBLIC_HOST}", MCP_ALLOWED_HOSTS="extra.example.org:8443"
        )
        with serve_in_thread(create_http_app(settings)) as base_url:
            yield base_url, upstream


async def test_sdk_client_lists_and_calls_tools_with_the_public_host(
    served: tuple[str, FixtureUpstream],
) -> None:
    base_url, upstream = served
    async with (
        httpx2.AsyncClient(headers={"Host": PUBLIC_HOST}, timeout=30) as http,
        Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
    ):
        tools = await client.list_tools()
        names = {tool.name for tool in tools.tools}
        result = await client.call_tool(
            "get_apartment_trades", {"region_code": "11440", "year_month": "202501"}
        )
    assert {
        "get_apartment_trades",
        "get_apartment_rent",
        "get_region_code",
        "get_apt_subscription_info",
    } <= names
    apartment = next(t for t in tools.tools if t.name == "get_apartment_trades")
    assert apartment.output_schema is not None
    assert apartment.annotations is not None
    assert apartment.annotations.read_only_hint is True
    assert not result.is_error
    assert result.structured_content["summary"]["median_price_10k"] == 149800
    assert len(upstream.requests_to("RTMSDataSvcAptTrade")) == 1


_INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


def _post(base_url: str, host: str) -> httpx.Response:
    return httpx.post(
        f"{base_url}/mcp",
        content=json.dumps(_INIT),
        headers={
            "Host": host,
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
        },
        timeout=10,
    )


@pytest.mark.parametrize(
    "host", [PUBLIC_HOST, f"{PUBLIC_HOST}:443", "extra.example.org:8443", "mcp-server:8000"]
)
def test_configured_hosts_are_accepted(served: tuple[str, FixtureUpstream], host: str) -> None:
    assert _post(served[0], host).status_code == 200


@pytest.mark.parametrize("host", ["evil.example.com", "estate.example.net.evil.com", "extra.example.org"])
def test_other_hosts_are_rejected(served: tuple[str, FixtureUpstream], host: str) -> None:
    assert _post(served[0], host).status_code == 421


def test_healthz_answers_without_touching_upstream(served: tuple[str, FixtureUpstream]) -> None:
    base_url, upstream = served
    response = httpx.get(f"{base_url}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert upstream.request_log == []


async def test_progress_notifications_reach_a_remote_sdk_client(served: tuple[str, FixtureUpstream]) -> None:
    """ChatGPT and Claude call over HTTP: the range tools' progress must survive the transport."""
    base_url, _ = served
    seen: list[tuple[float, float | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total))

    args = {"region_code": "11440", "start_month": "202301", "end_month": "202303"}
    async with (
        httpx2.AsyncClient(headers={"Host": PUBLIC_HOST}, timeout=30) as http,
        Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
    ):
        result = await client.call_tool("get_price_trend", args, progress_callback=on_progress)
    assert not result.is_error
    assert seen == [(1, 3), (2, 3), (3, 3)]
