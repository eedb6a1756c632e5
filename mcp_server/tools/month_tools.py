"""The shape every 실거래가 tool shares: (region_code, year_month, limit, filters …) → a month report.

Trade and rent tools differ only in their service table and in the report they return, so both are
built here: validate the arguments before any upstream call, then delegate to ``molit.reports``. A tool
offers only the filters that fit its service (no name filter where MOLIT publishes no name, floors only
for flats), so its signature is trimmed per service; the SDK reads ``__signature__``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from mcp.server.mcpserver import MCPServer

from mcp_server.models.months import RentResult, TradeResult
from mcp_server.molit.client import MolitClient
from mcp_server.molit.reports import MonthAsked
from mcp_server.molit.services import MOLIT_SERVICES, MolitService
from mcp_server.tools.arguments import (
    DEFAULT_LIMIT,
    READ_ONLY_OPEN_WORLD,
    DongArg,
    LimitArg,
    MaxAreaArg,
    MaxFloorArg,
    MinAreaArg,
    MinFloorArg,
    NameContainsArg,
    NumOfRowsArg,
    RegionCodeArg,
    RegionLookup,
    YearMonthArg,
    check_filters,
    check_limit,
    check_region_code,
    check_year_month,
)
from mcp_server.tools.registry import add_tool

__all__ = ["register_month_tools"]

ReportT = TypeVar("ReportT", TradeResult, RentResult)
# molit.reports.trade_report or rent_report
MonthReport = Callable[[MolitClient, MonthAsked], Awaitable[ReportT]]
# Floors filter flats: the apartment, officetel and villa services (land and houses have no floor; for
# commercial, factory and presale deals a floor range is rarely asked and each filter costs list bytes).
_FLOOR_SERVICES = frozenset({"apt_trade", "apt_rent", "offi_trade", "offi_rent", "rh_trade", "rh_rent"})


def register_month_tools(
    server: MCPServer,
    client: MolitClient,
    regions: RegionLookup,
    tools: Mapping[str, tuple[str, str, str]],
    report: MonthReport[ReportT],
    result: type[ReportT],
) -> None:
    """Add one tool per ``tools`` entry (tool name → (service key, title, description))."""
    for name, (service_key, title, description) in tools.items():
        add_tool(
            server,
            _month_tool(client, regions, MOLIT_SERVICES[service_key], report, result),
            redact=client.http.redact,
            name=name,
            title=title,
            description=description,
            annotations=READ_ONLY_OPEN_WORLD,
        )


def _month_tool(
    client: MolitClient,
    regions: RegionLookup,
    service: MolitService,
    report: MonthReport[ReportT],
    result: type[ReportT],
) -> Callable[..., Awaitable[ReportT]]:
    async def tool(
        region_code: RegionCodeArg,
        year_month: YearMonthArg,
        limit: LimitArg = DEFAULT_LIMIT,
        num_of_rows: NumOfRowsArg = None,
        dong: DongArg = None,
        name_contains: NameContainsArg = None,
        min_area_m2: MinAreaArg = None,
        max_area_m2: MaxAreaArg = None,
        min_floor: MinFloorArg = None,
        max_floor: MaxFloorArg = None,
    ) -> ReportT:
        code = check_region_code(region_code, regions)
        month = check_year_month(year_month)
        shown = check_limit(limit if num_of_rows is None else num_of_rows)
        filters = check_filters(
            dong=dong,
            name_contains=name_contains,
            min_area_m2=min_area_m2,
            max_area_m2=max_area_m2,
            min_floor=min_floor,
            max_floor=max_floor,
        )
        asked = MonthAsked(service, code, regions.historic_name(code), month, shown, filters)
        return await report(client, asked)

    # The SDK builds the tool's output schema from its return annotation, so it must name the model.
    tool.__annotations__["return"] = result
    unsupported = set()
    if service.name_field is None:
        unsupported.add("name_contains")
    if service.key not in _FLOOR_SERVICES:
        unsupported |= {"min_floor", "max_floor"}
    signature = inspect.signature(tool, eval_str=True)
    tool.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for name, p in signature.parameters.items() if name not in unsupported]
    )
    return tool
