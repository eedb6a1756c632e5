"""RangeFetcher: bounded concurrency, one failure per month, incomplete months kept apart."""

from __future__ import annotations

import asyncio
from datetime import datetime

from mcp_server.errors import UpstreamUnavailableError
from mcp_server.molit.client import MonthRows
from mcp_server.molit.ranges import MONTH_CONCURRENCY, FetchedMonth, RangeFetcher
from mcp_server.molit.services import MOLIT_SERVICES
from mcp_server.regions.lineage.table import Lineage

MONTHS = [f"2023{m:02d}" for m in range(1, 13)]


class _Http:
    @staticmethod
    def redact(text: str) -> str:
        return text.replace("SECRET", "[REDACTED]")


class _CountingClient:
    """Stands in for MolitClient: counts the months in flight; odd months fail."""

    http = _Http()
    lineage = Lineage.empty()  # no boundary changes: every month is one fetch_month

    def __init__(self) -> None:
        self.in_flight = self.peak = 0

    async def fetch_month(self, service: object, lawd_cd: str, deal_ymd: str) -> MonthRows:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        for _ in range(3):
            await asyncio.sleep(0)
        self.in_flight -= 1
        if int(deal_ymd) % 2:
            raise UpstreamUnavailableError(f"{deal_ymd} down, key SECRET", service="test")
        return MonthRows(1, [{"dealAmount": "1"}], datetime(2024, 1, 1), False)


async def test_months_are_fetched_concurrently_but_bounded_and_failures_stay_per_month() -> None:
    client = _CountingClient()
    reported: list[tuple[float, float | None]] = []

    async def report(progress: float, total: float | None, message: str | None) -> None:
        reported.append((progress, total))

    fetcher = RangeFetcher(client, total=24, report=report)  # type: ignore[arg-type]
    fetched = await fetcher.months(MOLIT_SERVICES["apt_trade"], "11440", MONTHS * 2)
    assert client.peak == MONTH_CONCURRENCY
    assert [f.message for f in fetched[:2]] == ["202301 down, key [REDACTED]", None]
    assert [f.usable is not None for f in fetched[:2]] == [False, True]
    assert reported == [(n, 24) for n in range(1, 25)]


def test_a_month_read_short_of_its_total_is_not_usable() -> None:
    short = FetchedMonth("202301", MonthRows(3, [{}, {}], datetime(2024, 1, 1), False))
    assert short.usable is None
    assert short.problem is not None
    assert "Only 2 of 3 rows" in short.problem
