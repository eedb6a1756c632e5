"""Month statistics over every valid row (not just the items shown), with 전세 and 월세 kept apart.

Medians use ``statistics.median`` (an even count gives the mean of the middle two, so .5 is possible),
which is how the fixtures README computes its expected figures. ㎡ figures are medians of per-row
ratios over rows that have an area, so one odd-sized unit does not skew them.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from mcp_server.models.base import THIN_SAMPLE
from mcp_server.models.months import DepositStats, RentItem, RentSummary, TradeItem, TradeSummary, WolseStats
from mcp_server.models.ranges import PriceStats

__all__ = ["is_thin", "median_or_none", "price_stats", "summarize_rents", "summarize_trades"]


def is_thin(count: int) -> bool:
    """A statistic over fewer than ``THIN_SAMPLE`` deals is flagged, not hidden: it may be all there is."""
    return count < THIN_SAMPLE


def price_stats(amounts: Sequence[tuple[int, float | None]]) -> PriceStats:
    """Statistics of (amount in 만원, area in ㎡ or None) pairs, as the range tools report them."""
    values = [amount for amount, _ in amounts]
    per_m2 = [amount / area for amount, area in amounts if area]
    return PriceStats(
        count=len(values),
        thin=is_thin(len(values)),
        median_10k=median_or_none(values),
        min_10k=min(values, default=None),
        max_10k=max(values, default=None),
        median_per_m2_10k=_rounded(median_or_none(per_m2)),
    )


def median_or_none(values: Sequence[int | float]) -> int | float | None:
    """Median, as an int when it is whole (149800, not 149800.0); None for no values."""
    if not values:
        return None
    value = statistics.median(values)
    return int(value) if float(value).is_integer() else float(value)


def summarize_trades(items: Sequence[TradeItem], area_basis: str | None) -> TradeSummary:
    prices = [i.price_10k for i in items if i.price_10k is not None]
    per_m2 = [i.price_10k / i.area_m2 for i in items if i.price_10k is not None and i.area_m2]
    return TradeSummary(
        sample_count=len(prices),
        median_price_10k=median_or_none(prices),
        min_price_10k=min(prices, default=None),
        max_price_10k=max(prices, default=None),
        median_price_per_m2_10k=_rounded(median_or_none(per_m2)),
        area_basis=area_basis if per_m2 else None,
        thin=is_thin(len(prices)),
    )


def summarize_rents(items: Sequence[RentItem], area_basis: str | None) -> RentSummary:
    valid = [i for i in items if i.deposit_10k is not None]
    deposits = [i.deposit_10k for i in valid if i.deposit_10k is not None]
    jeonse = [i for i in valid if i.monthly_rent_10k == 0]
    wolse = [i for i in valid if i.monthly_rent_10k > 0]
    rents = [i.monthly_rent_10k for i in wolse]
    wolse_deposits = _deposit_stats(wolse)
    has_area = any(i.area_m2 for i in valid)
    return RentSummary(
        sample_count=len(deposits),
        median_deposit_10k=median_or_none(deposits),
        min_deposit_10k=min(deposits, default=None),
        max_deposit_10k=max(deposits, default=None),
        monthly_rent_avg_10k=round(statistics.fmean(i.monthly_rent_10k for i in valid), 2) if valid else None,
        jeonse=_deposit_stats(jeonse),
        wolse=WolseStats(
            **wolse_deposits.model_dump(),
            median_monthly_rent_10k=median_or_none(rents),
            min_monthly_rent_10k=min(rents, default=None),
            max_monthly_rent_10k=max(rents, default=None),
            mean_monthly_rent_10k=round(statistics.fmean(rents), 2) if rents else None,
        ),
        area_basis=area_basis if has_area else None,
        thin=is_thin(len(deposits)),
    )


def _deposit_stats(items: Sequence[RentItem]) -> DepositStats:
    deposits = [i.deposit_10k for i in items if i.deposit_10k is not None]
    per_m2 = [i.deposit_10k / i.area_m2 for i in items if i.deposit_10k is not None and i.area_m2]
    return DepositStats(
        count=len(deposits),
        thin=is_thin(len(deposits)),
        median_deposit_10k=median_or_none(deposits),
        min_deposit_10k=min(deposits, default=None),
        max_deposit_10k=max(deposits, default=None),
        median_deposit_per_m2_10k=_rounded(median_or_none(per_m2)),
    )


def _rounded(value: int | float | None) -> float | None:
    return round(float(value), 1) if value is not None else None
