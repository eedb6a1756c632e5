"""Paging: page 1, then the rest concurrently; a service that caps numOfRows is paged at its own size."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcp_server.errors import UpstreamQuotaError
from mcp_server.molit.cache import MonthCache
from mcp_server.molit.client import MolitClient
from mcp_server.molit.services import MOLIT_SERVICES
from mcp_server.upstream.http import UpstreamHttp
from tests.mcp_server.server_setup import settings_for
from tests.support.fixture_upstream import FixtureUpstream

APT = MOLIT_SERVICES["apt_trade"]


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.mark.parametrize(("page_size", "pages"), [(1000, 1), (250, 1), (249, 2), (100, 3), (7, 36)])
async def test_every_row_is_read_once_whatever_the_page_size(
    upstream: FixtureUpstream, page_size: int, pages: int
) -> None:
    settings = settings_for(upstream, molit_page_size=page_size)
    async with UpstreamHttp(settings) as http:
        month = await MolitClient(http, settings).fetch_month(APT, "11440", "202501")
    assert (month.total_count, len(month.items)) == (250, 250)
    assert len({tuple(sorted(item.items())) for item in month.items}) == 250
    assert len(upstream.request_log) == pages


async def test_a_service_that_caps_the_page_size_is_paged_at_its_own_size(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for 1000 rows, the stub answers at most 100 per page (as a capped service would)."""
    original = upstream._molit_data

    def capped(service: str, lawd: str, ymd: str, page_no: int, rows: int) -> bytes:
        return original(service, lawd, ymd, page_no, min(rows, 100))

    monkeypatch.setattr(upstream, "_molit_data", capped)
    settings = settings_for(upstream, molit_page_size=1000)
    async with UpstreamHttp(settings) as http:
        month = await MolitClient(http, settings).fetch_month(APT, "11440", "202501")
    assert len(month.items) == 250
    assert [q["numOfRows"] for _, q in upstream.request_log] == ["1000", "100", "100"]


async def test_an_empty_month_is_one_request(upstream: FixtureUpstream) -> None:
    settings = settings_for(upstream)
    async with UpstreamHttp(settings) as http:
        month = await MolitClient(http, settings).fetch_month(APT, "11440", "200511")
    assert (month.total_count, month.items, len(upstream.request_log)) == (0, [], 1)


async def test_a_short_read_is_reported_and_not_cached(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Pages past the second come back empty although totalCount says 250."""
    original = upstream._molit_data

    def short(service: str, lawd: str, ymd: str, page_no: int, rows: int) -> bytes:
        return original(service, lawd, ymd, 99 if page_no > 2 else page_no, rows)

    monkeypatch.setattr(upstream, "_molit_data", short)
    settings = settings_for(upstream, molit_page_size=100)
    cache = MonthCache(tmp_path / "cache.sqlite3")
    async with UpstreamHttp(settings) as http:
        month = await MolitClient(http, settings, cache).fetch_month(APT, "11440", "202501")
    assert (month.total_count, len(month.items)) == (250, 200)
    assert await cache.get(APT.key, "11440", "202501") is None


async def test_a_later_page_failure_is_raised_as_itself_and_leaves_the_caller_uncancelled(
    upstream: FixtureUpstream,
) -> None:
    """LAWD 11350: page 1 is data, pages 2+ answer gateway code 22 (quota)."""
    settings = settings_for(upstream, molit_page_size=100)
    async with UpstreamHttp(settings) as http:
        with pytest.raises(UpstreamQuotaError):
            await MolitClient(http, settings).fetch_month(APT, "11350", "202501")
    task = asyncio.current_task()
    assert task is not None
    assert task.cancelling() == 0  # the MCP session's task must go on normally
