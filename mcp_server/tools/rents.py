"""Rent (전월세) tools: one per MOLIT rent service, 전세 and 월세 summarised apart.

A 전세 deposit and a 월세 deposit are different prices, so besides the all-rows deposit figures the
summary gives each its own statistics (월세 with monthly rent); see ``molit.reports.rent_report``.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from mcp_server.models.months import RentResult
from mcp_server.molit.client import MolitClient
from mcp_server.molit.reports import rent_report
from mcp_server.tools.arguments import RegionLookup
from mcp_server.tools.month_tools import register_month_tools

__all__ = ["RENT_TOOLS", "register"]

_SUMMARY = "with 보증금 and 월세 statistics (만원), 전세 and 월세 apart."

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
    register_month_tools(server, client, regions, RENT_TOOLS, rent_report, RentResult)
