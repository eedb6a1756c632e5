"""Trade (매매) tools: one per MOLIT trade service, all with the same arguments and result shape.

Each tool validates its arguments, fetches every page of the month and returns deals minus the
cancelled ones (해제) with statistics over all valid rows; see ``molit.reports.trade_report``.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from mcp_server.models.months import TradeResult
from mcp_server.molit.client import MolitClient
from mcp_server.molit.reports import trade_report
from mcp_server.tools.arguments import RegionLookup
from mcp_server.tools.month_tools import register_month_tools

__all__ = ["TRADE_TOOLS", "register"]

# tool name → (service key, title, description)
TRADE_TOOLS: dict[str, tuple[str, str, str]] = {
    "get_apartment_trades": (
        "apt_trade",
        "아파트 매매 실거래가",
        "Apartment (아파트) sale prices for one 시군구 and month: every deal of the month, cancelled "
        "deals excluded, with median/min/max price (만원) and price per ㎡ of 전용면적.",
    ),
    "get_officetel_trades": (
        "offi_trade",
        "오피스텔 매매 실거래가",
        "Officetel (오피스텔) sale prices for one 시군구 and month, cancelled deals excluded, with "
        "median/min/max price (만원) and price per ㎡.",
    ),
    "get_villa_trades": (
        "rh_trade",
        "연립/다세대 (빌라) 매매 실거래가",
        "Villa (빌라: 연립주택/다세대주택) sale prices for one 시군구 and month, cancelled deals "
        "excluded, with median/min/max price (만원) and price per ㎡.",
    ),
    "get_single_house_trades": (
        "sh_trade",
        "단독/다가구 매매 실거래가",
        "Detached and multi-household house (단독/다가구주택) sale prices for one 시군구 and month, "
        "cancelled deals excluded; area is 연면적 and 지번 is masked by MOLIT.",
    ),
    "get_commercial_trade": (
        "nrg_trade",
        "상업업무용 부동산 매매 실거래가",
        "Commercial and office property (상가/상업용/업무용 건물) sale prices for one 시군구 and month, "
        "cancelled deals excluded; building type 일반 (whole building) or 집합 (unit).",
    ),
    "get_land_trades": (
        "land_trade",
        "토지 매매 실거래가",
        "Land (토지) sale prices for one 시군구 and month, cancelled deals excluded; share deals "
        "(지분) are flagged with share_deal; 지번 is masked by MOLIT.",
    ),
    "get_factory_warehouse_trades": (
        "indu_trade",
        "공장/창고 매매 실거래가",
        "Factory and warehouse (공장/창고, 지식산업센터) sale prices for one 시군구 and month, cancelled "
        "deals excluded.",
    ),
    "get_presale_right_trades": (
        "silv_trade",
        "아파트 분양권/입주권 전매 실거래가",
        "Apartment presale-right resales (분양권/입주권 전매) for one 시군구 and month, cancelled deals "
        "excluded; ownership says 분양권 or 입주권; the price is the whole right, not the premium.",
    ),
}


def register(server: MCPServer, client: MolitClient, regions: RegionLookup) -> None:
    register_month_tools(server, client, regions, TRADE_TOOLS, trade_report, TradeResult)
