"""Reading a region's month under the code(s) its deals were filed under (``regions.lineage.plans``).

A region no change touched is one ``fetch_month``, exactly as before: the same ``MonthRows`` object,
no extra request. Otherwise the lineage's plan says which codes to read and which 법정동 to keep; when
that side has no rows at all and the plan has another side (the service may have re-coded its history),
the other side is read once, and the answer says which side it used. Each code read goes through the
client, so it is cached and shared like any month.

Rows kept from a filtered read keep their own ``sggCd``; a month combined from several codes is a new
``MonthRows`` whose total is what was kept (plus what could not be read, so a short read still shows as
incomplete).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from mcp_server.concurrency import all_or_first_error
from mcp_server.molit.client import MolitClient, MonthRows
from mcp_server.molit.services import MolitService
from mcp_server.regions.lineage.plans import MonthPlan, Source, plan_month
from mcp_server.regions.lineage.table import month_label

__all__ = ["LineageUse", "MonthRead", "lineage_note", "read_month", "source_codes"]


@dataclass(frozen=True)
class LineageUse:
    """What a month's answer says about its codes: a headline for the change, how this month was read."""

    headline: str
    how: str
    extras: tuple[str, ...] = ()
    unassigned: tuple[str, ...] = ()  # the 법정동 of each row the table assigns to no code, left out


@dataclass(frozen=True)
class MonthRead:
    year_month: str
    rows: MonthRows
    source_codes: tuple[str, ...]
    use: LineageUse | None = None


async def read_month(client: MolitClient, service: MolitService, code: str, year_month: str) -> MonthRead:
    plan = plan_month(client.lineage, code, year_month)
    if plan is None:
        return MonthRead(year_month, await client.fetch_month(service, code, year_month), (code,))
    rows, raw, unassigned = await _read_side(client, service, plan.sources, year_month)
    if raw or plan.other is None or rows.total_count > len(rows.items):
        return MonthRead(year_month, rows, _codes(plan.sources), _use(plan, plan.how, unassigned))
    other, raw, unassigned = await _read_side(client, service, plan.other, year_month)
    if not raw:
        return MonthRead(year_month, rows, _codes(plan.sources), _use(plan, plan.how, ()))
    return MonthRead(year_month, other, _codes(plan.other), _use(plan, plan.other_how, unassigned))


def check_plans(client: MolitClient, code: str, months: Sequence[str]) -> None:
    """Raise the lineage's error for the first month that cannot be read, before any request."""
    for year_month in months:
        plan_month(client.lineage, code, year_month)


def _use(plan: MonthPlan, how: str | None, unassigned: tuple[str, ...]) -> LineageUse | None:
    if how is None:
        return None
    return LineageUse(plan.headline, how, plan.extras, unassigned)


def _codes(sources: Sequence[Source]) -> tuple[str, ...]:
    return tuple(source.code for source in sources)


async def _read_side(
    client: MolitClient, service: MolitService, sources: Sequence[Source], year_month: str
) -> tuple[MonthRows, bool, tuple[str, ...]]:
    """The side's rows (kept to each source's 법정동), whether upstream sent any row at all before the
    filter, and the 법정동 of the rows no code of the table takes."""
    if len(sources) == 1 and sources[0].dongs is None:
        month = await client.fetch_month(service, sources[0].code, year_month)
        return month, bool(month.items), ()
    months = await all_or_first_error(
        [client.fetch_month(service, source.code, year_month) for source in sources]
    )
    items = []
    unassigned: list[str] = []
    missing = 0
    for source, month in zip(sources, months, strict=True):
        if source.dongs is None:
            items.extend(month.items)
        else:
            items.extend(r for r in month.items if _dong(r) in source.dongs)
            if source.known is not None:
                unassigned.extend(d for r in month.items if (d := _dong(r)) not in source.known)
        missing += max(0, month.total_count - len(month.items))
    rows = MonthRows(
        total_count=len(items) + missing,
        items=items,
        fetched_at=min(month.fetched_at for month in months),
        from_cache=all(month.from_cache for month in months),
    )
    return rows, any(month.items for month in months), tuple(unassigned)


def _dong(row: dict[str, str]) -> str:
    """The 읍·면·동 of a row: ``umdNm`` is '공덕동', or '봉담읍 와우리' (읍·면 and 리) in some services."""
    words = row.get("umdNm", "").split()
    return words[0] if words else ""


def source_codes(reads: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Every code read over a range, in first-seen order."""
    return list(dict.fromkeys(code for _, codes in reads for code in codes))


def lineage_note(uses: Sequence[tuple[str, LineageUse | None]]) -> str | None:
    """One plain note for a month or a range: the change, then each run of months read the same way.

    e.g. "인천광역시 검단구(28290)는 2026-07에 생긴 코드입니다. 2026-01~06: 인천광역시 서구(28260)의
    검단구 법정동(10개)에서 집계."""
    runs: list[tuple[str, str, str]] = []  # (first month, last month, how)
    headlines: list[str] = []
    extras: list[str] = []
    unassigned: list[str] = []
    for year_month, use in uses:
        if use is None:
            continue
        headlines.append(use.headline)
        extras.extend(use.extras)
        unassigned.extend(use.unassigned)
        if runs and runs[-1][2] == use.how and _next(runs[-1][1]) == year_month:
            runs[-1] = (runs[-1][0], year_month, use.how)
        else:
            runs.append((year_month, year_month, use.how))
    if not runs:
        return None
    spans = "; ".join(f"{_span(first, last)}: {how}" for first, last, how in runs)
    parts = [*dict.fromkeys(headlines), f"{spans}.", *dict.fromkeys(extras)]
    if unassigned:
        names = ", ".join(f"{dong or '(빈 값)'} {n}건" for dong, n in sorted(Counter(unassigned).items()))
        parts.append(
            f"계보 표의 어느 코드에도 배정되지 않은 법정동의 거래는 뺐습니다: {names} "
            "(계보 표를 고쳐야 합니다)."
        )
    return " ".join(parts)


def _next(year_month: str) -> str:
    year, month = int(year_month[:4]), int(year_month[4:])
    return f"{year + month // 12}{month % 12 + 1:02d}"


def _span(first: str, last: str) -> str:
    if first == last:
        return month_label(first)
    if first[:4] == last[:4]:
        return f"{month_label(first)}~{last[4:]}"
    return f"{month_label(first)}~{month_label(last)}"
