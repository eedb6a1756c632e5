"""Rent (전월세) tools: one per MOLIT rent service, 전세 and 월세 summarised apart.

A 전세 deposit and a 월세 deposit are different prices, so besides the all-rows deposit figures the
summary gives each its own statistics (월세 with monthly rent); see ``molit_reports.rent_report``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from mcp.server.mcpserver import MCPServer

from mcp_server.models import RentResult
from mcp_server.molit_client import MolitClient
from mcp_server.molit_reports import rent_report
from mcp_server.molit_services import MOLIT_SERVICES, MolitService
from mcp_server.tool_arguments import (
    DEFAULT_LIMIT,
    READ_ONLY_OPEN_WORLD,
    LimitArg,
    NumOfRowsArg,
    RegionCodeArg,
    RegionLookup,
    YearMonthArg,
    check_limit,
    check_region_code,
    check_year_month,
    tool_errors,
)

__all__ = ["RENT_TOOLS", "register"]

_SUMMARY = (
    "with deposit (보증금, 만원) statistics overall and separately for 전세 (monthly rent 0) and 월세 "
    "(plus monthly rent statistics), and deposit per ㎡."
)

RENT_TOOLS: dict[str, tuple[str, str, str]] = {
    "get_apartment_rent": (
        "apt_rent",
        "아파트 전월세 실거래가",
        f"Apartment (아파트) 전세/월세 contracts for one 시군구 and month, {_SUMMARY}",
    ),
    "get_officetel_rent": (
        "offi_rent",
        "오피스텔 전월세 실거래가",
        f"Officetel (오피스텔) 전세/월세 contracts for one 시군구 and month, {_SUMMARY}",
    ),
    "get_villa_rent": (
        "rh_rent",
        "연립/다세대 (빌라) 전월세 실거래가",
        f"Villa (빌라: 연립/다세대) 전세/월세 contracts for one 시군구 and month, {_SUMMARY}",
    ),
    "get_single_house_rent": (
        "sh_rent",
        "단독/다가구 전월세 실거래가",
        f"Detached/multi-household house (단독/다가구) 전세/월세 contracts for one 시군구 and month, "
        f"{_SUMMARY} Area is 연면적.",
    ),
}


def register(server: MCPServer, client: MolitClient, regions: RegionLookup) -> None:
    for name, (service_key, title, description) in RENT_TOOLS.items():
        server.add_tool(
            _rent_tool(client, regions, MOLIT_SERVICES[service_key]),
            name=name,
            title=title,
            description=description,
            annotations=READ_ONLY_OPEN_WORLD,
        )


def _rent_tool(
    client: MolitClient, regions: RegionLookup, service: MolitService
) -> Callable[..., Awaitable[RentResult]]:
    async def tool(
        region_code: RegionCodeArg,
        year_month: YearMonthArg,
        limit: LimitArg = DEFAULT_LIMIT,
        num_of_rows: NumOfRowsArg = None,
    ) -> RentResult:
        with tool_errors():
            code = check_region_code(region_code, regions)
            month = check_year_month(year_month)
            shown = check_limit(limit if num_of_rows is None else num_of_rows)
            return await rent_report(client, service, code, regions.name_of(code), month, shown)

    return tool
