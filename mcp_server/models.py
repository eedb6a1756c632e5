"""Pydantic result models of the data tools: what a client sees as structured output and output schema.

Field names are part of the public contract (the reference server's prompts use ``total_count``,
``items``, ``summary.median_price_10k`` …); amounts are in 만원 (10,000 KRW) as published by MOLIT,
hence the ``_10k`` suffix.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

__all__ = [
    "AMOUNT_UNIT",
    "THIN_SAMPLE",
    "AreaAgeStat",
    "AreaCompetitionStat",
    "AreaScoreStat",
    "Change",
    "CompareResult",
    "ComplexAreaGroup",
    "ComplexDeal",
    "ComplexSummaryResult",
    "DepositStats",
    "JeonseRatioResult",
    "MonthIssue",
    "PriceStats",
    "RangeInfo",
    "RatioGroup",
    "RegionTrend",
    "RentItem",
    "RentResult",
    "RentSummary",
    "SourceInfo",
    "SubscriptionNotice",
    "SubscriptionNoticeResult",
    "SubscriptionStatResult",
    "TradeItem",
    "TradeResult",
    "TradeSummary",
    "TrendMonth",
    "TrendResult",
    "UnmatchedGroup",
    "WolseGroupStats",
    "WolseStats",
]

Number = int | float

AMOUNT_UNIT = "만원 (10,000 KRW): 149800 means 14억 9,800만원 = 1,498,000,000 KRW"
_UNIT = Field(default=AMOUNT_UNIT, description="Unit of every *_10k amount in this result.")
THIN_SAMPLE = 5
_THIN = f"Fewer than {THIN_SAMPLE} deals: indicative only."
_FILTERS = "Filters applied before the statistics (none: the whole month)."


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _never_null(schema: dict[str, Any]) -> None:
    """A sparse model never sends null, so its optional fields are published as their bare type."""
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        options = prop.get("anyOf")
        if name in required or not options:
            continue
        kept = [option for option in options if option != {"type": "null"}]
        if len(kept) == 1:
            del prop["anyOf"]
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept


class _SparseModel(_Model):
    """Rows omit null fields when serialised: a 100-row answer should not spend the model's context
    on twenty nulls per row. The output schema lists those fields as optional, never null."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_never_null)

    @model_serializer(mode="wrap")
    def _drop_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}


class SourceInfo(_Model):
    """Where the numbers come from and how fresh they are."""

    provider: str = Field(description="Publisher of the data.")
    dataset: str = Field(description="Upstream service / dataset name.")
    endpoint: str = Field(description="Upstream operation path (without host or key).")
    data_as_of: str = Field(description="When the data was fetched from upstream (ISO 8601, KST).")
    from_cache: bool = Field(description="True when served from the local cache of an earlier fetch.")


class TradeItem(_SparseModel):
    """One non-cancelled sale. Fields a service does not publish are null."""

    deal_date: str = Field(description="Contract date YYYY-MM-DD.")
    dong: str | None = Field(default=None, description="법정동 (umdNm).")
    name: str | None = Field(default=None, description="단지/건물명 where the service publishes one.")
    jibun: str | None = Field(default=None, description="지번; masked (e.g. 3**) for some services.")
    area_m2: float | None = Field(default=None, description="Area in ㎡ (see summary.area_basis).")
    floor: int | None = None
    build_year: int | None = None
    price_10k: int | None = Field(default=None, description="Price in 만원; null if not published.")
    price_per_m2_10k: float | None = Field(default=None, description="price_10k / area_m2 (만원/㎡).")
    house_type: str | None = Field(default=None, description="연립/다세대, 단독/다가구.")
    building_type: str | None = Field(default=None, description="일반 (whole building) / 집합 (unit).")
    building_use: str | None = None
    land_use: str | None = Field(default=None, description="용도지역.")
    land_category: str | None = Field(default=None, description="지목 (land trades).")
    share_deal: bool | None = Field(default=None, description="True for 지분 (share) deals.")
    ownership: str | None = Field(default=None, description="분양권 / 입주권 (presale rights).")
    apt_dong: str | None = None
    deal_kind: str | None = Field(default=None, description="중개거래 / 직거래.")
    seller: str | None = None
    buyer: str | None = None
    registration_date: str | None = None


class TradeSummary(_Model):
    """Statistics over every valid (non-cancelled, priced) row of the month, not only ``items``."""

    sample_count: int = Field(description="Rows the statistics are computed over.")
    median_price_10k: Number | None = None
    min_price_10k: int | None = None
    max_price_10k: int | None = None
    median_price_per_m2_10k: float | None = None
    area_basis: str | None = Field(default=None, description="Which area the ㎡ figures use.")
    thin: bool = Field(default=False, description=_THIN)
    filters: dict[str, Any] | None = Field(default=None, description=_FILTERS)


class TradeResult(_Model):
    region_code: str
    region_name: str | None
    year_month: str
    property_type: str = Field(description="e.g. 아파트 매매.")
    amount_unit: str = _UNIT
    total_count: int = Field(description="Rows upstream reports for the month, cancelled ones included.")
    fetched_count: int = Field(description="Rows actually fetched over all pages.")
    cancelled_count: int = Field(description="Cancelled deals (해제), excluded from items and summary.")
    returned: int = Field(description="Length of items.")
    truncated: bool = Field(description="True when items was cut to `limit`; summary still covers all.")
    items: list[TradeItem]
    summary: TradeSummary
    data_as_of: str
    source: SourceInfo
    empty_reason: str | None = Field(default=None, description="Why there are no rows, when there are none.")
    notes: list[str] = Field(default_factory=list)


class RentItem(_SparseModel):
    """One lease contract."""

    deal_date: str
    dong: str | None = None
    name: str | None = None
    jibun: str | None = None
    area_m2: float | None = None
    floor: int | None = None
    build_year: int | None = None
    house_type: str | None = None
    rent_type: Literal["전세", "월세"]
    deposit_10k: int | None = Field(default=None, description="보증금 in 만원.")
    monthly_rent_10k: int = Field(description="월세 in 만원; 0 = 전세.")
    contract_type: str | None = Field(default=None, description="신규 / 갱신.")
    contract_term: str | None = None
    renewal_right_used: bool | None = None
    previous_deposit_10k: int | None = None
    previous_monthly_rent_10k: int | None = None


class DepositStats(_Model):
    count: int
    thin: bool = Field(default=False, description=_THIN)
    median_deposit_10k: Number | None = None
    min_deposit_10k: int | None = None
    max_deposit_10k: int | None = None
    median_deposit_per_m2_10k: float | None = None


class WolseStats(DepositStats):
    median_monthly_rent_10k: Number | None = None
    min_monthly_rent_10k: int | None = None
    max_monthly_rent_10k: int | None = None
    mean_monthly_rent_10k: float | None = None


class RentSummary(_Model):
    """Deposit statistics over all valid rows, then 전세 and 월세 apart (they are not comparable)."""

    sample_count: int
    median_deposit_10k: Number | None = None
    min_deposit_10k: int | None = None
    max_deposit_10k: int | None = None
    monthly_rent_avg_10k: float | None = Field(
        default=None,
        description="Mean 월세 over all contracts, 전세 counted as 0 (the reference server's figure); "
        "wolse.mean_monthly_rent_10k is the mean over 월세 contracts only.",
    )
    jeonse: DepositStats
    wolse: WolseStats
    area_basis: str | None = None
    thin: bool = Field(default=False, description=_THIN)
    filters: dict[str, Any] | None = Field(default=None, description=_FILTERS)


class RentResult(_Model):
    region_code: str
    region_name: str | None
    year_month: str
    property_type: str
    amount_unit: str = _UNIT
    total_count: int
    fetched_count: int
    returned: int
    truncated: bool
    items: list[RentItem]
    summary: RentSummary
    data_as_of: str
    source: SourceInfo
    empty_reason: str | None = None
    notes: list[str] = Field(default_factory=list)


class SubscriptionNotice(_SparseModel):
    """One APT 분양 notice from 청약홈."""

    house_manage_no: str
    status: Literal["upcoming", "open", "closed"] | None = Field(
        default=None,
        description="청약 접수 on data_as_of's day (KST): upcoming (접수 예정, special supply included), "
        "open (접수 중) or closed (마감).",
    )
    notice_no: str | None = None
    name: str | None = None
    house_type: str | None = Field(default=None, description="민영 / 국민.")
    region: str | None = Field(default=None, description="공급지역명 (서울, 경기 …).")
    region_code: str | None = Field(default=None, description="청약홈 3-digit 공급지역코드.")
    address: str | None = None
    households: int | None = Field(default=None, description="공급규모 (households).")
    announcement_date: str | None = None
    application_start: str | None = None
    application_end: str | None = None
    special_supply_start: str | None = None
    special_supply_end: str | None = None
    winner_announcement_date: str | None = None
    contract_start: str | None = None
    contract_end: str | None = None
    move_in_month: str | None = None
    builder: str | None = None
    developer: str | None = None
    contact: str | None = None
    price_cap: bool | None = Field(default=None, description="분양가상한제.")
    overheated_zone: bool | None = Field(default=None, description="투기과열지구.")
    adjusted_zone: bool | None = Field(default=None, description="조정대상지역.")
    url: str | None = Field(default=None, description="청약홈 notice page.")


class SubscriptionNoticeResult(_Model):
    total_count: int = Field(description="Notices matching the filters upstream (matchCount).")
    returned: int
    truncated: bool
    items: list[SubscriptionNotice]
    filters: dict[str, str]
    data_as_of: str
    source: SourceInfo
    empty_reason: str | None = None
    notes: list[str] = Field(default_factory=list)


class AreaAgeStat(_Model):
    """Applicants (or winners) of one month and region by age band."""

    stat_month: str
    area_code: str | None = None
    area_name: str | None = None
    age_30_or_under: int | None = None
    age_40s: int | None = None
    age_50s: int | None = None
    age_60_or_over: int | None = None
    total: int | None = None


class AreaCompetitionStat(_Model):
    """청약 경쟁률 of one month and region: households offered, applications, applications per household."""

    stat_month: str
    area_code: str | None = None
    area_name: str | None = None
    special_supply_households: int | None = Field(default=None, description="특별공급 세대수.")
    special_supply_applications: int | None = Field(default=None, description="특별공급 신청건수.")
    special_supply_rate: float | None = Field(default=None, description="특별공급 경쟁률 (x : 1).")
    general_supply_households: int | None = Field(default=None, description="일반공급 세대수.")
    general_supply_applications: int | None = Field(default=None, description="일반공급 신청건수.")
    general_supply_rate: float | None = Field(default=None, description="일반공급 경쟁률 (x : 1).")


class AreaScoreStat(_Model):
    """청약 가점 of 가점제 winners in one month and region (points out of 84)."""

    stat_month: str
    area_code: str | None = None
    area_name: str | None = None
    residence: str | None = Field(default=None, description="01 해당지역, 02 기타경기, 03 기타지역.")
    average_score: float | None = None
    top_score: float | None = None
    lowest_score: float | None = None


class SubscriptionStatResult(_Model):
    statistic: str = Field(description="What is counted, e.g. 청약 신청자 (applicants).")
    year_month: str = Field(description="Statistics month YYYYMM (the latest published if none was asked).")
    total_count: int
    returned: int
    items: list[AreaAgeStat | AreaCompetitionStat | AreaScoreStat]
    grand_total: int | None = Field(
        default=None, description="Sum of `total` over the returned regions (applicants/winners)."
    )
    data_as_of: str
    source: SourceInfo
    empty_reason: str | None = None


# ---- range tools (get_price_trend, compare_regions, get_jeonse_ratio, get_complex_summary) ----------


class PriceStats(_SparseModel):
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


class Change(_Model):
    """Median change from the first to the last month with statistics."""

    from_month: str
    to_month: str
    from_median_10k: Number
    to_median_10k: Number
    change_pct: float
    from_count: int
    to_count: int
    thin: bool = Field(description="Either end is thin.")


class RangeInfo(_Model):
    start_month: str
    end_month: str
    property_type: str = Field(description="e.g. 아파트 매매, 아파트 전세.")
    filters: dict[str, Any] = Field(description="Filters applied before every statistic.")
    amount_unit: str = _UNIT


class TrendResult(RangeInfo):
    region_code: str
    region_name: str | None
    overall: PriceStats = Field(description="Every deal of the months with statistics.")
    change: Change | None
    months: list[TrendMonth]
    notes: list[str] = Field(default_factory=list)


class RegionTrend(PriceStats):
    region_code: str
    region_name: str | None = None
    change: Change | None = None
    months: list[TrendMonth]


class CompareResult(RangeInfo):
    regions: list[RegionTrend] = Field(description="In the order asked; statistics as in get_price_trend.")
    notes: list[str] = Field(default_factory=list)


class MonthIssue(_Model):
    year_month: str
    dataset: str
    error: str = Field(description="Why the month is left out.")


class RatioGroup(_Model):
    dong: str | None
    name: str
    area_type: int = Field(description="전용면적 truncated to whole ㎡ (the 59/84 타입).")
    trade: PriceStats
    jeonse: PriceStats
    ratio_pct: float = Field(description="Median 전세 deposit / median trade price, %.")
    thin: bool = Field(description="Either side is thin.")


class UnmatchedGroup(_Model):
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
    notes: list[str] = Field(default_factory=list)


class WolseGroupStats(PriceStats):
    """월세 deposits (median/min/max) and the median monthly rent."""

    median_monthly_rent_10k: Number | None = None


class ComplexDeal(_SparseModel):
    deal_date: str
    area_m2: float | None = None
    floor: int | None = None
    price_10k: int | None = Field(default=None, description="Trades: the price.")
    deposit_10k: int | None = Field(default=None, description="Rents: the deposit.")
    monthly_rent_10k: int | None = Field(default=None, description="Rents: 0 = 전세.")


class ComplexAreaGroup(_Model):
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
    notes: list[str] = Field(default_factory=list)
