"""Summary statistics: medians as the README computes them, 전세/월세 apart, ㎡ figures per row."""

from __future__ import annotations

from mcp_server.models.months import RentItem, TradeItem
from mcp_server.molit.summaries import median_or_none, summarize_rents, summarize_trades


def trade(price: int, area: float | None = None) -> TradeItem:
    return TradeItem(deal_date="2025-01-01", price_10k=price, area_m2=area)


def rent(deposit: int, monthly: int, area: float | None = None) -> RentItem:
    return RentItem(
        deal_date="2025-01-01",
        deposit_10k=deposit,
        monthly_rent_10k=monthly,
        rent_type="전세" if monthly == 0 else "월세",
        area_m2=area,
    )


def test_median_is_whole_when_it_can_be_and_half_when_it_must() -> None:
    assert median_or_none([1, 3]) == 2
    assert isinstance(median_or_none([1, 3]), int)
    assert median_or_none([1, 2]) == 1.5
    assert median_or_none([]) is None


def test_trade_summary_with_and_without_areas() -> None:
    summary = summarize_trades([trade(100, 10.0), trade(300, 10.0), trade(200)], "전용면적")
    assert (summary.sample_count, summary.median_price_10k, summary.min_price_10k, summary.max_price_10k) == (
        3,
        200,
        100,
        300,
    )
    assert (summary.median_price_per_m2_10k, summary.area_basis) == (20.0, "전용면적")
    assert summarize_trades([trade(100)], "전용면적").area_basis is None


def test_rent_summary_keeps_jeonse_and_wolse_apart() -> None:
    summary = summarize_rents(
        [rent(50000, 0, 50.0), rent(70000, 0, 70.0), rent(1000, 100), rent(3000, 80)], "전용면적"
    )
    assert (summary.sample_count, summary.median_deposit_10k) == (4, 26500)
    assert (
        summary.jeonse.count,
        summary.jeonse.median_deposit_10k,
        summary.jeonse.median_deposit_per_m2_10k,
    ) == (
        2,
        60000,
        1000.0,
    )
    wolse = summary.wolse
    assert (
        wolse.count,
        wolse.median_deposit_10k,
        wolse.min_monthly_rent_10k,
        wolse.max_monthly_rent_10k,
    ) == (
        2,
        2000,
        80,
        100,
    )
    assert (wolse.mean_monthly_rent_10k, wolse.median_deposit_per_m2_10k) == (90.0, None)
