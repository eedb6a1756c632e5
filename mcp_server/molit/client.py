"""Fetches every row of one MOLIT month: page 1, then the remaining pages concurrently (bounded).

The reference server read only page 1 while reporting the month's ``totalCount``, so a 250-row month
gave statistics over 100 rows. Here every page is read (``upstream.paging``), and a few extra pages are
tried one by one when pages come back shorter than announced (docs/upstream-apis.md, 1.3). Whole months
go through the SQLite cache when one is configured; errors are never cached.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from mcp_server.config import Settings
from mcp_server.kst import now_kst
from mcp_server.molit.cache import MonthCache
from mcp_server.molit.services import MolitService
from mcp_server.upstream.data_go_kr import parse_envelope
from mcp_server.upstream.http import RawResponse, UpstreamHttp
from mcp_server.upstream.paging import read_remaining_pages

__all__ = ["MolitClient", "MonthRows"]

logger = logging.getLogger(__name__)

# Safety net when pages come back shorter than announced: how many extra pages to try sequentially.
_MAX_EXTRA_PAGES = 20

Rows = list[dict[str, str]]


@dataclass(frozen=True)
class MonthRows:
    """All raw rows of a month as published, plus where and when they came from."""

    total_count: int
    items: Rows
    fetched_at: datetime
    from_cache: bool


class MolitClient:
    def __init__(self, http: UpstreamHttp, settings: Settings, cache: MonthCache | None = None) -> None:
        self.http = http
        self._settings = settings
        self._cache = cache

    async def fetch_month(self, service: MolitService, lawd_cd: str, deal_ymd: str) -> MonthRows:
        """Every row of ``service`` for region ``lawd_cd`` and month ``deal_ymd`` (YYYYMM)."""
        key = self._settings.data_go_kr_key()  # ConfigurationError before any network use
        if self._cache is not None:
            cached = await self._cache.get(service.key, lawd_cd, deal_ymd)
            if cached is not None:
                return MonthRows(cached.total_count, cached.items, cached.fetched_at, True)
        fetched_at = now_kst()

        async def page(page_no: int, rows: int) -> tuple[int, Rows]:
            return await self._page(service, key, lawd_cd, deal_ymd, page_no, rows)

        size = self._settings.molit_page_size
        first = await page(1, size)
        items = await read_remaining_pages(
            page,
            first,
            asked_size=size,
            concurrency=self._settings.molit_page_concurrency,
            extra_pages=_MAX_EXTRA_PAGES,
        )
        total = first[0]
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
            await self._cache.put(service.key, lawd_cd, deal_ymd, total, items, fetched_at)
        return MonthRows(total, items, fetched_at, False)

    async def _page(
        self, service: MolitService, key: str, lawd_cd: str, deal_ymd: str, page_no: int, rows: int
    ) -> tuple[int, Rows]:
        label = service.display

        def interpret(raw: RawResponse) -> tuple[int, Rows]:
            page = parse_envelope(raw, label)
            return page.total_count, page.items

        return await self.http.get(
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
