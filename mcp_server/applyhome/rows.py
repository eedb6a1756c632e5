"""청약홈 rows → the result models: 분양정보 notices (Korean keys) and statistics (English keys).

Cells are stripped; numbers may arrive as strings with commas; a rate or score of '-' or '(△13)' is no
value, never 0 (docs/upstream-apis.md, 3.2 and 3.3).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mcp_server.models.subscription import AreaAgeStat, AreaCompetitionStat, AreaScoreStat, SubscriptionNotice

__all__ = ["RESIDENCES", "STAT_ROWS", "cell", "notice_from_row"]

StatRow = AreaAgeStat | AreaCompetitionStat | AreaScoreStat


def cell(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _flag(row: dict[str, Any], key: str) -> bool | None:
    value = cell(row, key)
    return None if value is None else value.upper() == "Y"


def _number(row: dict[str, Any], key: str) -> int | None:
    value = cell(row, key)
    if value is None:
        return None
    digits = value.replace(",", "")
    return int(digits) if re.fullmatch(r"-?[0-9]+", digits) else None


# 분양정보 columns read as text (docs/upstream-apis.md, 3.2), by the notice field each one fills.
_NOTICE_TEXT = {
    "notice_no": "공고번호",
    "name": "주택명",
    "house_type": "주택상세구분코드명",
    "region": "공급지역명",
    "region_code": "공급지역코드",
    "address": "공급위치",
    "announcement_date": "모집공고일",
    "application_start": "청약접수시작일",
    "application_end": "청약접수종료일",
    "special_supply_start": "특별공급접수시작일",
    "special_supply_end": "특별공급접수종료일",
    "winner_announcement_date": "당첨자발표일",
    "contract_start": "계약시작일",
    "contract_end": "계약종료일",
    "move_in_month": "입주예정월",
    "builder": "건설업체명_시공사",
    "developer": "사업주체명_시행사",
    "contact": "문의처",
    "url": "모집공고홈페이지주소",
}
_NOTICE_FLAGS = {
    "price_cap": "분양가상한제",
    "overheated_zone": "투기과열지구",
    "adjusted_zone": "조정대상지역",
}


def notice_from_row(row: dict[str, Any]) -> SubscriptionNotice:
    """One odcloud 분양정보 row (Korean column names, docs/upstream-apis.md, 3.2) as a notice."""
    fields: dict[str, object] = {field: cell(row, column) for field, column in _NOTICE_TEXT.items()}
    fields.update((field, _flag(row, column)) for field, column in _NOTICE_FLAGS.items())
    fields.update(house_manage_no=cell(row, "주택관리번호") or "", households=_number(row, "공급규모"))
    return SubscriptionNotice.model_validate(fields)


def _stat(row: dict[str, Any]) -> AreaAgeStat:
    ages = [_number(row, k) for k in ("AGE_30", "AGE_40", "AGE_50", "AGE_60")]
    known = [a for a in ages if a is not None]
    return AreaAgeStat(
        stat_month=cell(row, "STAT_DE") or "",
        area_code=cell(row, "SUBSCRPT_AREA_CODE"),
        area_name=cell(row, "SUBSCRPT_AREA_CODE_NM"),
        age_30_or_under=ages[0],
        age_40s=ages[1],
        age_50s=ages[2],
        age_60_or_over=ages[3],
        total=sum(known) if known else None,
    )


def _rate(row: dict[str, Any], key: str) -> float | None:
    """'73.00', '2,182.00' → float; '-' (no value) or '(△13)' (13 units short) → None, never 0."""
    value = (cell(row, key) or "").replace(",", "")
    return float(value) if re.fullmatch(r"[0-9]+(\.[0-9]+)?", value) else None


def _competition(row: dict[str, Any]) -> AreaCompetitionStat:
    return AreaCompetitionStat(
        stat_month=cell(row, "STAT_DE") or "",
        area_code=cell(row, "SUBSCRPT_AREA_CODE"),
        area_name=cell(row, "SUBSCRPT_AREA_CODE_NM"),
        special_supply_households=_number(row, "SPSPLY_HSHLDCO"),
        special_supply_applications=_number(row, "SPSPLY_REQ_CNT"),
        special_supply_rate=_rate(row, "SPSPLY_CMPET_RATE"),
        general_supply_households=_number(row, "SUPLY_HSHLDCO"),
        general_supply_applications=_number(row, "SUPLY_REQ_CNT"),
        general_supply_rate=_rate(row, "SUPLY_CMPET_RATE"),
    )


def _scores(row: dict[str, Any]) -> AreaScoreStat:
    code = cell(row, "RESIDE_SECD")
    return AreaScoreStat(
        stat_month=cell(row, "STAT_DE") or "",
        area_code=cell(row, "SUBSCRPT_AREA_CODE"),
        area_name=cell(row, "SUBSCRPT_AREA_CODE_NM"),
        residence=f"{code} {RESIDENCES[code]}" if code in RESIDENCES else code,
        average_score=_rate(row, "AVRG_SCORE"),
        top_score=_rate(row, "TOP_SCORE"),
        lowest_score=_rate(row, "LWET_SCORE"),
    )


STAT_ROWS: dict[str, Callable[[dict[str, Any]], StatRow]] = {
    "applicants": _stat,
    "winners": _stat,
    "competition": _competition,
    "winner_scores": _scores,
}
RESIDENCES = {"01": "해당지역", "02": "기타경기", "03": "기타지역"}
