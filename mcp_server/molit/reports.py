"""From a region, a month and a MOLIT service to the result a trade or rent tool returns.

Plain async functions (the tools only validate and delegate), so the whole path — fetch all pages,
drop cancelled rows, count, summarise, explain an empty month — is testable without MCP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from mcp_server.kst import is_recent_month
from mcp_server.models.base import SourceInfo
from mcp_server.models.months import RentItem, RentResult, TradeItem, TradeResult
from mcp_server.molit.client import MolitClient, MonthRows
from mcp_server.molit.filters import RowFilter
from mcp_server.molit.history import MonthRead, lineage_note, read_month
from mcp_server.molit.rows import ParsedRents, ParsedTrades, parse_rent_rows, parse_trade_rows
from mcp_server.molit.services import MolitService
from mcp_server.molit.summaries import summarize_rents, summarize_trades

__all__ = [
    "FIRST_MONTH",
    "LATE_REPORTING",
    "PROVIDER",
    "MonthAsked",
    "month_rents",
    "month_trades",
    "rent_report",
    "trade_report",
]

Item = TypeVar("Item", TradeItem, RentItem)

PROVIDER = "국토교통부 실거래가 공개시스템 (data.go.kr)"
FIRST_MONTH = "200601"  # MOLIT RTMS data starts with January 2006 contracts
LATE_REPORTING = (
    "Deals may be reported up to 30 days after the contract, so the current and previous month are "
    "still incomplete and their figures will grow."
)


@dataclass(frozen=True)
class MonthAsked:
    """A month tool's checked arguments: the service, the region, the month, how many items to show
    and the row filters (None: every row)."""

    service: MolitService
    region_code: str
    region_name: str | None
    year_month: str
    limit: int
    filters: RowFilter | None = None


async def trade_report(client: MolitClient, asked: MonthAsked) -> TradeResult:
    read = await read_month(client, asked.service, asked.region_code, asked.year_month)
    rows = month_trades(read.rows, asked.service)
    kept, items, notes = _selected(read, rows.valid, asked.filters)
    if rows.cancelled:
        notes.append(f"{rows.cancelled} cancelled deal(s) (해제) excluded from items and summary.")
    if rows.unpriced:
        notes.append(f"{rows.unpriced} row(s) without a readable price excluded.")
    shares = sum(1 for item in kept if item.share_deal)
    if shares:
        notes.append(
            f"{shares} share deal(s) (지분, share_deal true) are included; their price per ㎡ is not "
            "comparable with whole-parcel deals, so compare them apart."
        )
    fields = _result_fields(read, asked, items, notes)
    if not items and rows.cancelled:
        fields["empty_reason"] = (
            f"All {rows.cancelled} deal(s) reported for {asked.year_month} were cancelled (해제)."
        )
    summary = summarize_trades(_whole(read.rows, kept), asked.service.area_basis)
    return TradeResult(
        cancelled_count=rows.cancelled,
        summary=summary.model_copy(update=_filters_field(asked.filters)),
        **fields,
    )


async def rent_report(client: MolitClient, asked: MonthAsked) -> RentResult:
    read = await read_month(client, asked.service, asked.region_code, asked.year_month)
    rows = month_rents(read.rows, asked.service)
    kept, items, notes = _selected(read, rows.valid, asked.filters)
    summary = summarize_rents(_whole(read.rows, kept), asked.service.area_basis)
    if rows.invalid:
        notes.append(f"{rows.invalid} row(s) without a readable deposit excluded.")
    return RentResult(
        summary=summary.model_copy(update=_filters_field(asked.filters)),
        **_result_fields(read, asked, items, notes),
    )


def _result_fields(read: MonthRead, asked: MonthAsked, items: list[Item], notes: list[str]) -> dict[str, Any]:
    """What a trade and a rent result say alike about the month: where, what was read, which items."""
    month = read.rows
    place = asked.region_name or asked.region_code
    return {
        "region_code": asked.region_code,
        "region_name": asked.region_name,
        "year_month": asked.year_month,
        "property_type": asked.service.label,
        "total_count": month.total_count,
        "fetched_count": len(month.items),
        "returned": min(asked.limit, len(items)),
        "truncated": len(items) > asked.limit,
        "items": items[: asked.limit],
        "data_as_of": month.fetched_at.isoformat(timespec="seconds"),
        "source": _source(asked.service, month),
        "source_codes": list(read.source_codes),
        "empty_reason": _empty_reason(month, asked.service, place, asked.year_month),
        "notes": notes,
    }


def month_trades(month: MonthRows, service: MolitService) -> ParsedTrades:
    """The month's rows parsed once per service (a month kept in memory keeps its parse)."""
    return month.memo(("trades", service.key), lambda: parse_trade_rows(month.items, service))


def month_rents(month: MonthRows, service: MolitService) -> ParsedRents:
    return month.memo(("rents", service.key), lambda: parse_rent_rows(month.items, service))


def _filters_field(filters: RowFilter | None) -> dict[str, object]:
    return {"filters": filters.applied()} if filters else {}


def _selected(
    read: MonthRead, valid: list[Item], filters: RowFilter | None
) -> tuple[list[Item], list[Item], list[str]]:
    """The deals a month result covers (after the filters), the same newest first for its items, and the
    notes every month result starts with (first, which code(s) the month was read from, if not as asked)."""
    kept = filters.keep(valid) if filters else valid
    items = sorted(kept, key=lambda item: item.deal_date, reverse=True)
    history = lineage_note([(read.year_month, read.use)]) if read.use else None
    notes = ([history] if history else []) + _notes(read.rows, is_recent_month(read.year_month))
    if filters:
        notes.append(
            f"{len(kept)} of the month's {len(valid)} valid deal(s) match the filters; items and summary "
            "cover those."
        )
    return kept, items, notes


def _source(service: MolitService, month: MonthRows) -> SourceInfo:
    return SourceInfo(
        provider=PROVIDER,
        dataset=service.dataset,
        endpoint=service.path,
        data_as_of=month.fetched_at.isoformat(timespec="seconds"),
        from_cache=month.from_cache,
    )


def _notes(month: MonthRows, recent: bool) -> list[str]:
    notes = []
    if recent:
        notes.append(LATE_REPORTING)
    if len(month.items) < month.total_count:
        notes.append(
            f"Only {len(month.items)} of the {month.total_count} rows the service announced could be read, "
            "so the summary is left empty (a part of the month would look like all of it); try again later."
        )
    return notes


def _whole(month: MonthRows, kept: list[Item]) -> list[Item]:
    """What the summary may be computed over: nothing when the month was read short of its total."""
    return kept if len(month.items) >= month.total_count else []


def _empty_reason(month: MonthRows, service: MolitService, place: str, year_month: str) -> str | None:
    """Why a month has no rows at all; None when upstream sent any (valid or not)."""
    if month.items:
        return None
    if year_month < FIRST_MONTH:
        return f"MOLIT's 실거래가 data starts with January 2006; there is nothing for {year_month}."
    if is_recent_month(year_month):
        return f"No {service.label} deals reported yet for {place} in {year_month}. {LATE_REPORTING}"
    return (
        f"No {service.label} deals were reported for {place} in {year_month} (an empty month is normal "
        "for small areas and rare property types)."
    )
