"""A 시도 argument of the 청약 tools → what 청약홈 filters by: its short name or its 3-digit area code.

The spellings come from the one 시도 table (``regions.sido``), so every spelling ``get_region_code``
accepts for a 시도 is accepted here too.
"""

from __future__ import annotations

import re

from mcp_server.errors import InvalidArgumentError
from mcp_server.regions.sido import SIDO, sido_named

__all__ = ["AREA_CODES", "Area", "area_code", "normalize_area", "same_area"]

# 청약홈 3-digit 공급지역/SUBSCRPT_AREA_CODE per short 시도 name.
AREA_CODES: dict[str, str] = {s.short: s.applyhome_code for s in SIDO if s.applyhome_code is not None}

Area = tuple[str, str]  # ('code', '100') or ('name', '서울')


def normalize_area(area: str | None) -> Area | None:
    """('code', '100') or ('name', '서울') for an area argument; None when not given."""
    if area is None or not area.strip():
        return None
    text = "".join(area.split())
    if re.fullmatch(r"[0-9]{3}", text):
        return ("code", text)
    sido = sido_named(text)
    if sido is None:
        raise InvalidArgumentError(
            f"area {area!r} is not a 시도 청약홈 knows. Use one of {', '.join(sorted(AREA_CODES))} or a "
            "3-digit 청약홈 area code (100 서울, 410 경기, 400 인천, 600 부산 …)."
        )
    if sido.applyhome_code is None:
        raise InvalidArgumentError(
            f"청약홈 does not publish {area!r} as one area: it still lists 광주 (500) and 전남 (513) apart. "
            "Ask for area '광주' or '전남'."
        )
    return ("name", sido.short)


def area_code(where: Area) -> str | None:
    return where[1] if where[0] == "code" else AREA_CODES.get(where[1])


def same_area(area: str | None, area_code_arg: str | None) -> Area | None:
    """area and the reference server's area_code may both be given for the same 시도 ('서울' and '100')."""
    by_name, by_code = normalize_area(area), normalize_area(area_code_arg)
    if by_name is None or by_code is None:
        return by_name or by_code
    if area_code(by_name) != area_code(by_code):
        raise InvalidArgumentError(f"area and area_code disagree ({area!r} vs {area_code_arg!r}); give one.")
    return by_code
