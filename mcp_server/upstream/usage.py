"""Upstream requests per service per Korean day, and month-cache hits, for the status page.

data.go.kr counts each key's daily quota per service and resets it at midnight KST, so the counts are
kept per KST day and per service label (the dataset an operator applies for). They live in memory and
in the cache's SQLite file (table ``upstream_use``), so a restart keeps the day's count; without a cache
file (CACHE_PATH=off, or a cache that cannot be written) they live in memory only. Writes happen off the
event loop and at most once per ``FLUSH_SECONDS`` for cache hits (a hit must stay as cheap as a trivial
tool), but after every upstream request, whose answer took far longer than the write does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mcp_server.errors import (
    UpstreamAuthError,
    UpstreamError,
    UpstreamQuotaError,
    UpstreamRequestError,
    UpstreamResponseError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from mcp_server.kst import kst_day, now_kst

__all__ = ["CACHE_ROW", "ERROR_KINDS", "FLUSH_SECONDS", "ServiceUse", "UpstreamUsage", "error_kind"]

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 2.0
# The service column of the row that holds the day's month-cache hits (answered) and misses (errors).
CACHE_ROW = "#month-cache"
# Most specific first: a timeout is also "unavailable".
ERROR_KINDS: tuple[tuple[type[UpstreamError], str], ...] = (
    (UpstreamQuotaError, "quota"),
    (UpstreamAuthError, "auth"),
    (UpstreamTimeoutError, "timeout"),
    (UpstreamUnavailableError, "unavailable"),
    (UpstreamRequestError, "request"),
    (UpstreamResponseError, "response"),
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS upstream_use (
    day TEXT NOT NULL,
    service TEXT NOT NULL,
    answered INTEGER NOT NULL,
    errors TEXT NOT NULL,
    last_error_at TEXT,
    last_error_kind TEXT,
    PRIMARY KEY (day, service)
)
"""


def error_kind(error: UpstreamError) -> str:
    """The short name the status page groups an error under (quota, auth, timeout, ...)."""
    return next((kind for cls, kind in ERROR_KINDS if isinstance(error, cls)), "other")


@dataclass
class ServiceUse:
    """One service's requests on one KST day: every request either was answered or failed."""

    answered: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    last_error_at: str | None = None  # ISO time in KST
    last_error_kind: str | None = None

    @property
    def requests(self) -> int:
        return self.answered + sum(self.errors.values())


class UpstreamUsage:
    """Today's counts; ``path`` is the SQLite file they are kept in (None: memory only)."""

    def __init__(self, path: str | Path | None = None, *, clock: Callable[[], datetime] = now_kst) -> None:
        self.path = Path(path) if path is not None else None
        self._clock = clock
        self._day = kst_day(clock())
        self._services: dict[str, ServiceUse] = {}
        self._loaded = self.path is None
        self._dirty: set[str] = set()
        self._last_flush = 0.0
        self._lock = asyncio.Lock()

    # ---- recording --------------------------------------------------------------------------------

    async def answered(self, service: str) -> None:
        await self._ensure_loaded()
        self._today(service).answered += 1
        await self._flush(force=True, touched=service)

    async def failed(self, service: str, error: UpstreamError) -> None:
        await self._ensure_loaded()
        use = self._today(service)
        kind = error_kind(error)
        use.errors[kind] = use.errors.get(kind, 0) + 1
        use.last_error_at = now_kst(self._clock()).isoformat(timespec="seconds")
        use.last_error_kind = kind
        await self._flush(force=True, touched=service)

    async def cache_hit(self) -> None:
        await self._ensure_loaded()
        self._today(CACHE_ROW).answered += 1
        await self._flush(force=False, touched=CACHE_ROW)

    async def cache_miss(self) -> None:
        await self._ensure_loaded()
        row = self._today(CACHE_ROW)
        row.errors["miss"] = row.errors.get("miss", 0) + 1
        await self._flush(force=False, touched=CACHE_ROW)

    # ---- reading ----------------------------------------------------------------------------------

    async def today(self) -> tuple[str, dict[str, ServiceUse]]:
        """(KST day, service → its use today), without the cache row."""
        await self._ensure_loaded()
        self._roll_over()
        return self._day, {name: use for name, use in self._services.items() if name != CACHE_ROW}

    async def cache_hits_today(self) -> tuple[int, int]:
        """(hits, misses) of the month cache today."""
        await self._ensure_loaded()
        self._roll_over()
        row = self._services.get(CACHE_ROW, ServiceUse())
        return row.answered, row.errors.get("miss", 0)

    async def close(self) -> None:
        """Write what a rate-limited flush left in memory (at shutdown)."""
        await self._flush(force=True, touched=None)

    # ---- internals --------------------------------------------------------------------------------

    def _roll_over(self) -> None:
        day = kst_day(self._clock())
        if day != self._day:
            self._day, self._services, self._dirty = day, {}, set()

    def _today(self, service: str) -> ServiceUse:
        self._roll_over()
        return self._services.setdefault(service, ServiceUse())

    async def _ensure_loaded(self) -> None:
        if self._loaded:
            return
        async with self._lock:
            if self._loaded:
                return
            try:
                rows = await asyncio.to_thread(self._read, self.path, self._day) if self.path else {}
            except (sqlite3.Error, OSError, ValueError) as exc:
                self._disable(exc)
                rows = {}
            for service, use in rows.items():  # requests recorded before the load come on top
                mine = self._services.setdefault(service, ServiceUse())
                mine.answered += use.answered
                for kind, count in use.errors.items():
                    mine.errors[kind] = mine.errors.get(kind, 0) + count
                if mine.last_error_at is None:
                    mine.last_error_at, mine.last_error_kind = use.last_error_at, use.last_error_kind
            self._loaded = True

    async def _flush(self, *, force: bool, touched: str | None) -> None:
        if touched is not None:
            self._dirty.add(touched)
        if self.path is None or not self._dirty:
            return
        if not force and time.monotonic() - self._last_flush < FLUSH_SECONDS:
            return
        async with self._lock:  # one write at a time, each with the totals as they are when it starts
            path, day, dirty = self.path, self._day, self._dirty
            if path is None or not dirty:
                return
            rows = [
                (day, name, use.answered, json.dumps(use.errors), use.last_error_at, use.last_error_kind)
                for name, use in ((name, self._services.get(name)) for name in dirty)
                if use is not None
            ]
            self._dirty = set()
            self._last_flush = time.monotonic()
            try:
                await asyncio.to_thread(self._write, path, day, rows)
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=5)
        connection.execute(_SCHEMA)
        return connection

    def _read(self, path: Path, day: str) -> dict[str, ServiceUse]:
        with closing(self._connect(path)) as connection:
            found = connection.execute(
                "SELECT service, answered, errors, last_error_at, last_error_kind FROM upstream_use "
                "WHERE day = ?",
                (day,),
            ).fetchall()
        return {
            str(service): ServiceUse(int(answered), dict(json.loads(errors)), last_at, last_kind)
            for service, answered, errors, last_at, last_kind in found
        }

    def _write(
        self, path: Path, day: str, rows: list[tuple[str, str, int, str, str | None, str | None]]
    ) -> None:
        with closing(self._connect(path)) as connection:
            connection.executemany("INSERT OR REPLACE INTO upstream_use VALUES (?, ?, ?, ?, ?, ?)", rows)
            # Only today's rows are read; older days are kept a month for a look with sqlite3.
            connection.execute("DELETE FROM upstream_use WHERE day < date(?, '-31 days')", (day,))
            connection.commit()

    def _disable(self, exc: BaseException) -> None:
        logger.warning("upstream request counts at %s kept in memory only: %s", self.path, exc)
        self.path = None
