"""전세가율: apartment 전세 deposits against sale prices of the same complex and area type.

A region-wide ratio of median 전세 to median price compares different flats (small ones rent, large ones
sell), so trades and 전세 contracts (monthly rent 0) are matched by 법정동, complex name (whitespace
ignored) and area type: 전용면적 truncated to whole ㎡, the way 59/84 타입 are named (84.97㎡ and 84.99㎡
are both 84). Each matched group's ratio is median deposit / median price over the whole range; the
region figure is the median of those ratios. A group with deals on one side only is listed as unmatched,
never given a ratio from a neighbour.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from mcp_server.concurrency import all_or_first_error
from mcp_server.kst import is_recent_month
from mcp_server.models.months import RentItem, TradeItem
from mcp_server.models.ranges import JeonseRatioResult, MonthIssue, RatioGroup, UnmatchedGroup
from mcp_server.molit.client import MolitClient
from mcp_server.molit.filters import RowFilter, normalize_name
from mcp_server.molit.ranges import (
    FetchedMonth,
    RangeFetcher,
    ReportProgress,
    raise_if_all_failed,
    read_history,
)
from mcp_server.molit.reports import LATE_REPORTING, month_rents, month_trades
from mcp_server.molit.services import MOLIT_SERVICES, MolitService
from mcp_server.molit.summaries import price_stats

__all__ = [
    "APT_RENT",
    "APT_TRADE",
    "area_type",
    "fetch_trades_and_rents",
    "jeonse_ratio",
    "month_issues",
    "usable_rents",
    "usable_trades",
]

APT_TRADE = MOLIT_SERVICES["apt_trade"]
APT_RENT = MOLIT_SERVICES["apt_rent"]

# A busy 구 has hundreds of complex × area groups; the answer lists those with the most deals.
LISTED_GROUPS = 40
LISTED_UNMATCHED = 20

GroupKey = tuple[str, str, int]  # (법정동, normalised complex name, area type)


def area_type(area_m2: float) -> int:
    """84.99 → 84: the 타입 a flat is sold as."""
    return int(area_m2)


def usable_trades(fetched: Sequence[FetchedMonth], filters: RowFilter) -> list[TradeItem]:
    """Valid trades of the months read whole, after the filters."""
    valid = [t for month in fetched if (rows := month.usable) for t in month_trades(rows, APT_TRADE).valid]
    return filters.keep(valid)


def usable_rents(fetched: Sequence[FetchedMonth], filters: RowFilter) -> list[RentItem]:
    """Valid rent contracts of the months read whole, after the filters."""
    valid = [r for month in fetched if (rows := month.usable) for r in month_rents(rows, APT_RENT).valid]
    return filters.keep(valid)


def month_issues(fetched: Sequence[FetchedMonth], service: MolitService) -> list[MonthIssue]:
    return [
        MonthIssue(year_month=m.year_month, dataset=service.label, error=m.problem)
        for m in fetched
        if m.problem is not None
    ]


@dataclass
class _Group:
    dong: str | None
    name: str
    area: int
    prices: list[tuple[int, float | None]] = field(default_factory=list)
    deposits: list[tuple[int, float | None]] = field(default_factory=list)


def _key(item: TradeItem | RentItem) -> GroupKey | None:
    if not item.name or not item.area_m2:
        return None
    return (item.dong or "", normalize_name(item.name), area_type(item.area_m2))


async def fetch_trades_and_rents(
    client: MolitClient, region_code: str, months: Sequence[str], report: ReportProgress | None
) -> tuple[list[FetchedMonth], list[FetchedMonth]]:
    """Both apartment services for every month, one progress count; raises only if nothing answered."""
    fetcher = RangeFetcher(client, total=2 * len(months), report=report)
    trades, rents = await all_or_first_error(
        [fetcher.months(APT_TRADE, region_code, months), fetcher.months(APT_RENT, region_code, months)]
    )
    raise_if_all_failed([*trades, *rents])
    return trades, rents


async def jeonse_ratio(
    client: MolitClient,
    region_code: str,
    region_name: str | None,
    months: Sequence[str],
    filters: RowFilter,
    report: ReportProgress | None = None,
) -> JeonseRatioResult:
    trade_months, rent_months = await fetch_trades_and_rents(client, region_code, months, report)
    groups: dict[GroupKey, _Group] = {}

    def group(item: TradeItem | RentItem) -> _Group | None:
        key = _key(item)
        if key is None or item.name is None:
            return None
        return groups.setdefault(key, _Group(item.dong, item.name, key[2]))

    for trade in usable_trades(trade_months, filters):
        if (g := group(trade)) is not None and trade.price_10k is not None:
            g.prices.append((trade.price_10k, trade.area_m2))
    for rent in usable_rents(rent_months, filters):
        if rent.monthly_rent_10k == 0 and rent.deposit_10k is not None and (g := group(rent)) is not None:
            g.deposits.append((rent.deposit_10k, rent.area_m2))

    matched: list[RatioGroup] = []
    unmatched: list[UnmatchedGroup] = []
    for key in sorted(groups):
        g = groups[key]
        sold, leased = price_stats(g.prices), price_stats(g.deposits)
        if sold.median_10k and leased.median_10k is not None:
            matched.append(
                RatioGroup(
                    dong=g.dong,
                    name=g.name,
                    area_type=g.area,
                    trade=sold,
                    jeonse=leased,
                    ratio_pct=round(leased.median_10k / sold.median_10k * 100, 1),
                    thin=sold.thin or leased.thin,
                )
            )
        else:
            side = "trade" if g.prices else "jeonse"
            count = len(g.prices) or len(g.deposits)
            unmatched.append(
                UnmatchedGroup(dong=g.dong, name=g.name, area_type=g.area, side=side, count=count)
            )

    ratios = [group.ratio_pct for group in matched]
    codes, history = read_history(trade_months, rent_months)
    notes = ([history] if history else []) + ([LATE_REPORTING] if is_recent_month(months[-1]) else [])
    matched.sort(key=lambda g: -(g.trade.count + g.jeonse.count))
    unmatched.sort(key=lambda g: -g.count)
    if len(matched) > LISTED_GROUPS or len(unmatched) > LISTED_UNMATCHED:
        shown, one_sided = min(len(matched), LISTED_GROUPS), min(len(unmatched), LISTED_UNMATCHED)
        notes.append(
            f"Listed: the {shown} matched and {one_sided} unmatched groups with the most deals; "
            "median_ratio_pct covers every matched group. Narrow with dong or name_contains to see others."
        )
    return JeonseRatioResult(
        region_code=region_code,
        region_name=region_name,
        start_month=months[0],
        end_month=months[-1],
        property_type="아파트 매매 · 전세",
        filters=filters.applied(),
        median_ratio_pct=round(statistics.median(ratios), 1) if ratios else None,
        group_count=len(matched),
        thin_group_count=sum(1 for g in matched if g.thin),
        groups=matched[:LISTED_GROUPS],
        unmatched=unmatched[:LISTED_UNMATCHED],
        unmatched_count=len(unmatched),
        month_issues=month_issues(trade_months, APT_TRADE) + month_issues(rent_months, APT_RENT),
        source_codes=codes,
        notes=notes,
    )
