"""One month of MOLIT trades or rents: rows, summary and the result around them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mcp_server.models.base import (
    AMOUNT_UNIT_FIELD,
    FILTERS_NOTE,
    SOURCE_CODES_NOTE,
    THIN_NOTE,
    Number,
    ResultModel,
    SourceInfo,
    SparseModel,
)

__all__ = [
    "DepositStats",
    "RentItem",
    "RentResult",
    "RentSummary",
    "TradeItem",
    "TradeResult",
    "TradeSummary",
    "WolseStats",
]


class TradeItem(SparseModel):
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


class TradeSummary(ResultModel):
    """Statistics over every valid (non-cancelled, priced) row of the month, not only ``items``."""

    sample_count: int = Field(description="Rows the statistics are computed over.")
    median_price_10k: Number | None = None
    min_price_10k: int | None = None
    max_price_10k: int | None = None
    median_price_per_m2_10k: float | None = None
    area_basis: str | None = Field(default=None, description="Which area the ㎡ figures use.")
    thin: bool = Field(default=False, description=THIN_NOTE)
    filters: dict[str, Any] | None = Field(default=None, description=FILTERS_NOTE)


class TradeResult(ResultModel):
    region_code: str
    region_name: str | None
    year_month: str
    property_type: str = Field(description="e.g. 아파트 매매.")
    amount_unit: str = AMOUNT_UNIT_FIELD
    total_count: int = Field(description="Rows upstream reports for the month, cancelled ones included.")
    fetched_count: int = Field(description="Rows actually fetched over all pages.")
    cancelled_count: int = Field(description="Cancelled deals (해제), excluded from items and summary.")
    returned: int = Field(description="Length of items.")
    truncated: bool = Field(description="True when items was cut to `limit`; summary still covers all.")
    items: list[TradeItem]
    summary: TradeSummary
    data_as_of: str
    source: SourceInfo
    source_codes: list[str] = Field(default_factory=list, description=SOURCE_CODES_NOTE)
    empty_reason: str | None = Field(default=None, description="Why there are no rows, when there are none.")
    notes: list[str] = Field(default_factory=list)


class RentItem(SparseModel):
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


class DepositStats(ResultModel):
    count: int
    thin: bool = Field(default=False, description=THIN_NOTE)
    median_deposit_10k: Number | None = None
    min_deposit_10k: int | None = None
    max_deposit_10k: int | None = None
    median_deposit_per_m2_10k: float | None = None


class WolseStats(DepositStats):
    median_monthly_rent_10k: Number | None = None
    min_monthly_rent_10k: int | None = None
    max_monthly_rent_10k: int | None = None
    mean_monthly_rent_10k: float | None = None


class RentSummary(ResultModel):
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
    thin: bool = Field(default=False, description=THIN_NOTE)
    filters: dict[str, Any] | None = Field(default=None, description=FILTERS_NOTE)


class RentResult(ResultModel):
    region_code: str
    region_name: str | None
    year_month: str
    property_type: str
    amount_unit: str = AMOUNT_UNIT_FIELD
    total_count: int
    fetched_count: int
    returned: int
    truncated: bool
    items: list[RentItem]
    summary: RentSummary
    data_as_of: str
    source: SourceInfo
    source_codes: list[str] = Field(default_factory=list, description=SOURCE_CODES_NOTE)
    empty_reason: str | None = None
    notes: list[str] = Field(default_factory=list)
