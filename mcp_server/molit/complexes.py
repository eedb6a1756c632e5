"""One apartment complex over a range of months: trades, 전세 and 월세 per area type, the latest deals.

The complex is found by its name without whitespace or case (MOLIT spells some names both ways), within
the region and, when given, the 법정동. Two complexes of the same name in different 동 are not merged:
the caller is asked to name the 동. A name that matches nothing gets the nearest names that did trade,
so the model can retry with the spelling MOLIT uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from mcp_server.errors import InvalidArgumentError
from mcp_server.kst import is_recent_month
from mcp_server.models.months import RentItem, TradeItem
from mcp_server.models.ranges import ComplexAreaGroup, ComplexDeal, ComplexSummaryResult, WolseGroupStats
from mcp_server.molit.client import MolitClient
from mcp_server.molit.filters import RowFilter, normalize_name
from mcp_server.molit.jeonse import (
    APT_RENT,
    APT_TRADE,
    area_type,
    fetch_trades_and_rents,
    month_issues,
    usable_rents,
    usable_trades,
)
from mcp_server.molit.ranges import ReportProgress, read_history
from mcp_server.molit.reports import LATE_REPORTING
from mcp_server.molit.summaries import median_or_none, price_stats

__all__ = ["LATEST_DEALS", "complex_summary"]

LATEST_DEALS = 5


async def complex_summary(
    client: MolitClient,
    region_code: str,
    region_name: str | None,
    apartment_name: str,
    dong: str | None,
    months: Sequence[str],
    report: ReportProgress | None = None,
) -> ComplexSummaryResult:
    trade_months, rent_months = await fetch_trades_and_rents(client, region_code, months, report)
    in_dong = RowFilter(dong=dong)
    all_trades = usable_trades(trade_months, in_dong)
    all_rents = usable_rents(rent_months, in_dong)
    wanted = normalize_name(apartment_name)
    trades = [t for t in all_trades if normalize_name(t.name or "") == wanted]
    rents = [r for r in all_rents if normalize_name(r.name or "") == wanted]
    found: list[TradeItem | RentItem] = [*trades, *rents]
    issues = month_issues(trade_months, APT_TRADE) + month_issues(rent_months, APT_RENT)
    if not found:
        raise InvalidArgumentError(
            _not_found(apartment_name, dong, months, [*all_trades, *all_rents], issues)
        )
    dongs = sorted({item.dong or "" for item in found})
    if len(dongs) > 1:
        raise InvalidArgumentError(
            f"{apartment_name!r} names complexes in {', '.join(dongs)}; call again with dong set to one "
            "of them."
        )
    areas = sorted({area_type(i.area_m2) for i in found if i.area_m2})
    build_years = Counter(i.build_year for i in found if i.build_year)
    codes, history = read_history(trade_months, rent_months)
    notes = ([history] if history else []) + ([LATE_REPORTING] if is_recent_month(months[-1]) else [])
    return ComplexSummaryResult(
        region_code=region_code,
        region_name=region_name,
        name=found[0].name or apartment_name,
        dong=found[0].dong,
        build_year=build_years.most_common(1)[0][0] if build_years else None,
        start_month=months[0],
        end_month=months[-1],
        property_type="아파트 매매 · 전월세",
        filters=in_dong.applied() | {"apartment_name": apartment_name},
        area_groups=[_area_group(area, trades, rents) for area in areas],
        latest_trades=[
            _deal(t) for t in sorted(trades, key=lambda t: t.deal_date, reverse=True)[:LATEST_DEALS]
        ],
        latest_rents=[
            _deal(r) for r in sorted(rents, key=lambda r: r.deal_date, reverse=True)[:LATEST_DEALS]
        ],
        month_issues=issues,
        source_codes=codes,
        notes=notes,
    )


def _deal(item: TradeItem | RentItem) -> ComplexDeal:
    """A latest deal without the columns the result already states (complex, 동, build year)."""
    if isinstance(item, TradeItem):
        return ComplexDeal(
            deal_date=item.deal_date, area_m2=item.area_m2, floor=item.floor, price_10k=item.price_10k
        )
    return ComplexDeal(
        deal_date=item.deal_date,
        area_m2=item.area_m2,
        floor=item.floor,
        deposit_10k=item.deposit_10k,
        monthly_rent_10k=item.monthly_rent_10k,
    )


def _area_group(area: int, trades: Sequence[TradeItem], rents: Sequence[RentItem]) -> ComplexAreaGroup:
    def here(item: TradeItem | RentItem) -> bool:
        return item.area_m2 is not None and area_type(item.area_m2) == area

    sold = [(t.price_10k, t.area_m2) for t in trades if here(t) and t.price_10k is not None]
    leases = [r for r in rents if here(r) and r.deposit_10k is not None]
    jeonse = [(r.deposit_10k, r.area_m2) for r in leases if r.monthly_rent_10k == 0 and r.deposit_10k]
    wolse = [r for r in leases if r.monthly_rent_10k > 0]
    wolse_stats = price_stats([(r.deposit_10k, r.area_m2) for r in wolse if r.deposit_10k is not None])
    return ComplexAreaGroup(
        area_type=area,
        trade=price_stats(sold),
        jeonse=price_stats(jeonse),
        wolse=WolseGroupStats(
            **wolse_stats.model_dump(),
            median_monthly_rent_10k=median_or_none([r.monthly_rent_10k for r in wolse]),
        ),
    )


def _not_found(
    name: str,
    dong: str | None,
    months: Sequence[str],
    seen: Sequence[TradeItem | RentItem],
    issues: Sequence[object],
) -> str:
    wanted = normalize_name(name)
    names = Counter(item.name for item in seen if item.name)
    close = [n for n, _ in names.most_common() if wanted in normalize_name(n) or normalize_name(n) in wanted]
    where = f" in {dong}" if dong else ""
    message = f"No apartment deals for {name!r}{where} between {months[0]} and {months[-1]}."
    if close:
        message += f" Names that did trade: {', '.join(close[:8])}."
    elif names:
        message += f" Most traded complexes there: {', '.join(n for n, _ in names.most_common(8))}."
    if issues:
        message += f" {len(issues)} month(s) could not be read, so deals may be missing."
    return message
