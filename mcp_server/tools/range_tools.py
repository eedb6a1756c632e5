"""The range tools: get_price_trend, compare_regions, get_jeonse_ratio, get_complex_summary.

Each answers in one call what would otherwise take the model one call per month and arithmetic it does
badly. They only check arguments (before any upstream call) and delegate to ``molit.trends``,
``molit.jeonse`` and ``molit.complexes``; months are fetched concurrently there, with an MCP progress
notification per month when the client asked for progress. Each names its chart view
(``mcp_server.apps``) in ``_meta.ui.resourceUri``; hosts without MCP Apps ignore it.
"""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from pydantic import Field

from mcp_server.apps.views import tool_meta
from mcp_server.errors import InvalidArgumentError
from mcp_server.models.ranges import CompareResult, ComplexSummaryResult, JeonseRatioResult, TrendResult
from mcp_server.molit.client import MolitClient
from mcp_server.molit.complexes import complex_summary
from mcp_server.molit.jeonse import jeonse_ratio
from mcp_server.molit.trends import DealType, PropertyType, Series, compare_trends, price_trend
from mcp_server.tools.arguments import (
    READ_ONLY_OPEN_WORLD,
    DongArg,
    EndMonthArg,
    MaxAreaArg,
    MinAreaArg,
    NameContainsArg,
    RegionCodeArg,
    RegionLookup,
    StartMonthArg,
    check_filters,
    check_month_range,
    check_region_code,
)
from mcp_server.tools.registry import tool

__all__ = ["register"]

PropertyTypeArg = Annotated[
    PropertyType, Field(description="villa = 연립/다세대, single_house = 단독/다가구.")
]
DealTypeArg = Annotated[DealType, Field(description="trade = 매매 prices; jeonse = 전세 deposits.")]
RegionCodesArg = Annotated[list[str], Field(description="2-5 five-digit 시군구 codes (get_region_code).")]
ApartmentNameArg = Annotated[str, Field(description="Complex name as MOLIT writes it; spaces ignored.")]


def register(server: MCPServer, client: MolitClient, regions: RegionLookup) -> None:
    redact = client.http.redact

    @tool(
        server,
        name="get_price_trend",
        title="가격 추이",
        annotations=READ_ONLY_OPEN_WORLD,
        meta=tool_meta("trend"),
        redact=redact,
    )
    async def get_price_trend(
        region_code: RegionCodeArg,
        ctx: Context,
        start_month: StartMonthArg = None,
        end_month: EndMonthArg = None,
        property_type: PropertyTypeArg = "apartment",
        deal_type: DealTypeArg = "trade",
        dong: DongArg = None,
        name_contains: NameContainsArg = None,
        min_area_m2: MinAreaArg = None,
        max_area_m2: MaxAreaArg = None,
    ) -> TrendResult:
        """Price trend (추이) of one 시군구, up to 36 months in one call: per month count, median/min/max,
        median per ㎡, change vs the previous month and a year before (%); change first→last month."""
        code = check_region_code(region_code, regions)
        months = check_month_range(start_month, end_month)
        filters = check_filters(
            dong=dong, name_contains=name_contains, min_area_m2=min_area_m2, max_area_m2=max_area_m2
        )
        series = Series(property_type, deal_type)
        return await price_trend(
            client, series, code, regions.historic_name(code), months, filters, ctx.report_progress
        )

    @tool(
        server,
        name="compare_regions",
        title="지역 비교",
        annotations=READ_ONLY_OPEN_WORLD,
        meta=tool_meta("comparison"),
        redact=redact,
    )
    async def compare_regions(
        region_codes: RegionCodesArg,
        ctx: Context,
        start_month: StartMonthArg = None,
        end_month: EndMonthArg = None,
        property_type: PropertyTypeArg = "apartment",
        deal_type: DealTypeArg = "trade",
        name_contains: NameContainsArg = None,
        min_area_m2: MinAreaArg = None,
        max_area_m2: MaxAreaArg = None,
    ) -> CompareResult:
        """2-5 시군구 side by side (비교), same months and filters: per region the range's statistics,
        its change first→last month and each month as in get_price_trend."""
        codes = [check_region_code(code, regions) for code in region_codes]
        if not 2 <= len(set(codes)) == len(codes) <= 5:
            raise InvalidArgumentError(
                f"region_codes needs 2 to 5 different 시군구 codes, got {codes}. For one region use "
                "get_price_trend."
            )
        months = check_month_range(start_month, end_month)
        filters = check_filters(name_contains=name_contains, min_area_m2=min_area_m2, max_area_m2=max_area_m2)
        named = [(code, regions.historic_name(code)) for code in codes]
        series = Series(property_type, deal_type)
        return await compare_trends(client, series, named, months, filters, ctx.report_progress)

    @tool(
        server,
        name="get_jeonse_ratio",
        title="전세가율",
        annotations=READ_ONLY_OPEN_WORLD,
        meta=tool_meta("jeonse-ratio"),
        redact=redact,
    )
    async def get_jeonse_ratio(
        region_code: RegionCodeArg,
        ctx: Context,
        start_month: StartMonthArg = None,
        end_month: EndMonthArg = None,
        dong: DongArg = None,
        name_contains: NameContainsArg = None,
        min_area_m2: MinAreaArg = None,
        max_area_m2: MaxAreaArg = None,
    ) -> JeonseRatioResult:
        """Apartment 전세가율: trades and 전세 contracts matched by complex and area type; per group
        median 전세 / median price (%), and the median over groups; one-sided groups listed apart."""
        code = check_region_code(region_code, regions)
        months = check_month_range(start_month, end_month)
        filters = check_filters(
            dong=dong, name_contains=name_contains, min_area_m2=min_area_m2, max_area_m2=max_area_m2
        )
        return await jeonse_ratio(
            client, code, regions.historic_name(code), months, filters, ctx.report_progress
        )

    @tool(
        server,
        name="get_complex_summary",
        title="단지 요약",
        annotations=READ_ONLY_OPEN_WORLD,
        meta=tool_meta("complex"),
        redact=redact,
    )
    async def get_complex_summary(
        region_code: RegionCodeArg,
        apartment_name: ApartmentNameArg,
        ctx: Context,
        start_month: StartMonthArg = None,
        end_month: EndMonthArg = None,
        dong: DongArg = None,
    ) -> ComplexSummaryResult:
        """One apartment complex (단지) over a range: trade, 전세 and 월세 statistics per area type, the
        latest deals and the build year."""
        code = check_region_code(region_code, regions)
        name = apartment_name.strip()
        if not name:
            raise InvalidArgumentError(
                "apartment_name is empty; give the complex name, e.g. 마포래미안푸르지오."
            )
        months = check_month_range(start_month, end_month)
        place = check_filters(dong=dong).dong
        return await complex_summary(
            client, code, regions.historic_name(code), name, place, months, ctx.report_progress
        )
