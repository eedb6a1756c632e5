"""SQLite cache of fetched MOLIT months, so repeated questions do not spend the daily quota.

A month keeps changing for a while: deals may be reported up to 30 days after the contract and
cancellations arrive later still, so recent months (``kst.is_recent_month``) are kept only briefly and
older months for days. Only successful fetches are stored; errors never are. A cache that cannot be
opened or read degrades to "no cache" with a warning instead of failing the tool.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mcp_server.kst import is_recent_month

__all__ = ["RECENT_TTL_SECONDS", "SETTLED_TTL_SECONDS", "CachedMonth", "MonthCache"]

logger = logging.getLogger(__name__)

RECENT_TTL_SECONDS = 60 * 60  # current and previous month: new reports arrive daily
SETTLED_TTL_SECONDS = 7 * 24 * 60 * 60  # older months: only late cancellations still change them

_SCHEMA = """
CREATE TABLE IF NOT EXISTS molit_month (
    service TEXT NOT NULL,
    lawd_cd TEXT NOT NULL,
    deal_ymd TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    expires_at REAL NOT NULL,
    total_count INTEGER NOT NULL,
    items TEXT NOT NULL,
    PRIMARY KEY (service, lawd_cd, deal_ymd)
)
"""


@dataclass(frozen=True)
class CachedMonth:
    total_count: int
    items: list[dict[str, str]]
    fetched_at: datetime
    expires_at: float  # time.time() after which the month must be fetched again


class MonthCache:
    def __init__(
        self,
        path: str | Path,
        *,
        recent_ttl: float = RECENT_TTL_SECONDS,
        settled_ttl: float = SETTLED_TTL_SECONDS,
    ) -> None:
        self.path = Path(path)
        self.recent_ttl = recent_ttl
        self.settled_ttl = settled_ttl
        self._ready = False
        self._broken = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=5)
        if not self._ready:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            connection.commit()
            self._ready = True
        return connection

    async def get(self, service: str, lawd_cd: str, deal_ymd: str) -> CachedMonth | None:
        if self._broken:
            return None
        try:
            return await asyncio.to_thread(self._get, service, lawd_cd, deal_ymd)
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._disable(exc)
            return None

    async def put(
        self,
        service: str,
        lawd_cd: str,
        deal_ymd: str,
        total_count: int,
        items: list[dict[str, str]],
        fetched_at: datetime,
    ) -> float:
        """Store a month; returns when it expires (also when the cache is unusable, so a copy kept in
        memory expires on the same schedule)."""
        ttl = self.recent_ttl if is_recent_month(deal_ymd, fetched_at) else self.settled_ttl
        expires_at = time.time() + ttl
        if self._broken:
            return expires_at
        row = (service, lawd_cd, deal_ymd, fetched_at.isoformat(), expires_at, total_count)
        try:
            await asyncio.to_thread(self._put, row, items)
        except (sqlite3.Error, OSError) as exc:
            self._disable(exc)
        return expires_at

    async def size(self) -> tuple[int, int]:
        """(months stored, bytes on disk including the write-ahead log), for the status page."""
        if self._broken:
            return 0, 0
        try:
            return await asyncio.to_thread(self._size)
        except (sqlite3.Error, OSError) as exc:
            self._disable(exc)
            return 0, 0

    def _size(self) -> tuple[int, int]:
        with closing(self._connect()) as connection:
            (months,) = connection.execute("SELECT COUNT(*) FROM molit_month").fetchone()
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        return int(months), sum(path.stat().st_size for path in files if path.exists())

    def _get(self, service: str, lawd_cd: str, deal_ymd: str) -> CachedMonth | None:
        with closing(self._connect()) as connection:
            row = connection.execute(
                "SELECT fetched_at, expires_at, total_count, items FROM molit_month "
                "WHERE service = ? AND lawd_cd = ? AND deal_ymd = ?",
                (service, lawd_cd, deal_ymd),
            ).fetchone()
        if row is None or row[1] < time.time():
            return None
        items = json.loads(row[3])
        return CachedMonth(int(row[2]), items, datetime.fromisoformat(row[0]), float(row[1]))

    def _put(self, row: tuple[str, str, str, str, float, int], items: list[dict[str, str]]) -> None:
        """``row`` is every column before ``items``, in table order; the JSON is built off the loop."""
        with closing(self._connect()) as connection:
            connection.execute(
                "INSERT OR REPLACE INTO molit_month VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*row, json.dumps(items, ensure_ascii=False)),
            )
            connection.commit()

    def _disable(self, exc: BaseException) -> None:
        self._broken = True
        logger.warning("cache at %s disabled after an error: %s", self.path, exc)
