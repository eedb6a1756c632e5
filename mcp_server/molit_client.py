"""Fetches every row of one MOLIT month: page 1, then the remaining pages concurrently (bounded).

The reference server read only page 1 while reporting the month's ``totalCount``, so a 250-row month
gave statistics over 100 rows. Here the page count comes from ``totalCount`` and the size page 1
actually had (a service that caps ``numOfRows`` below ``MOLIT_PAGE_SIZE`` is paged at its own size),
and reading stops at rows ≥ totalCount or at an empty page (upstream-apis.md 1.3). Whole months go
through the SQLite cache when one is configured; errors are never cached.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from datetime import datetime

from mcp_server.cache import MonthCache
from mcp_server.config import Settings
from mcp_server.kst import now_kst
from mcp_server.molit_parser import MolitPage, parse_molit_response
from mcp_server.molit_services import MolitService
from mcp_server.upstream_http import RawResponse, UpstreamHttp, all_or_first_error

__all__ = ["MolitClient", "MonthRows"]

logger = logging.getLogger(__name__)

# Safety net when pages come back shorter than announced: how many extra pages to try sequentially.
_MAX_EXTRA_PAGES = 20


@dataclass(frozen=True)
class MonthRows:
    """All raw rows of a month as published, plus where and when they came from."""

    total_count: int
    items: list[dict[str, str]]
    fetched_at: datetime
    from_cache: bool
    pages: int


class MolitClient:
    def __init__(self, http: UpstreamHttp, settings: Settings, cache: MonthCache | None = None) -> None:
        self._http = http
        self._settings = settings
        self._cache = cache

    async def fetch_month(self, service: MolitService, lawd_cd: str, deal_ymd: str) -> MonthRows:
        """Every row of ``service`` for region ``lawd_cd`` and month ``deal_ymd`` (YYYYMM)."""
        key = self._settings.data_go_kr_key()  # ConfigurationError before any network use
        if self._cache is not None:
            cached = await self._cache.get(service.key, lawd_cd, deal_ymd)
            if cached is not None:
                return MonthRows(cached.total_count, cached.items, cached.fetched_at, True, 0)
        fetched_at = now_kst()
        total, items, pages = await self._fetch_all(service, key, lawd_cd, deal_ymd)
        if self._cache is not None and len(items) >= total:  # a short read is retried next time
            await self._cache.put(service.key, lawd_cd, deal_ymd, total, items, fetched_at)
        return MonthRows(total, items, fetched_at, False, pages)

    async def _fetch_all(
        self, service: MolitService, key: str, lawd_cd: str, deal_ymd: str
    ) -> tuple[int, list[dict[str, str]], int]:
        size = self._settings.molit_page_size
        first = await self._page(service, key, lawd_cd, deal_ymd, 1, size)
        items = list(first.items)
        total = first.total_count
        if not first.items or len(items) >= total:
            return total, items, 1
        per_page = min(size, len(first.items))
        last_page = math.ceil(total / per_page)
        semaphore = asyncio.Semaphore(self._settings.molit_page_concurrency)

        async def one(page_no: int) -> MolitPage:
            async with semaphore:
                return await self._page(service, key, lawd_cd, deal_ymd, page_no, per_page)

        pages_read = 1
        for page in await all_or_first_error([one(n) for n in range(2, last_page + 1)]):
            pages_read += 1
            if not page.items:
                return total, items, pages_read
            items.extend(page.items)
        next_page = last_page + 1
        while len(items) < total and next_page <= last_page + _MAX_EXTRA_PAGES:
            page = await self._page(service, key, lawd_cd, deal_ymd, next_page, per_page)
            pages_read += 1
            if not page.items:
                break
            items.extend(page.items)
            next_page += 1
        if len(items) < total:
            logger.warning(
                "%s %s %s: read %d of %d rows announced",
                service.short_name,
                lawd_cd,
                deal_ymd,
                len(items),
                total,
            )
        return total, items, pages_read

    async def _page(
        self, service: MolitService, key: str, lawd_cd: str, deal_ymd: str, page_no: int, rows: int
    ) -> MolitPage:
        label = service.display

        def interpret(raw: RawResponse) -> MolitPage:
            return parse_molit_response(raw, label)

        return await self._http.get(
            f"{self._settings.data_go_kr_base_url}/{service.path}",
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
