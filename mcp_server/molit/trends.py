"""Price trends over a range of months, for one region (get_price_trend) or several (compare_regions).

Each month gets count, median/min/max and median per ㎡ of the deals that pass the filters, and the
median's change against the previous month and the month a year earlier when those are in the range.
A failed or incomplete month has no statistics and breaks no other month's figures: its neighbours'
month-over-month change is left empty rather than bridged. The overall change runs from the first to the
last month that has deals, and names both months and their sample sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mcp_server.concurrency import all_or_first_error
from mcp_server.kst import add_months, is_recent_month
from mcp_server.models.ranges import Change, CompareResult, PriceStats, RegionTrend, TrendMonth, TrendResult
from mcp_server.molit.client import MolitClient
from mcp_server.molit.filters import RowFilter
from mcp_server.molit.ranges import (
    FetchedMonth,
    RangeFetcher,
    ReportProgress,
    raise_if_all_failed,
    read_history,
)
from mcp_server.molit.reports import LATE_REPORTING, month_rents, month_trades
from mcp_server.molit.services import MOLIT_SERVICES, MolitService
from mcp_server.molit.summaries import is_thin, price_stats

__all__ = ["PROPERTY_SERVICES", "DealType", "PropertyType", "Series", "compare_trends", "price_trend"]

PropertyType = Literal["apartment", "officetel", "villa", "single_house"]
DealType = Literal["trade", "jeonse"]

# property_type → (trade service, rent service)
PROPERTY_SERVICES: dict[str, tuple[str, str]] = {
    "apartment": ("apt_trade", "apt_rent"),
    "officetel": ("offi_trade", "offi_rent"),
    "villa": ("rh_trade", "rh_rent"),
    "single_house": ("sh_trade", "sh_rent"),
}

Sample = tuple[int, float | None]  # (amount in 만원, area in ㎡)


@dataclass(frozen=True)
class Series:
    """What is followed over time: a property type's sale prices, or its 전세 deposits."""

    property_type: PropertyType
    deal_type: DealType

    @property
    def service(self) -> MolitService:
        trade, rent = PROPERTY_SERVICES[self.property_type]
        return MOLIT_SERVICES[trade if self.deal_type == "trade" else rent]

    @property
    def label(self) -> str:
        if self.deal_type == "trade":
            return self.service.label
        return self.service.label.replace("전월세", "전세")

    def samples(self, fetched: FetchedMonth, filters: RowFilter) -> list[Sample] | None:
        """The month's (amount, area) pairs after the filters; None when the month is unusable."""
        rows = fetched.usable
        if rows is None:
            return None
        if self.deal_type == "trade":
            trades = filters.keep(month_trades(rows, self.service).valid)
            return [(t.price_10k, t.area_m2) for t in trades if t.price_10k is not None]
        rents = filters.keep(month_rents(rows, self.service).valid)
        return [
            (r.deposit_10k, r.area_m2) for r in rents if r.monthly_rent_10k == 0 and r.deposit_10k is not None
        ]


def _pct(now: int | float | None, before: int | float | None) -> float | None:
    if now is None or not before:
        return None
    return round((now / before - 1) * 100, 1)


def trend_months(
    fetched: Sequence[FetchedMonth], series: Series, filters: RowFilter
) -> tuple[list[TrendMonth], list[Sample]]:
    """Per-month statistics (in month order) and every usable sample of the range."""
    months: list[TrendMonth] = []
    pooled: list[Sample] = []
    for month in fetched:
        samples = series.samples(month, filters)
        if samples is None:
            status = "failed" if month.error is not None else "incomplete"
            months.append(
                TrendMonth(
                    year_month=month.year_month, status=status, count=0, thin=True, error=month.problem
                )
            )
            continue
        pooled.extend(samples)
        stats = price_stats(samples)
        status = "ok" if samples else "empty"
        months.append(TrendMonth(year_month=month.year_month, status=status, **stats.model_dump()))
    by_month = {m.year_month: m for m in months}
    for index, stats in enumerate(months):
        if index > 0:
            stats.mom_pct = _pct(stats.median_10k, months[index - 1].median_10k)
        year_before = by_month.get(add_months(stats.year_month, -12))
        if year_before is not None:
            stats.yoy_pct = _pct(stats.median_10k, year_before.median_10k)
    return months, pooled


def overall_change(months: Sequence[TrendMonth]) -> Change | None:
    with_data = [(m, m.median_10k) for m in months if m.median_10k is not None]
    if len(with_data) < 2:
        return None
    (first, first_median), (last, last_median) = with_data[0], with_data[-1]
    return Change(
        from_month=first.year_month,
        to_month=last.year_month,
        from_median_10k=first_median,
        to_median_10k=last_median,
        change_pct=_pct(last_median, first_median) or 0.0,
        from_count=first.count,
        to_count=last.count,
        thin=is_thin(first.count) or is_thin(last.count),
    )


def range_notes(months: Sequence[TrendMonth], end_month: str, *, late: bool = True) -> list[str]:
    notes = []
    left_out = [m.year_month for m in months if m.status in ("failed", "incomplete")]
    if left_out:
        notes.append(
            f"{len(left_out)} month(s) left out ({', '.join(left_out)}): see their error; the overall "
            "figures and changes cover the other months."
        )
    if late and is_recent_month(end_month):
        notes.append(LATE_REPORTING)
    return notes


@dataclass(frozen=True)
class _RegionTrend:
    fetched: list[FetchedMonth]
    months: list[TrendMonth]
    overall: PriceStats
    change: Change | None


async def _region_trend(
    fetcher: RangeFetcher, series: Series, region_code: str, months: Sequence[str], filters: RowFilter
) -> _RegionTrend:
    fetched = await fetcher.months(series.service, region_code, months)
    per_month, pooled = trend_months(fetched, series, filters)
    return _RegionTrend(fetched, per_month, price_stats(pooled), overall_change(per_month))


async def price_trend(
    client: MolitClient,
    series: Series,
    region_code: str,
    region_name: str | None,
    months: Sequence[str],
    filters: RowFilter,
    report: ReportProgress | None = None,
) -> TrendResult:
    fetcher = RangeFetcher(client, total=len(months), report=report)
    trend = await _region_trend(fetcher, series, region_code, months, filters)
    raise_if_all_failed(trend.fetched)
    codes, history = read_history(trend.fetched)
    return TrendResult(
        region_code=region_code,
        region_name=region_name,
        start_month=months[0],
        end_month=months[-1],
        property_type=series.label,
        filters=filters.applied(),
        overall=trend.overall,
        change=trend.change,
        months=trend.months,
        source_codes=codes,
        notes=([history] if history else []) + range_notes(trend.months, months[-1]),
    )


async def compare_trends(
    client: MolitClient,
    series: Series,
    regions: Sequence[tuple[str, str | None]],
    months: Sequence[str],
    filters: RowFilter,
    report: ReportProgress | None = None,
) -> CompareResult:
    """The regions side by side; a region whose every month failed is reported as such, not raised,
    unless every region failed."""
    fetcher = RangeFetcher(client, total=len(months) * len(regions), report=report)
    trends = await all_or_first_error(
        [_region_trend(fetcher, series, code, months, filters) for code, _ in regions]
    )
    raise_if_all_failed([month for trend in trends for month in trend.fetched])
    histories = [read_history(trend.fetched) for trend in trends]
    notes = [
        f"{name or code}: {note}"
        for (code, name), trend, (_, history) in zip(regions, trends, histories, strict=True)
        for note in ([history] if history else []) + range_notes(trend.months, months[-1], late=False)
    ]
    if is_recent_month(months[-1]):
        notes.append(LATE_REPORTING)
    return CompareResult(
        start_month=months[0],
        end_month=months[-1],
        property_type=series.label,
        filters=filters.applied(),
        regions=[
            RegionTrend(
                region_code=code,
                region_name=name,
                change=trend.change,
                months=trend.months,
                source_codes=codes,
                **trend.overall.model_dump(),
            )
            for (code, name), trend, (codes, _) in zip(regions, trends, histories, strict=True)
        ],
        notes=notes,
    )
