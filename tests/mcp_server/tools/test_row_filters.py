"""Server-side filters on the month tools: the summary covers only the matching deals and names the filters.

Expected figures are counted from the 202501 fixture files (tests/fixtures/upstream/README.md, "Filtered
202501 figures"), valid rows only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from tests.mcp_server.server_setup import call_tool as call
from tests.mcp_server.server_setup import error_text, server_for
from tests.support.fixture_upstream.server import FixtureUpstream

MONTH = {"region_code": "11440", "year_month": "202501", "limit": 1000}


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.mark.parametrize(
    ("filters", "count", "median", "low", "high"),
    [
        ({"dong": "공덕동"}, 27, 131300, 98000, 201700),
        ({"dong": "공덕"}, 27, 131300, 98000, 201700),  # the same 동 without its suffix
        ({"name_contains": "그랑 자이"}, 36, 181250, 140800, 207500),  # 마포그랑자이 + 신촌그랑자이
        ({"min_area_m2": 59, "max_area_m2": 60}, 87, 130000, 77000, 188000),
        ({"min_floor": 1, "max_floor": 5}, 50, 117500, 80000, 250000),
        (
            {"name_contains": "그랑자이", "min_area_m2": 80, "max_area_m2": 85, "min_floor": 10},
            15,
            200500,
            182500,
            207500,
        ),
    ],
)
async def test_trade_filters_narrow_items_and_summary(
    upstream: FixtureUpstream, filters: dict[str, Any], count: int, median: int, low: int, high: int
) -> None:
    result = await call(upstream, "get_apartment_trades", {**MONTH, **filters})
    assert not result.is_error, result.content
    data = result.structured_content
    summary = data["summary"]
    assert (summary["sample_count"], summary["median_price_10k"]) == (count, median)
    assert (summary["min_price_10k"], summary["max_price_10k"]) == (low, high)
    assert summary["filters"] == filters
    assert (data["returned"], data["total_count"], data["cancelled_count"]) == (count, 250, 6)
    assert any(f"{count} of the month's 244 valid deal(s) match the filters" in n for n in data["notes"])


async def test_a_dong_filter_never_matches_a_longer_dong_name(upstream: FixtureUpstream) -> None:
    """공덕 must not pick up 신공덕동; 신공덕 matches nothing in this month."""
    data = (await call(upstream, "get_apartment_trades", {**MONTH, "dong": "신공덕"})).structured_content
    assert (data["summary"]["sample_count"], data["items"], data["summary"]["thin"]) == (0, [], True)


async def test_rent_filters_apply_to_the_jeonse_and_wolse_split(upstream: FixtureUpstream) -> None:
    data = (await call(upstream, "get_apartment_rent", {**MONTH, "dong": "현석동"})).structured_content
    summary = data["summary"]
    assert (summary["sample_count"], summary["jeonse"]["count"], summary["wolse"]["count"]) == (3, 2, 1)
    assert (summary["jeonse"]["median_deposit_10k"], summary["wolse"]["median_monthly_rent_10k"]) == (
        121500,
        400,
    )
    assert (summary["thin"], summary["jeonse"]["thin"], summary["filters"]) == (
        True,
        True,
        {"dong": "현석동"},
    )


async def test_an_unfiltered_month_says_no_filters_applied(upstream: FixtureUpstream) -> None:
    data = (await call(upstream, "get_apartment_trades", MONTH)).structured_content
    assert (data["summary"]["filters"], data["summary"]["thin"]) == (None, False)


async def test_tools_offer_only_the_filters_their_service_can_answer(upstream: FixtureUpstream) -> None:
    async with Client(server_for(upstream)) as client:
        tools = {
            tool.name: set(tool.input_schema["properties"]) for tool in (await client.list_tools()).tools
        }
    every = {"dong", "min_area_m2", "max_area_m2"}
    assert every | {"name_contains", "min_floor", "max_floor"} <= tools["get_apartment_trades"]
    assert every <= tools["get_land_trades"]
    assert not {"name_contains", "min_floor", "max_floor"} & tools["get_land_trades"]
    assert "name_contains" not in tools["get_single_house_rent"]
    assert "min_floor" in tools["get_villa_rent"]
    assert "min_floor" not in tools["get_commercial_trade"]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"min_area_m2": 85, "max_area_m2": 59}, "min_area_m2 (85) is above max_area_m2 (59)"),
        ({"min_floor": 10, "max_floor": 3}, "min_floor (10) is above max_floor (3)"),
        ({"min_area_m2": 0}, "min_area_m2 must be a positive area"),
    ],
)
async def test_contradictory_filters_are_refused_before_any_upstream_call(
    upstream: FixtureUpstream, filters: dict[str, Any], message: str
) -> None:
    assert message in error_text(await call(upstream, "get_apartment_trades", {**MONTH, **filters}))
    assert upstream.requests_to("RTMSDataSvcAptTrade") == []
