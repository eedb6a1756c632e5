"""Tool argument types and their validation, shared by the data tools.

Arguments are checked here, before any upstream call, so a wrong region code or a future month costs
no quota and the model gets a message saying how to fix the call (an ``InvalidArgumentError``, which
``tools.registry`` hands to the client).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Protocol

from mcp.types import ToolAnnotations
from pydantic import Field

from mcp_server.errors import InvalidArgumentError
from mcp_server.kst import add_months, complete_year_month_kst, current_year_month_kst, months_between
from mcp_server.molit.filters import RowFilter
from mcp_server.regions.index.resolution import RegionResolution
from mcp_server.regions.lineage.table import Lineage

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_RANGE_MONTHS",
    "READ_ONLY_OPEN_WORLD",
    "DongArg",
    "EndMonthArg",
    "LimitArg",
    "MaxAreaArg",
    "MaxFloorArg",
    "MinAreaArg",
    "MinFloorArg",
    "NameContainsArg",
    "NumOfRowsArg",
    "RegionCodeArg",
    "RegionLookup",
    "StartMonthArg",
    "YearMonthArg",
    "check_filters",
    "check_limit",
    "check_month_range",
    "check_region_code",
    "check_year_month",
]

DEFAULT_LIMIT = 30
MAX_LIMIT = 1000

READ_ONLY_OPEN_WORLD = ToolAnnotations(readOnlyHint=True, openWorldHint=True)

# These repeat in every 실거래가 tool's schema, so a few words each (tool_listing has the budget).
RegionCodeArg = Annotated[str, Field(description="시군구 code from get_region_code, e.g. '11440'")]
YearMonthArg = Annotated[str, Field(description="Contract month YYYYMM (KST), e.g. '202501'")]
LimitArg = Annotated[int, Field(description=f"Deals listed in items, 1-{MAX_LIMIT} (summary: all)")]
NumOfRowsArg = Annotated[int | None, Field(description="Alias of limit")]

MAX_RANGE_MONTHS = 36
StartMonthArg = Annotated[str | None, Field(description="YYYYMM; default end_month - 11.")]
EndMonthArg = Annotated[str | None, Field(description="YYYYMM; default the latest complete month.")]

# Row filters (molit.filters.RowFilter): a word or two each, they repeat in twelve tools' schemas.
DongArg = Annotated[str | None, Field(description="법정동 (공덕동)")]
NameContainsArg = Annotated[str | None, Field(description="Part of the complex name")]
MinAreaArg = Annotated[float | None, Field(description="㎡ from")]
MaxAreaArg = Annotated[float | None, Field(description="㎡ to")]
MinFloorArg = Annotated[int | None, Field(description="Floor from")]
MaxFloorArg = Annotated[int | None, Field(description="Floor to")]


class RegionLookup(Protocol):
    """What the tools need from the region index (``mcp_server.regions.index.lookup.RegionIndex``)."""

    lineage: Lineage

    def __contains__(self, lawd_cd: object) -> bool: ...

    def name_of(self, lawd_cd: str) -> str | None: ...

    def historic_name(self, lawd_cd: str) -> str | None: ...

    def resolve(self, query: str) -> RegionResolution: ...


def check_region_code(region_code: str, regions: RegionLookup) -> str:
    code = str(region_code).strip()
    if re.fullmatch(r"[0-9]{10}", code) and code[:5] in regions:
        raise InvalidArgumentError(
            f"region_code {code!r} is a 10-digit 법정동 code; MOLIT wants the 5-digit 시군구 code. "
            f"Use {code[:5]!r} ({regions.name_of(code[:5])})."
        )
    if not re.fullmatch(r"[0-9]{5}", code):
        raise InvalidArgumentError(
            f"region_code must be a 5-digit 시군구 code such as '11440' (서울 마포구), got {region_code!r}. "
            "Call get_region_code with the place name to find it."
        )
    if code not in regions and code not in regions.lineage:
        instead = _current_codes_for(code, regions)
        raise InvalidArgumentError(
            f"region_code {code!r} is not a 시군구 code MOLIT uses or has used (mistyped, or a 시 whose "
            "data is filed per 구)."
            + (instead or " Call get_region_code with the place name to get the current code.")
        )
    return code


def _current_codes_for(code: str, regions: RegionLookup) -> str:
    """' Use …' for an old code or a 시 that has 구, so the model can retry at once; '' otherwise.

    Models often know the pre-2023 codes (42110 춘천, 45111 전주 완산구, 47720 군위)."""
    found = regions.resolve(code)
    if not found.matches:
        return ""
    codes = " or ".join(f"{m.code} ({m.name})" for m in found.matches[:6])
    notes = "".join(f" {note}" for note in found.notes[:2])
    return f" Use {codes} instead.{notes}"


def check_year_month(year_month: str, now: datetime | None = None, *, name: str = "year_month") -> str:
    text = str(year_month).strip().replace("-", "").replace(".", "")
    if not re.fullmatch(r"[0-9]{6}", text) or not 1 <= int(text[4:]) <= 12:
        raise InvalidArgumentError(f"{name} must be a month as YYYYMM such as '202501', got {year_month!r}.")
    current = current_year_month_kst(now)
    if text > current:
        raise InvalidArgumentError(
            f"{name} {text} is in the future: the current month in Korea is {current}. Ask for "
            f"{current} or an earlier month."
        )
    return text


def check_filters(
    *,
    dong: str | None = None,
    name_contains: str | None = None,
    min_area_m2: float | None = None,
    max_area_m2: float | None = None,
    min_floor: int | None = None,
    max_floor: int | None = None,
) -> RowFilter:
    """The row filter of the arguments given; blank text counts as not given."""
    for low, high, what in ((min_area_m2, max_area_m2, "area_m2"), (min_floor, max_floor, "floor")):
        if low is not None and high is not None and low > high:
            raise InvalidArgumentError(f"min_{what} ({low:g}) is above max_{what} ({high:g}); swap them.")
    for value, name in ((min_area_m2, "min_area_m2"), (max_area_m2, "max_area_m2")):
        if value is not None and value <= 0:
            raise InvalidArgumentError(f"{name} must be a positive area in ㎡, got {value:g}.")
    return RowFilter(
        dong=(dong or "").strip() or None,
        name_contains=(name_contains or "").strip() or None,
        min_area_m2=min_area_m2,
        max_area_m2=max_area_m2,
        min_floor=min_floor,
        max_floor=max_floor,
    )


def check_month_range(
    start_month: str | None, end_month: str | None, now: datetime | None = None
) -> list[str]:
    """The months from start to end; by default the last 12 complete months in Korea (``kst``)."""
    complete = complete_year_month_kst(now)
    start = check_year_month(start_month, now, name="start_month") if start_month else None
    end = (
        check_year_month(end_month, now, name="end_month") if end_month else max(start or complete, complete)
    )
    start = start or add_months(end, -(12 - 1))
    if start > end:
        raise InvalidArgumentError(f"start_month {start} is after end_month {end}; swap them.")
    months = months_between(start, end)
    if len(months) > MAX_RANGE_MONTHS:
        raise InvalidArgumentError(
            f"{start}–{end} is {len(months)} months; at most {MAX_RANGE_MONTHS} fit in one call. Ask for "
            f"{add_months(end, -(MAX_RANGE_MONTHS - 1))}–{end}, or split the range."
        )
    return months


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgumentError(
            f"limit must be between 1 and {MAX_LIMIT}, got {limit}. It only caps the items listed; the "
            "summary always covers the whole month."
        )
    return limit
