"""Fetches every row of one MOLIT month: page 1, then the remaining pages concurrently (bounded).

The reference server read only page 1 while reporting the month's ``totalCount``, so a 250-row month
gave statistics over 100 rows. Here every page is read (``upstream.paging``), and a few extra pages are
tried one by one when pages come back shorter than announced (docs/upstream-apis.md, 1.3). Whole months
go through the SQLite cache when one is configured; errors are never cached.

A cache hit should cost about what a trivial tool costs, so the months read recently are also kept in
memory (``_RECENT_MONTHS``, with the SQLite row's expiry) as the same ``MonthRows`` object, whose
``memo`` lets the reports parse its rows once rather than on every hit. Concurrent requests for the
same (service, region, month) share one fetch (single flight): a trend and a comparison asking for the
same month at once, or two clients, cost one set of upstream requests.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from mcp_server.config import Settings
from mcp_server.kst import now_kst
from mcp_server.molit.cache import MonthCache
from mcp_server.molit.services import MolitService
from mcp_server.regions.lineage.table import Lineage
from mcp_server.upstream.data_go_kr.bodies import parse_envelope
from mcp_server.upstream.http import RawResponse, UpstreamHttp
from mcp_server.upstream.paging import read_remaining_pages

__all__ = ["MolitClient", "MonthRows"]

logger = logging.getLogger(__name__)

# Safety net when pages come back shorter than announced: how many extra pages to try sequentially.
_MAX_EXTRA_PAGES = 20
# Months kept in memory in front of the SQLite cache (a busy 시군구 month is ~1 MB of rows).
_RECENT_MONTHS = 128

Rows = list[dict[str, str]]
MonthKey = tuple[str, str, str]  # service key, LAWD_CD, DEAL_YMD
T = TypeVar("T")


@dataclass(frozen=True)
class MonthRows:
    """All raw rows of a month as published, plus where and when they came from."""

    total_count: int
    items: Rows
    fetched_at: datetime
    from_cache: bool
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, once per ``key`` for these rows (e.g. the parsed items of one service).

        The rows never change once fetched, and a month kept in memory is handed out as the same
        object on every hit, so what is derived from it is derived once."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]


class MolitClient:
    def __init__(
        self,
        http: UpstreamHttp,
        settings: Settings,
        cache: MonthCache | None = None,
        *,
        lineage: Lineage | None = None,
    ) -> None:
        self.http = http
        # which code(s) hold a region's month across boundary changes (molit.history reads by it)
        self.lineage = lineage or Lineage.empty()
        self._settings = settings
        self._cache = cache
        self._recent: OrderedDict[MonthKey, tuple[float, MonthRows]] = OrderedDict()
        self._flights: dict[MonthKey, asyncio.Future[MonthRows]] = {}

    async def fetch_month(self, service: MolitService, lawd_cd: str, deal_ymd: str) -> MonthRows:
        """Every row of ``service`` for region ``lawd_cd`` and month ``deal_ymd`` (YYYYMM)."""
        key = self._settings.data_go_kr_key()  # ConfigurationError before any network use
        month_key = (service.key, lawd_cd, deal_ymd)
        recent = self._recall(month_key)
        if recent is not None:
            await self.http.usage.cache_hit()
            return recent
        flight = self._flights.get(month_key)
        if flight is not None:
            await self.http.usage.cache_hit()  # another caller's fetch serves this one too
        else:
            flight = asyncio.ensure_future(self._load(service, key, lawd_cd, deal_ymd))
            self._flights[month_key] = flight
            flight.add_done_callback(lambda done: self._land(month_key, done))
        # shield: a caller that goes away (client disconnected) does not cancel the others' fetch
        return await asyncio.shield(flight)

    def _land(self, month_key: MonthKey, flight: asyncio.Future[MonthRows]) -> None:
        del self._flights[month_key]
        if not flight.cancelled():
            flight.exception()  # retrieved here too, in case every caller went away

    def _recall(self, month_key: MonthKey) -> MonthRows | None:
        entry = self._recent.get(month_key)
        if entry is None:
            return None
        if entry[0] < time.time():
            del self._recent[month_key]
            return None
        self._recent.move_to_end(month_key)
        return entry[1]

    def _remember(self, month_key: MonthKey, expires_at: float, month: MonthRows) -> None:
        self._recent[month_key] = (expires_at, month)
        self._recent.move_to_end(month_key)
        while len(self._recent) > _RECENT_MONTHS:
            self._recent.popitem(last=False)

    async def _load(self, service: MolitService, key: str, lawd_cd: str, deal_ymd: str) -> MonthRows:
        month_key = (service.key, lawd_cd, deal_ymd)
        if self._cache is not None:
            cached = await self._cache.get(service.key, lawd_cd, deal_ymd)
            if cached is not None:
                month = MonthRows(cached.total_count, cached.items, cached.fetched_at, True)
                self._remember(month_key, cached.expires_at, month)
                await self.http.usage.cache_hit()
                return month
        await self.http.usage.cache_miss()
        fetched_at = now_kst()

        async def page(page_no: int, rows: int) -> tuple[int, Rows]:
            return await self._page(service, key, lawd_cd, deal_ymd, page_no, rows)

        size = self._settings.MOLIT_PAGE_SIZE
        first = await page(1, size)
        items = await read_remaining_pages(
            page,
            first,
            asked_size=size,
            concurrency=self._settings.MOLIT_PAGE_CONCURRENCY,
            extra_pages=_MAX_EXTRA_PAGES,
        )
        total = first[0]
        month = MonthRows(total, items, fetched_at, False)
        if len(items) < total:
            logger.warning(
                "%s %s %s: read %d of %d rows announced",
                service.short_name,
                lawd_cd,
                deal_ymd,
                len(items),
                total,
            )
        elif self._cache is not None:  # a short read is retried next time
            expires_at = await self._cache.put(service.key, lawd_cd, deal_ymd, total, items, fetched_at)
            # later hits share this fetch's memo: the rows are parsed once
            self._remember(month_key, expires_at, replace(month, from_cache=True))
        return month

    async def _page(
        self, service: MolitService, key: str, lawd_cd: str, deal_ymd: str, page_no: int, rows: int
    ) -> tuple[int, Rows]:
        label = service.display

        def interpret(raw: RawResponse) -> tuple[int, Rows]:
            page = parse_envelope(raw, label)
            return page.total_count, page.items

        return await self.http.get(
            f"{self._settings.DATA_GO_KR_BASE_URL}/{service.path}",
            params={
                "serviceKey": key,
                "LAWD_CD": lawd_cd,
                "DEAL_YMD": deal_ymd,
                "pageNo": str(page_no),
                "numOfRows": str(rows),
            },
            service=label,
            interpret=interpret,
        )
