"""The assembled server: every reference tool name, MCP conventions, and an instructions guide that
names each data tool with the Korean keywords users type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mcp import Client

from mcp_server.server import INSTRUCTIONS
from tests.mcp_server.server_setup import server_for
from tests.support.fixture_upstream.server import FixtureUpstream

REFERENCE_TOOLS = {
    "get_region_code",
    "get_current_year_month",
    "get_apartment_trades",
    "get_officetel_trades",
    "get_villa_trades",
    "get_single_house_trades",
    "get_commercial_trade",
    "get_apartment_rent",
    "get_officetel_rent",
    "get_villa_rent",
    "get_single_house_rent",
    "get_apt_subscription_info",
    "get_apt_subscription_results",
    "calculate_loan_payment",
    "calculate_compound_growth",
    "calculate_monthly_cashflow",
}
RANGE_TOOLS = {"get_price_trend", "compare_regions", "get_jeonse_ratio", "get_complex_summary"}
DATA_TOOLS = {name for name in REFERENCE_TOOLS if name.startswith("get_") and "region" not in name} - {
    "get_current_year_month"
} | RANGE_TOOLS


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def test_every_reference_tool_is_served_with_mcp_conventions(upstream: FixtureUpstream) -> None:
    async with Client(server_for(upstream)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        instructions = client.instructions
    assert set(tools) >= REFERENCE_TOOLS | RANGE_TOOLS
    assert instructions == INSTRUCTIONS
    for name in DATA_TOOLS:
        tool = tools[name]
        assert tool.annotations is not None
        assert (tool.annotations.read_only_hint, tool.annotations.open_world_hint) == (True, True), name
        assert tool.output_schema is not None, name
        assert tool.description, name
        for argument, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), f"{name}.{argument} has no description"


@pytest.mark.parametrize(
    "keyword",
    [
        "아파트",
        "오피스텔",
        "빌라",
        "연립",
        "다세대",
        "단독",
        "다가구",
        "상가",
        "상업용",
        "청약",
        "전세",
        "월세",
    ],
)
def test_instructions_guide_uses_the_korean_keywords(keyword: str) -> None:
    assert keyword in INSTRUCTIONS


def test_instructions_name_every_data_tool() -> None:
    for name in DATA_TOOLS | {"get_region_code", "get_current_year_month"}:
        assert name in INSTRUCTIONS


@pytest.mark.parametrize(
    ("keyword", "tool"),
    [
        ("추이", "get_price_trend"),
        ("변화", "get_price_trend"),
        ("비교", "compare_regions"),
        ("전세가율", "get_jeonse_ratio"),
        ("단지", "get_complex_summary"),
    ],
)
def test_the_guide_sends_range_questions_to_the_range_tools(keyword: str, tool: str) -> None:
    lines = [line for line in INSTRUCTIONS.splitlines() if keyword in line and "→" in line]
    assert lines, keyword
    assert all(tool in line for line in lines), lines
