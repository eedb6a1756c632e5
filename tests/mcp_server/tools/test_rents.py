"""Rent tools: 전세 and 월세 apart, README figures, through the in-memory client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mcp import Client

from tests.mcp_server.server_setup import server_for
from tests.support.fixture_upstream.server import FixtureUpstream


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.mark.parametrize(
    ("tool", "count", "jeonse", "wolse", "median", "low", "high", "mean_rent"),
    [  # README figures; mean monthlyRent over all valid rows, 전세 as 0
        ("get_apartment_rent", 24, 15, 9, 69750, 5000, 123000, 80),
        ("get_officetel_rent", 15, 5, 10, 5000, 500, 29000, 50.67),
        ("get_villa_rent", 12, 8, 4, 15250, 1000, 37500, 22.08),
        ("get_single_house_rent", 9, 4, 5, 3000, 1000, 28000, 28.89),
    ],
)
async def test_rent_tools_split_jeonse_and_wolse(
    upstream: FixtureUpstream,
    tool: str,
    count: int,
    jeonse: int,
    wolse: int,
    median: int,
    low: int,
    high: int,
    mean_rent: float,
) -> None:
    async with Client(server_for(upstream)) as client:
        result = await client.call_tool(tool, {"region_code": "11440", "year_month": "202501", "limit": 100})
    assert not result.is_error
    data = result.structured_content
    summary = data["summary"]
    assert (data["total_count"], data["returned"], summary["sample_count"]) == (count, count, count)
    assert (summary["median_deposit_10k"], summary["min_deposit_10k"], summary["max_deposit_10k"]) == (
        median,
        low,
        high,
    )
    assert (summary["jeonse"]["count"], summary["wolse"]["count"]) == (jeonse, wolse)
    assert summary["monthly_rent_avg_10k"] == mean_rent
    assert data["amount_unit"].startswith("만원")
    items = data["items"]
    jeonse_deposits = sorted(i["deposit_10k"] for i in items if i["rent_type"] == "전세")
    assert all(i["monthly_rent_10k"] == 0 for i in items if i["rent_type"] == "전세")
    assert summary["jeonse"]["min_deposit_10k"] == jeonse_deposits[0]
    assert summary["jeonse"]["max_deposit_10k"] == jeonse_deposits[-1]
    wolse_rents = [i["monthly_rent_10k"] for i in items if i["rent_type"] == "월세"]
    assert summary["wolse"]["min_monthly_rent_10k"] == min(wolse_rents) > 0
    assert summary["wolse"]["mean_monthly_rent_10k"] == round(sum(wolse_rents) / len(wolse_rents), 2)


async def test_rent_summary_gives_deposit_per_square_metre_where_an_area_exists(
    upstream: FixtureUpstream,
) -> None:
    async with Client(server_for(upstream)) as client:
        result = await client.call_tool(
            "get_single_house_rent", {"region_code": "11440", "year_month": "202501"}
        )
    summary = result.structured_content["summary"]
    assert summary["area_basis"] == "연면적"
    assert summary["jeonse"]["median_deposit_per_m2_10k"] > 0
