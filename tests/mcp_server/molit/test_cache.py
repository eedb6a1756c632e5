"""SQLite month cache: hits skip upstream, recent months expire sooner, errors are never cached."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from mcp import Client

from mcp_server.kst import KST, is_recent_month
from mcp_server.molit.cache import MonthCache
from tests.mcp_server.server_setup import server_for
from tests.support.fixture_upstream.server import FixtureUpstream

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=KST)


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.mark.parametrize(
    ("ymd", "recent"), [("202603", True), ("202602", True), ("202601", False), ("202512", False)]
)
def test_current_and_previous_month_count_as_recent(ymd: str, recent: bool) -> None:
    assert is_recent_month(ymd, NOW) is recent


async def test_round_trip_and_expiry(tmp_path: Path) -> None:
    cache = MonthCache(tmp_path / "sub" / "cache.sqlite3", recent_ttl=-1, settled_ttl=3600)
    rows = [{"dealAmount": "1,000", "aptNm": "가"}]
    await cache.put("apt_trade", "11440", "202001", 1, rows, NOW)
    await cache.put("apt_trade", "11440", "202603", 1, rows, NOW)
    hit = await cache.get("apt_trade", "11440", "202001")
    assert hit is not None
    assert (hit.total_count, hit.items, hit.fetched_at) == (1, rows, NOW)
    assert await cache.get("apt_trade", "11440", "202603") is None  # recent month already expired
    assert await cache.get("apt_rent", "11440", "202001") is None


async def test_an_unusable_cache_path_degrades_to_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = MonthCache(blocker / "cache.sqlite3")
    await cache.put("apt_trade", "11440", "202001", 0, [], NOW)
    assert await cache.get("apt_trade", "11440", "202001") is None


async def test_second_call_is_served_from_the_cache_file(upstream: FixtureUpstream, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    args = {"region_code": "11440", "year_month": "202501"}
    async with Client(server_for(upstream, CACHE_PATH=str(path), MOLIT_PAGE_SIZE=100)) as client:
        first = await client.call_tool("get_apartment_trades", args)
    async with Client(server_for(upstream, CACHE_PATH=str(path), MOLIT_PAGE_SIZE=100)) as client:
        second = await client.call_tool("get_apartment_trades", args)
    assert len(upstream.request_log) == 3
    assert (
        first.structured_content["source"]["from_cache"],
        second.structured_content["source"]["from_cache"],
    ) == (
        False,
        True,
    )
    assert second.structured_content["summary"] == first.structured_content["summary"]
    assert second.structured_content["data_as_of"] == first.structured_content["data_as_of"]


async def test_errors_are_not_cached(upstream: FixtureUpstream, tmp_path: Path) -> None:
    path = str(tmp_path / "cache.sqlite3")
    args = {"region_code": "11110", "year_month": "202501"}
    for _ in range(2):
        async with Client(server_for(upstream, CACHE_PATH=path)) as client:
            assert (await client.call_tool("get_apartment_trades", args)).is_error
    assert len(upstream.request_log) == 2
