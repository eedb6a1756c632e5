"""Results of the range tools: get_price_trend, compare_regions, get_jeonse_ratio, get_complex_summary."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mcp_server.models.base import AMOUNT_UNIT_FIELD, SOURCE_CODES_NOTE, Number, ResultModel, SparseModel

__all__ = [
    "Change",
    "CompareResult",
    "ComplexAreaGroup",
    "ComplexDeal",
    "ComplexSummaryResult",
    "JeonseRatioResult",
    "MonthIssue",
    "PriceStats",
    "RangeInfo",
    "RatioGroup",
    "RegionTrend",
    "TrendMonth",
    "TrendResult",
    "UnmatchedGroup",
    "WolseGroupStats",
]


class PriceStats(SparseModel):
    """One sample: its size, whether it is thin, and median/min/max (만원) and median 만원/㎡."""

    count: int
    thin: bool
    median_10k: Number | None = None
    min_10k: int | None = None
    max_10k: int | None = None
    median_per_m2_10k: float | None = None


class TrendMonth(PriceStats):
    year_month: str
    status: Literal["ok", "empty", "failed", "incomplete"] = Field(
        description="failed/incomplete: no statistics (see error)."
    )
    mom_pct: float | None = Field(default=None, description="Median change vs the previous month, %.")
    yoy_pct: float | None = Field(default=None, description="Median change vs 12 months earlier, %.")
    error: str | None = None


class Change(ResultModel):
    """Median change from the first to the last month with statistics."""

    from_month: str
    to_month: str
    from_median_10k: Number
    to_median_10k: Number
    change_pct: float
    from_count: int
    to_count: int
    thin: bool = Field(description="Either end is thin.")


class RangeInfo(ResultModel):
    start_month: str
    end_month: str
    property_type: str = Field(description="e.g. 아파트 매매, 아파트 전세.")
    filters: dict[str, Any] = Field(description="Filters applied before every statistic.")
    amount_unit: str = AMOUNT_UNIT_FIELD


class TrendResult(RangeInfo):
    region_code: str
    region_name: str | None
    overall: PriceStats = Field(description="Every deal of the months with statistics.")
    change: Change | None
    months: list[TrendMonth]
    source_codes: list[str] = Field(default_factory=list, description=SOURCE_CODES_NOTE)
    notes: list[str] = Field(default_factory=list)


class RegionTrend(PriceStats):
    region_code: str
    region_name: str | None = None
    change: Change | None = None
    months: list[TrendMonth]
    source_codes: list[str] = Field(default_factory=list, description=SOURCE_CODES_NOTE)


class CompareResult(RangeInfo):
    regions: list[RegionTrend] = Field(description="In the order asked; statistics as in get_price_trend.")
    notes: list[str] = Field(default_factory=list)


class MonthIssue(ResultModel):
    year_month: str
    dataset: str
    error: str = Field(description="Why the month is left out.")


class RatioGroup(ResultModel):
    dong: str | None
    name: str
    area_type: int = Field(description="전용면적 truncated to whole ㎡ (the 59/84 타입).")
    trade: PriceStats
    jeonse: PriceStats
    ratio_pct: float = Field(description="Median 전세 deposit / median trade price, %.")
    thin: bool = Field(description="Either side is thin.")


class UnmatchedGroup(ResultModel):
    dong: str | None
    name: str
    area_type: int
    side: Literal["trade", "jeonse"] = Field(description="The only side with deals.")
    count: int


class JeonseRatioResult(RangeInfo):
    region_code: str
    region_name: str | None
    median_ratio_pct: float | None = Field(description="Median of the groups' ratio_pct.")
    group_count: int
    thin_group_count: int
    groups: list[RatioGroup] = Field(description="Most deals first; at most 40.")
    unmatched: list[UnmatchedGroup] = Field(description="Most deals first; at most 20.")
    unmatched_count: int
    month_issues: list[MonthIssue]
    source_codes: list[str] = Field(default_factory=list, description=SOURCE_CODES_NOTE)
    notes: list[str] = Field(default_factory=list)


class WolseGroupStats(PriceStats):
    """월세 deposits (median/min/max) and the median monthly rent."""

    median_monthly_rent_10k: Number | None = None


class ComplexDeal(SparseModel):
    deal_date: str
    area_m2: float | None = None
    floor: int | None = None
    price_10k: int | None = Field(default=None, description="Trades: the price.")
    deposit_10k: int | None = Field(default=None, description="Rents: the deposit.")
    monthly_rent_10k: int | None = Field(default=None, description="Rents: 0 = 전세.")


class ComplexAreaGroup(ResultModel):
    area_type: int = Field(description="전용면적 truncated to whole ㎡.")
    trade: PriceStats
    jeonse: PriceStats
    wolse: WolseGroupStats


class ComplexSummaryResult(RangeInfo):
    region_code: str
    region_name: str | None
    name: str
    dong: str | None
    build_year: int | None
    area_groups: list[ComplexAreaGroup]
    latest_trades: list[ComplexDeal]
    latest_rents: list[ComplexDeal]
    month_issues: list[MonthIssue]
    source_codes: list[str] = Field(default_factory=list, description=SOURCE_CODES_NOTE)
    notes: list[str] = Field(default_factory=list)
