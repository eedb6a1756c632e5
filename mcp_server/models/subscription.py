"""청약홈 notices and statistics."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mcp_server.models.base import ResultModel, SourceInfo, SparseModel

__all__ = [
    "AreaAgeStat",
    "AreaCompetitionStat",
    "AreaScoreStat",
    "SubscriptionNotice",
    "SubscriptionNoticeResult",
    "SubscriptionStatResult",
]


class SubscriptionNotice(SparseModel):
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


class SubscriptionNoticeResult(ResultModel):
    total_count: int = Field(description="Notices matching the filters upstream (matchCount).")
    returned: int
    truncated: bool
    items: list[SubscriptionNotice]
    filters: dict[str, str]
    data_as_of: str
    source: SourceInfo
    empty_reason: str | None = None
    notes: list[str] = Field(default_factory=list)


class AreaAgeStat(ResultModel):
    """Applicants (or winners) of one month and region by age band."""

    stat_month: str
    area_code: str | None = None
    area_name: str | None = None
    age_30_or_under: int | None = None
    age_40s: int | None = None
    age_50s: int | None = None
    age_60_or_over: int | None = None
    total: int | None = None


class AreaCompetitionStat(ResultModel):
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


class AreaScoreStat(ResultModel):
    """청약 가점 of 가점제 winners in one month and region (points out of 84)."""

    stat_month: str
    area_code: str | None = None
    area_name: str | None = None
    residence: str | None = Field(default=None, description="01 해당지역, 02 기타경기, 03 기타지역.")
    average_score: float | None = None
    top_score: float | None = None
    lowest_score: float | None = None


class SubscriptionStatResult(ResultModel):
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
