"""GET /internal/status under real uvicorn: the numbers the gateway's status page shows.

A tool call that reaches the fixture upstream moves today's count for its service; a quota refusal is
counted as such; a second call for the same month is a cache hit; keys are reported as configured or
not, never shown; and the count survives a restart because it is kept in the cache file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_server.server import create_http_app
from mcp_server.status import STATUS_PATH
from tests.mcp_server.server_setup import FAKE_KEY, settings_for
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.uvicorn_thread import serve_in_thread

APT = "국토교통부_아파트 매매 실거래가 자료 (RTMSDataSvcAptTrade)"


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def call(base_url: str, tool: str, arguments: dict[str, Any]) -> Any:
    async with (
        httpx2.AsyncClient(timeout=30) as http,
        Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
    ):
        return await client.call_tool(tool, arguments)


def status(base_url: str) -> dict[str, Any]:
    response = httpx.get(base_url + STATUS_PATH, timeout=10)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    document: dict[str, Any] = response.json()
    return document


def by_service(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["service"]: row for row in document["upstream"]}


async def test_tool_calls_move_the_counts_and_a_restart_keeps_them(
    upstream: FixtureUpstream, tmp_path: Path
) -> None:
    settings = settings_for(upstream, CACHE_PATH=str(tmp_path / "cache.sqlite3"), DATA_GO_KR_DAILY_QUOTA=50)
    with serve_in_thread(create_http_app(settings)) as base_url:
        before = status(base_url)
        assert before["upstream"] == []
        assert before["keys"] == {"data_go_kr": True, "odcloud": True}
        assert FAKE_KEY not in str(before)

        trades = {"region_code": "11440", "year_month": "202501"}
        assert not (await call(base_url, "get_apartment_trades", trades)).is_error
        assert not (await call(base_url, "get_apartment_trades", trades)).is_error  # from the cache
        quota_refused = {"region_code": "11170", "year_month": "202501"}  # the fixture's gateway code 22
        refused = await call(base_url, "get_apartment_trades", quota_refused)
        assert refused.is_error

        after = status(base_url)
    apartment = by_service(after)[APT]
    pages = len(upstream.requests_to("RTMSDataSvcAptTrade"))
    assert apartment["requests"] == pages == apartment["answered"] + 1
    assert apartment["errors"] == {"quota": 1}
    assert apartment["last_error_kind"] == "quota"
    assert apartment["quota_used"] == pytest.approx(pages / 50)
    assert after["daily_quota"] == 50
    assert after["quota_resets_at"].endswith("T00:00+09:00")
    cache = after["cache"]
    assert (cache["enabled"], cache["months"], cache["hits_today"], cache["misses_today"]) == (True, 1, 1, 2)
    assert cache["hit_rate_today"] == pytest.approx(1 / 3, abs=1e-4)
    assert cache["bytes"] > 0

    with serve_in_thread(create_http_app(settings)) as base_url:  # a restart, same cache file
        assert by_service(status(base_url))[APT]["requests"] == pages


async def test_without_a_key_it_says_so_and_counts_nothing(upstream: FixtureUpstream) -> None:
    settings = settings_for(upstream, DATA_GO_KR_API_KEY=None)
    with serve_in_thread(create_http_app(settings)) as base_url:
        trades = {"region_code": "11440", "year_month": "202501"}
        result = await call(base_url, "get_apartment_trades", trades)
        document = status(base_url)
    assert result.is_error
    assert document["keys"] == {"data_go_kr": False, "odcloud": False}
    assert document["upstream"] == []
    assert document["cache"]["enabled"] is False
