"""Many months at once: fetched concurrently (bounded), progress reported per month, failures kept per month.

The range tools ask for up to 36 months of one or more services and regions in one call. Months are
independent, so they are fetched side by side, at most ``MONTH_CONCURRENCY`` at a time per tool call
(each month still pages concurrently, and ``upstream.http`` bounds the connections overall). A month
that fails becomes a ``FetchedMonth`` with its error, so one bad month never costs the whole answer; a
month read short of its announced total is kept apart as incomplete, because statistics over part of a
month would look exact and not be. Only when every month failed is there no answer: the first error is
raised, since its message says what to do (apply for the service, wait for the quota).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from mcp_server.concurrency import all_or_first_error
from mcp_server.errors import UpstreamError
from mcp_server.molit.client import MolitClient, MonthRows
from mcp_server.molit.history import LineageUse, check_plans, lineage_note, read_month
from mcp_server.molit.services import MolitService

__all__ = [
    "MONTH_CONCURRENCY",
    "FetchedMonth",
    "RangeFetcher",
    "ReportProgress",
    "raise_if_all_failed",
    "read_history",
]

MONTH_CONCURRENCY = 6

# ``Context.report_progress``: (progress, total, message)
ReportProgress = Callable[[float, float | None, str | None], Awaitable[None]]


@dataclass(frozen=True)
class FetchedMonth:
    year_month: str
    rows: MonthRows | None
    error: UpstreamError | None = None
    message: str | None = None
    source_codes: tuple[str, ...] = ()
    use: LineageUse | None = None  # how the month was read across a boundary change, if it was

    @property
    def usable(self) -> MonthRows | None:
        """The rows, only when the month was read whole (every row its total announced)."""
        if self.rows is None or len(self.rows.items) < self.rows.total_count:
            return None
        return self.rows

    @property
    def problem(self) -> str | None:
        """Why the month is left out of the statistics, or None when it is not."""
        if self.rows is not None and self.usable is None:
            return (
                f"Only {len(self.rows.items)} of {self.rows.total_count} rows could be read; "
                "left out rather than summarised from part of the month."
            )
        return self.message


class RangeFetcher:
    """Fetches months for one tool call, sharing one concurrency bound and one progress count."""

    def __init__(self, client: MolitClient, *, total: int, report: ReportProgress | None = None) -> None:
        self._client = client
        self._total = total
        self._report = report
        self._done = 0
        self._limit = asyncio.Semaphore(MONTH_CONCURRENCY)

    async def months(
        self, service: MolitService, region_code: str, months: Sequence[str]
    ) -> list[FetchedMonth]:
        check_plans(self._client, region_code, months)  # a month the lineage cannot read: no request
        return await all_or_first_error([self._one(service, region_code, ym) for ym in months])

    async def _one(self, service: MolitService, region_code: str, year_month: str) -> FetchedMonth:
        async with self._limit:
            try:
                read = await read_month(self._client, service, region_code, year_month)
                fetched = FetchedMonth(year_month, read.rows, source_codes=read.source_codes, use=read.use)
            except UpstreamError as exc:
                fetched = FetchedMonth(year_month, None, exc, self._client.http.redact(str(exc)))
        self._done += 1
        if self._report is not None:
            state = f"{len(fetched.rows.items)} rows" if fetched.rows is not None else "failed"
            await self._report(
                self._done, self._total, f"{service.label} {region_code} {year_month}: {state}"
            )
        return fetched


def raise_if_all_failed(fetched: Sequence[FetchedMonth]) -> None:
    """No month answered at all: the first error is the answer (it says what to do)."""
    errors = [month.error for month in fetched if month.error is not None]
    if fetched and len(errors) == len(fetched):
        raise errors[0]


def read_history(*series: Sequence[FetchedMonth]) -> tuple[list[str], str | None]:
    """The codes a range was read from and its one note on boundary changes (None: nothing to say).

    Several series of the same months (전세가율 reads trades and rents) give one note: a month is
    described by the first series that read it across a change."""
    codes = list(dict.fromkeys(code for months in series for month in months for code in month.source_codes))
    uses: dict[str, LineageUse | None] = {}
    for months in series:
        for month in months:
            if uses.get(month.year_month) is None:
                uses[month.year_month] = month.use
    return codes, lineage_note(sorted(uses.items()))
