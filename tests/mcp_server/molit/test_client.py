"""Paging: page 1, then the rest concurrently; a service that caps numOfRows is paged at its own size.
Single flight: concurrent requests for one month share one fetch. Recent months are kept in memory."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import Client

from mcp_server.errors import UpstreamAuthError, UpstreamQuotaError
from mcp_server.kst import now_kst
from mcp_server.molit.cache import MonthCache
from mcp_server.molit.client import MolitClient, MonthRows
from mcp_server.molit.services import MOLIT_SERVICES
from mcp_server.upstream.http import UpstreamHttp
from tests.mcp_server.server_setup import server_for, settings_for
from tests.support.fixture_upstream.server import FixtureUpstream

APT = MOLIT_SERVICES["apt_trade"]


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.mark.parametrize(("page_size", "pages"), [(1000, 1), (250, 1), (249, 2), (100, 3), (7, 36)])
async def test_every_row_is_read_once_whatever_the_page_size(
    upstream: FixtureUpstream, page_size: int, pages: int
) -> None:
    settings = settings_for(upstream, MOLIT_PAGE_SIZE=page_size)
    async with UpstreamHttp(settings) as http:
        month = await MolitClient(http, settings).fetch_month(APT, "11440", "202501")
    assert (month.total_count, len(month.items)) == (250, 250)
    assert len({tuple(sorted(item.items())) for item in month.items}) == 250
    assert len(upstream.request_log) == pages


async def test_a_service_that_caps_the_page_size_is_paged_at_its_own_size(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for 1000 rows, the stub answers at most 100 per page (as a capped service would)."""
    original = upstream.molit.data

    def capped(service: str, lawd: str, ymd: str, page_no: int, rows: int) -> bytes:
        return original(service, lawd, ymd, page_no, min(rows, 100))

    monkeypatch.setattr(upstream.molit, "data", capped)
    settings = settings_for(upstream, MOLIT_PAGE_SIZE=1000)
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
    original = upstream.molit.data

    def short(service: str, lawd: str, ymd: str, page_no: int, rows: int) -> bytes:
        return original(service, lawd, ymd, 99 if page_no > 2 else page_no, rows)

    monkeypatch.setattr(upstream.molit, "data", short)
    settings = settings_for(upstream, MOLIT_PAGE_SIZE=100)
    cache = MonthCache(tmp_path / "cache.sqlite3")
    async with UpstreamHttp(settings) as http:
        month = await MolitClient(http, settings, cache).fetch_month(APT, "11440", "202501")
    assert (month.total_count, len(month.items)) == (250, 200)
    assert await cache.get(APT.key, "11440", "202501") is None


async def test_a_later_page_failure_is_raised_as_itself_and_leaves_the_caller_uncancelled(
    upstream: FixtureUpstream,
) -> None:
    """LAWD 11350: page 1 is data, pages 2+ answer gateway code 22 (quota)."""
    settings = settings_for(upstream, MOLIT_PAGE_SIZE=100)
    async with UpstreamHttp(settings) as http:
        with pytest.raises(UpstreamQuotaError):
            await MolitClient(http, settings).fetch_month(APT, "11350", "202501")
    task = asyncio.current_task()
    assert task is not None
    assert task.cancelling() == 0  # the MCP session's task must go on normally


class HeldUpstream:
    """Holds every MOLIT answer until released, and says when the first request has arrived."""

    def __init__(self, upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        original = upstream.molit.answer

        def held(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
            self.arrived.set()
            self.release.wait(timeout=30)
            return original(path, query)

        monkeypatch.setattr(upstream.molit, "answer", held)

    async def wait_for_first_request(self) -> None:
        assert await asyncio.to_thread(self.arrived.wait, 30)


async def test_concurrent_requests_for_one_month_share_one_fetch(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldUpstream(upstream, monkeypatch)
    settings = settings_for(upstream, MOLIT_PAGE_SIZE=1000)
    async with UpstreamHttp(settings) as http:
        client = MolitClient(http, settings)
        callers = [asyncio.create_task(client.fetch_month(APT, "11440", "202501")) for _ in range(5)]
        other = asyncio.create_task(client.fetch_month(MOLIT_SERVICES["apt_rent"], "11440", "202501"))
        await held.wait_for_first_request()
        assert not any(caller.done() for caller in callers)  # everyone is waiting for the answer
        held.release.set()
        months = await asyncio.gather(*callers)
        await other
    assert [len(month.items) for month in months] == [250] * 5
    assert len(upstream.requests_to("RTMSDataSvcAptTrade")) == 1
    assert len(upstream.requests_to("RTMSDataSvcAptRent")) == 1  # another service is another fetch


async def test_concurrent_tool_calls_for_one_month_cost_one_upstream_request(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldUpstream(upstream, monkeypatch)
    results = []
    args = {"region_code": "11440", "year_month": "202501"}
    async with Client(server_for(upstream, MOLIT_PAGE_SIZE=1000)) as client:

        async def call() -> None:
            results.append(await client.call_tool("get_apartment_trades", args))

        async with anyio.create_task_group() as group:
            for _ in range(4):
                group.start_soon(call)
            await held.wait_for_first_request()
            held.release.set()
    assert [result.structured_content["summary"]["sample_count"] for result in results] == [244] * 4
    assert len(upstream.request_log) == 1


async def test_a_shared_fetch_that_fails_fails_for_every_caller_and_is_not_kept(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """LAWD 11110: gateway code 30 (key not registered), which is not retried."""
    held = HeldUpstream(upstream, monkeypatch)
    settings = settings_for(upstream)
    async with UpstreamHttp(settings) as http:
        client = MolitClient(http, settings, MonthCache(tmp_path / "cache.sqlite3"))
        callers = [asyncio.create_task(client.fetch_month(APT, "11110", "202501")) for _ in range(3)]
        await held.wait_for_first_request()
        held.release.set()
        outcomes = await asyncio.gather(*callers, return_exceptions=True)
        assert all(isinstance(outcome, UpstreamAuthError) for outcome in outcomes)
        with pytest.raises(UpstreamAuthError):
            await client.fetch_month(APT, "11110", "202501")
    assert len(upstream.request_log) == 2


async def test_a_cached_month_is_kept_in_memory_until_it_expires(
    upstream: FixtureUpstream, tmp_path: Path
) -> None:
    settings = settings_for(upstream, MOLIT_PAGE_SIZE=1000)
    async with UpstreamHttp(settings) as http:
        client = MolitClient(http, settings, MonthCache(tmp_path / "kept.sqlite3"))
        first = await client.fetch_month(APT, "11440", "202501")
        again = await client.fetch_month(APT, "11440", "202501")
        assert (first.from_cache, again.from_cache, again.items) == (False, True, first.items)
        assert again is await client.fetch_month(APT, "11440", "202501")
        assert len(upstream.request_log) == 1

        expiring = MolitClient(http, settings, MonthCache(tmp_path / "expired.sqlite3", settled_ttl=-1))
        await expiring.fetch_month(APT, "11440", "202501")
        assert (await expiring.fetch_month(APT, "11440", "202501")).from_cache is False
    assert len(upstream.request_log) == 3


def test_what_is_derived_from_a_month_is_derived_once() -> None:
    month = MonthRows(1, [{"dealAmount": "1"}], now_kst(), True)
    calls: list[int] = []
    for _ in range(3):
        assert month.memo("n", lambda: calls.append(1) or len(calls)) == 1
    assert calls == [1]
