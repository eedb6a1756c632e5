"""청약 tools: APT 분양 notices and monthly applicant/winner statistics from 청약홈 (odcloud).

Region and date filters are sent as odcloud ``cond`` filters and applied again to the rows received, so
the answer is right even where the file-based dataset ignores a filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from mcp_server.applyhome_client import (
    APT_NOTICE_PATH,
    NOTICE_SERVICE,
    STAT_PATHS,
    STAT_SERVICE,
    ApplyhomeClient,
    OdcloudRows,
)
from mcp_server.errors import InvalidArgumentError, UpstreamRequestError, UpstreamUnavailableError
from mcp_server.kst import current_year_month_kst, now_kst
from mcp_server.models import (
    AreaAgeStat,
    AreaCompetitionStat,
    AreaScoreStat,
    SourceInfo,
    SubscriptionNotice,
    SubscriptionNoticeResult,
    SubscriptionStatResult,
)
from mcp_server.tool_arguments import READ_ONLY_OPEN_WORLD, check_year_month, tool_errors

__all__ = ["normalize_area", "register"]

PROVIDER = "한국부동산원 청약홈 (api.odcloud.kr)"
MAX_NOTICES = 100

# 청약홈 공급지역 names are the short 시도 forms; accept the long ones users type.
_AREA_ALIASES = {
    "서울특별시": "서울",
    "서울시": "서울",
    "부산광역시": "부산",
    "대구광역시": "대구",
    "인천광역시": "인천",
    "광주광역시": "광주",
    "대전광역시": "대전",
    "울산광역시": "울산",
    "세종특별자치시": "세종",
    "세종시": "세종",
    "경기도": "경기",
    "강원도": "강원",
    "강원특별자치도": "강원",
    "충청북도": "충북",
    "충청남도": "충남",
    "전라북도": "전북",
    "전북특별자치도": "전북",
    "전라남도": "전남",
    "경상북도": "경북",
    "경상남도": "경남",
    "제주도": "제주",
    "제주특별자치도": "제주",
}
_AREAS = set(_AREA_ALIASES.values())
# 청약홈 3-digit 공급지역/SUBSCRPT_AREA_CODE per 시도 (the 17 rows of the ApplyhomeStatSvc fixture).
_AREA_CODES = {
    "서울": "100",
    "강원": "200",
    "대전": "300",
    "충남": "312",
    "세종": "338",
    "충북": "360",
    "인천": "400",
    "경기": "410",
    "광주": "500",
    "전남": "513",
    "전북": "560",
    "부산": "600",
    "경남": "621",
    "울산": "680",
    "제주": "690",
    "대구": "700",
    "경북": "712",
}

Statistic = Literal["applicants", "winners", "competition", "winner_scores"]
StatKind = Literal["reqst_area", "reqst_age", "przwner_area", "przwner_age", "cmpetrt_area", "aps_przwner"]
# The reference server's stat_kind values; the *_age ones are served by region with the same age bands.
_STAT_KINDS: dict[str, Statistic] = {
    "reqst_area": "applicants",
    "reqst_age": "applicants",
    "przwner_area": "winners",
    "przwner_age": "winners",
    "cmpetrt_area": "competition",
    "aps_przwner": "winner_scores",
}
_STAT_LABELS: dict[str, str] = {
    "applicants": "청약 신청자 (applicants)",
    "winners": "당첨자 (winners)",
    "competition": "청약 경쟁률 (competition)",
    "winner_scores": "가점제 당첨자 가점 (winner scores)",
}
AreaArg = Annotated[
    str | None,
    Field(
        description="Optional 시도 to filter on: a short name such as '서울', '경기', '부산' (long "
        "forms like '서울특별시' are accepted) or a 3-digit 청약홈 area code such as '100' (서울)."
    ),
]


_FROM = "Only notices announced (모집공고일) on or after this date, YYYY-MM-DD."
_TO = "Only notices announced on or before this date, YYYY-MM-DD."
_LIMIT = f"Maximum notices returned (1-{MAX_NOTICES}), default 20."


def normalize_area(area: str | None) -> tuple[str, str] | None:
    """('code', '100') or ('name', '서울') for an area argument; None when not given."""
    if area is None or not area.strip():
        return None
    text = "".join(area.split())
    if re.fullmatch(r"[0-9]{3}", text):
        return ("code", text)
    name = _AREA_ALIASES.get(text, text)
    if name not in _AREAS:
        raise InvalidArgumentError(
            f"area {area!r} is not a 시도 청약홈 knows. Use one of {', '.join(sorted(_AREAS))} or a "
            "3-digit 청약홈 area code (100 서울, 410 경기, 400 인천, 600 부산 …)."
        )
    return ("name", name)


def _date(value: str | None, argument: str) -> str | None:
    if value is None or not value.strip():
        return None
    digits = re.sub(r"[-./ ]", "", value)
    if not re.fullmatch(r"[0-9]{8}", digits):
        raise InvalidArgumentError(f"{argument} must be a date as YYYY-MM-DD, got {value!r}.")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _flag(row: dict[str, Any], key: str) -> bool | None:
    value = _text(row, key)
    return None if value is None else value.upper() == "Y"


def _number(row: dict[str, Any], key: str) -> int | None:
    value = _text(row, key)
    if value is None:
        return None
    digits = value.replace(",", "")
    return int(digits) if re.fullmatch(r"-?[0-9]+", digits) else None


def notice_from_row(row: dict[str, Any]) -> SubscriptionNotice:
    """One odcloud 분양정보 row (Korean column names, upstream-apis.md 3.2) as a notice."""
    return SubscriptionNotice(
        house_manage_no=_text(row, "주택관리번호") or "",
        notice_no=_text(row, "공고번호"),
        name=_text(row, "주택명"),
        house_type=_text(row, "주택상세구분코드명"),
        region=_text(row, "공급지역명"),
        region_code=_text(row, "공급지역코드"),
        address=_text(row, "공급위치"),
        households=_number(row, "공급규모"),
        announcement_date=_text(row, "모집공고일"),
        application_start=_text(row, "청약접수시작일"),
        application_end=_text(row, "청약접수종료일"),
        special_supply_start=_text(row, "특별공급접수시작일"),
        special_supply_end=_text(row, "특별공급접수종료일"),
        winner_announcement_date=_text(row, "당첨자발표일"),
        contract_start=_text(row, "계약시작일"),
        contract_end=_text(row, "계약종료일"),
        move_in_month=_text(row, "입주예정월"),
        builder=_text(row, "건설업체명_시공사"),
        developer=_text(row, "사업주체명_시행사"),
        contact=_text(row, "문의처"),
        price_cap=_flag(row, "분양가상한제"),
        overheated_zone=_flag(row, "투기과열지구"),
        adjusted_zone=_flag(row, "조정대상지역"),
        url=_text(row, "모집공고홈페이지주소"),
    )


def _source(dataset: str, endpoint: str, as_of: str) -> SourceInfo:
    return SourceInfo(
        provider=PROVIDER, dataset=dataset, endpoint=endpoint, data_as_of=as_of, from_cache=False
    )


def register(server: MCPServer[Any], client: ApplyhomeClient) -> None:
    @server.tool(
        name="get_apt_subscription_info",
        title="APT 청약 분양 공고 (청약홈)",
        annotations=READ_ONLY_OPEN_WORLD,
    )
    async def get_apt_subscription_info(
        area: AreaArg = None,
        announced_from: Annotated[str | None, Field(description=_FROM)] = None,
        announced_to: Annotated[str | None, Field(description=_TO)] = None,
        limit: Annotated[int, Field(description=_LIMIT)] = 20,
        move_in_from: Annotated[
            str | None, Field(description="Only notices whose 입주예정월 is this month (YYYYMM) or later.")
        ] = None,
        only_pending_occupancy: Annotated[
            bool, Field(description="Only 단지 not yet moved into (입주예정월 this month or later, KST).")
        ] = False,
        page: Annotated[int, Field(ge=1, description="Page of `limit` notices, newest first (1-based).")] = 1,
        rcrit_pblanc_de_from: Annotated[
            str | None, Field(description="Reference-server name for announced_from.")
        ] = None,
        rcrit_pblanc_de_to: Annotated[
            str | None, Field(description="Reference-server name for announced_to.")
        ] = None,
        mvn_prearnge_ym_from: Annotated[
            str | None, Field(description="Reference-server name for move_in_from.")
        ] = None,
        per_page: Annotated[int | None, Field(description="Reference-server name for limit.")] = None,
    ) -> SubscriptionNoticeResult:
        """APT 분양 (청약) notices from 청약홈: name, location, households, 모집공고일, 청약 접수
        dates with a status (upcoming/open/closed today), 당첨자 발표일, 입주예정월, 분양가상한제 and the
        notice URL, newest first. Filter by 시도, announcement dates and move-in month."""
        with tool_errors():
            where = normalize_area(area)
            start = _date(
                _one_of("announced_from", announced_from, "rcrit_pblanc_de_from", rcrit_pblanc_de_from, None),
                "announced_from",
            )
            end = _date(
                _one_of("announced_to", announced_to, "rcrit_pblanc_de_to", rcrit_pblanc_de_to, None),
                "announced_to",
            )
            size = per_page if per_page is not None else limit
            if not 1 <= size <= MAX_NOTICES:
                raise InvalidArgumentError(f"limit must be between 1 and {MAX_NOTICES}, got {size}.")
            now = now_kst()
            move_in = _month(
                _one_of("move_in_from", move_in_from, "mvn_prearnge_ym_from", mvn_prearnge_ym_from, None)
            )
            if only_pending_occupancy:
                move_in = max(move_in or "", current_year_month_kst(now))
            conds: dict[str, str] = {}
            if where is not None:
                conds["공급지역코드::EQ" if where[0] == "code" else "공급지역명::EQ"] = where[1]
            if start:
                conds["모집공고일::GTE"] = start
            if end:
                conds["모집공고일::LTE"] = end
            as_of = now.isoformat(timespec="seconds")
            found, notes = await _all_notices(client, conds)
            today = now.date().isoformat()
            notices = [_with_status(notice_from_row(row), today) for row in found.rows]
            notices = [n for n in notices if _matches(n, where, start, end, move_in)]
            notices.sort(key=lambda n: (n.announcement_date or "", n.house_manage_no), reverse=True)
            given = (("area", where[1] if where else None), ("from", start), ("to", end))
            filters = {k: v for k, v in (*given, ("move_in_from", move_in)) if v}
            # Over every matching row the count is exact even if odcloud ignored a filter; after a
            # short read only odcloud's matchCount is known.
            total = len(notices) if found.complete else max(found.match_count, len(notices))
            if not found.complete:
                notes.append(
                    f"Only {len(found.rows)} of the {found.match_count} notices 청약홈 announced could be "
                    "read, so newer notices may be missing; narrow the search with area or dates."
                )
            shown = notices[(page - 1) * size : page * size]
            return SubscriptionNoticeResult(
                total_count=total,
                returned=len(shown),
                truncated=total > (page - 1) * size + len(shown),
                items=shown,
                filters=filters,
                data_as_of=as_of,
                source=_source(NOTICE_SERVICE, APT_NOTICE_PATH, as_of),
                notes=notes,
                empty_reason=None
                if shown
                else "No 청약 notices match these filters."
                if not notices
                else f"Page {page} is past the last of {len(notices)} matching notices.",
            )

    @server.tool(
        name="get_apt_subscription_results",
        title="APT 청약 신청자·당첨자·경쟁률·가점 통계 (청약홈)",
        annotations=READ_ONLY_OPEN_WORLD,
    )
    async def get_apt_subscription_results(
        year_month: Annotated[
            str | None,
            Field(
                description="Statistics month YYYYMM, e.g. '202501'. Omit for the latest month 청약홈 has "
                "published (statistics appear a month or two after the fact)."
            ),
        ] = None,
        statistic: Annotated[
            Statistic,
            Field(
                description="'applicants' (청약 신청자) or 'winners' (당첨자) by region and age band, "
                "'competition' (청약 경쟁률: 특별/일반공급) or 'winner_scores' (가점제 당첨자 가점)."
            ),
        ] = "applicants",
        area: AreaArg = None,
        stat_kind: Annotated[
            StatKind | None,
            Field(description="Reference-server name for statistic: " + ", ".join(_STAT_KINDS) + "."),
        ] = None,
        stat_year_month: Annotated[
            str | None, Field(description="Reference-server name for year_month.")
        ] = None,
        area_code: Annotated[
            str | None, Field(description="Reference-server name for area (3-digit 청약홈 code, e.g. '100').")
        ] = None,
        reside_secd: Annotated[
            str | None,
            Field(description="winner_scores only: 01 해당지역, 02 기타경기, 03 기타지역 (default: all)."),
        ] = None,
    ) -> SubscriptionStatResult:
        """Monthly APT 청약 statistics from 청약홈 per 시도: applicants (신청자) or winners (당첨자) by age
        band (30대 이하, 40대, 50대, 60대 이상), competition rates (청약 경쟁률) or the scores of 가점제
        winners (평균/최고/최저 가점)."""
        with tool_errors():
            kind = _one_of(
                "statistic", statistic, "stat_kind", _STAT_KINDS.get(stat_kind or ""), "applicants"
            )
            asked = _one_of("year_month", year_month, "stat_year_month", stat_year_month, None)
            month = check_year_month(asked) if asked else None
            where = _area_of(area, area_code)
            residence = (reside_secd or "").strip() or None
            if residence is not None and residence not in _RESIDENCES:
                raise InvalidArgumentError(
                    f"reside_secd must be 01 (해당지역), 02 (기타경기) or 03 (기타지역), got {reside_secd!r}."
                )
            code = _code_of(where) if where else None
            conds = {"STAT_DE::EQ": month} if month else {}
            if code:
                conds["SUBSCRPT_AREA_CODE::EQ"] = code
            if residence and kind == "winner_scores":
                conds["RESIDE_SECD::EQ"] = residence
            as_of = now_kst().isoformat(timespec="seconds")
            path = STAT_PATHS[kind]
            found = await client.fetch_all(path, STAT_SERVICE, conds=conds)
            raw = [row for row in found.rows if where is None or _in_area(row, where[1], code)]
            if residence and kind == "winner_scores":
                raw = [row for row in raw if _text(row, "RESIDE_SECD") in (None, residence)]
            shown = month or max((_text(row, "STAT_DE") or "" for row in raw), default="")
            raw = [row for row in raw if _text(row, "STAT_DE") in (None, shown)]
            rows = [_STAT_ROWS[kind](row) for row in raw]
            totals = [r.total for r in rows if isinstance(r, AreaAgeStat) and r.total is not None]
            label = _STAT_LABELS[kind]
            return SubscriptionStatResult(
                statistic=label,
                year_month=shown,
                # after a short read of one month, odcloud's matchCount is the better count
                total_count=found.match_count if month and not found.complete else len(rows),
                returned=len(rows),
                items=rows,
                grand_total=sum(totals) if totals else None,
                data_as_of=as_of,
                source=_source(STAT_SERVICE, path, as_of),
                empty_reason=None
                if rows
                else f"청약홈 has no {label} statistics for {month or 'any month'}"
                + (f" in {where[1]}" if where else "")
                + " yet (they are published monthly, a month or two after the fact).",
            )


def _one_of(name: str, value: Any, alias: str, alias_value: Any, default: Any) -> Any:
    """The argument given under our name or the reference server's; both and different is an error."""
    if value is not None and alias_value is not None and value != alias_value:
        if not (name == "statistic" and value == "applicants"):  # "applicants" is only the default
            raise InvalidArgumentError(
                f"{name} and {alias} disagree ({value!r} vs {alias_value!r}); give one."
            )
        return alias_value
    if alias_value is not None:
        return alias_value
    return value if value is not None else default


def _area_of(area: str | None, area_code: str | None) -> tuple[str, str] | None:
    """area and the reference's area_code may both be given for the same 시도 ('서울' and '100')."""
    by_name, by_code = normalize_area(area), normalize_area(area_code)
    if by_name is None or by_code is None:
        return by_name or by_code
    if _code_of(by_name) != _code_of(by_code):
        raise InvalidArgumentError(f"area and area_code disagree ({area!r} vs {area_code!r}); give one.")
    return by_code


def _code_of(where: tuple[str, str]) -> str | None:
    return where[1] if where[0] == "code" else _AREA_CODES.get(where[1])


def _in_area(row: dict[str, Any], name: str, code: str | None) -> bool:
    return _text(row, "SUBSCRPT_AREA_CODE") == code or _text(row, "SUBSCRPT_AREA_CODE_NM") == name


async def _all_notices(client: ApplyhomeClient, conds: dict[str, str]) -> tuple[OdcloudRows, list[str]]:
    """Every notice matching ``conds``; if odcloud refuses the filters, every notice, unfiltered.

    15101046 is a file dataset: whether its Korean columns accept ``cond`` filters is not confirmed
    (upstream-apis.md 3.2 says to page or filter client-side), and odcloud answers bad parameters with
    HTTP 500. The tool filters the rows itself anyway, so reading the ~3 unfiltered pages is a correct
    answer where a refused filter would otherwise fail every filtered question."""
    try:
        return await client.fetch_all(APT_NOTICE_PATH, NOTICE_SERVICE, conds=conds), []
    except (UpstreamRequestError, UpstreamUnavailableError) as exc:
        if not conds or exc.code not in ("400", "500"):
            raise
        refused = exc.code
    found = await client.fetch_all(APT_NOTICE_PATH, NOTICE_SERVICE)
    return found, [
        f"청약홈 refused the area/date filters (HTTP {refused}), so every notice was read and filtered here."
    ]


def _with_status(notice: SubscriptionNotice, today: str) -> SubscriptionNotice:
    """Where the application period stands on ``today`` (YYYY-MM-DD, KST), so "지금 청약 가능한" needs
    no date arithmetic by the model; special supply opens the period."""
    starts = [d for d in (notice.special_supply_start, notice.application_start) if d]
    end = notice.application_end
    if end and today > end:
        status = "closed"
    elif starts and today < min(starts):
        status = "upcoming"
    elif starts and end:
        status = "open"
    else:
        return notice
    return notice.model_copy(update={"status": status})


def _matches(
    notice: SubscriptionNotice,
    where: tuple[str, str] | None,
    start: str | None,
    end: str | None,
    move_in: str | None = None,
) -> bool:
    if where is not None and (notice.region_code if where[0] == "code" else notice.region) != where[1]:
        return False
    if move_in and (_month(notice.move_in_month, strict=False) or "") < move_in:
        return False
    day = notice.announcement_date or ""
    return not ((start and day < start) or (end and day > end))


def _month(value: str | None, *, strict: bool = True) -> str | None:
    """YYYYMM from '202711', '2027-11' or '2027.11'; a bad argument is an error, a bad cell None."""
    if value is None or not value.strip():
        return None
    digits = re.sub(r"[-./ ]", "", value.strip())
    if re.fullmatch(r"[0-9]{6}", digits) and 1 <= int(digits[4:]) <= 12:
        return digits
    if strict:
        raise InvalidArgumentError(f"move_in_from must be a month as YYYYMM such as '202711', got {value!r}.")
    return None


def _stat(row: dict[str, Any]) -> AreaAgeStat:
    ages = [_number(row, k) for k in ("AGE_30", "AGE_40", "AGE_50", "AGE_60")]
    known = [a for a in ages if a is not None]
    return AreaAgeStat(
        stat_month=_text(row, "STAT_DE") or "",
        area_code=_text(row, "SUBSCRPT_AREA_CODE"),
        area_name=_text(row, "SUBSCRPT_AREA_CODE_NM"),
        age_30_or_under=ages[0],
        age_40s=ages[1],
        age_50s=ages[2],
        age_60_or_over=ages[3],
        total=sum(known) if known else None,
    )


def _rate(row: dict[str, Any], key: str) -> float | None:
    """'73.00', '2,182.00' → float; '-' (no value) or '(△13)' (13 units short) → None, never 0."""
    value = (_text(row, key) or "").replace(",", "")
    return float(value) if re.fullmatch(r"[0-9]+(\.[0-9]+)?", value) else None


def _competition(row: dict[str, Any]) -> AreaCompetitionStat:
    return AreaCompetitionStat(
        stat_month=_text(row, "STAT_DE") or "",
        area_code=_text(row, "SUBSCRPT_AREA_CODE"),
        area_name=_text(row, "SUBSCRPT_AREA_CODE_NM"),
        special_supply_households=_number(row, "SPSPLY_HSHLDCO"),
        special_supply_applications=_number(row, "SPSPLY_REQ_CNT"),
        special_supply_rate=_rate(row, "SPSPLY_CMPET_RATE"),
        general_supply_households=_number(row, "SUPLY_HSHLDCO"),
        general_supply_applications=_number(row, "SUPLY_REQ_CNT"),
        general_supply_rate=_rate(row, "SUPLY_CMPET_RATE"),
    )


def _scores(row: dict[str, Any]) -> AreaScoreStat:
    code = _text(row, "RESIDE_SECD")
    return AreaScoreStat(
        stat_month=_text(row, "STAT_DE") or "",
        area_code=_text(row, "SUBSCRPT_AREA_CODE"),
        area_name=_text(row, "SUBSCRPT_AREA_CODE_NM"),
        residence=f"{code} {_RESIDENCES[code]}" if code in _RESIDENCES else code,
        average_score=_rate(row, "AVRG_SCORE"),
        top_score=_rate(row, "TOP_SCORE"),
        lowest_score=_rate(row, "LWET_SCORE"),
    )


_STAT_ROWS: dict[str, Callable[[dict[str, Any]], AreaAgeStat | AreaCompetitionStat | AreaScoreStat]] = {
    "applicants": _stat,
    "winners": _stat,
    "competition": _competition,
    "winner_scores": _scores,
}
_RESIDENCES = {"01": "해당지역", "02": "기타경기", "03": "기타지역"}
