"""청약 tools: APT 분양 notices and monthly applicant/winner statistics from 청약홈 (odcloud).

Thin: the arguments (ours and the reference server's names for them) are checked and reconciled here,
before any upstream call; ``applyhome.reports`` does the rest.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from mcp_server.applyhome.areas import area_code as area_code_of
from mcp_server.applyhome.areas import normalize_area, same_area
from mcp_server.applyhome.client import ApplyhomeClient
from mcp_server.applyhome.reports import NoticeQuery, StatQuery, month_of, notice_report, stat_report
from mcp_server.applyhome.rows import RESIDENCES
from mcp_server.errors import InvalidArgumentError
from mcp_server.kst import current_year_month_kst, now_kst
from mcp_server.models.subscription import SubscriptionNoticeResult, SubscriptionStatResult
from mcp_server.tools.arguments import READ_ONLY_OPEN_WORLD, check_year_month
from mcp_server.tools.registry import tool

__all__ = ["register"]

MAX_NOTICES = 100

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


def _date(value: str | None, argument: str) -> str | None:
    if value is None or not value.strip():
        return None
    digits = re.sub(r"[-./ ]", "", value)
    if not re.fullmatch(r"[0-9]{8}", digits):
        raise InvalidArgumentError(f"{argument} must be a date as YYYY-MM-DD, got {value!r}.")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def register(server: MCPServer[Any], client: ApplyhomeClient) -> None:
    @tool(
        server,
        redact=client.http.redact,
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
        move_in = month_of(
            _one_of("move_in_from", move_in_from, "mvn_prearnge_ym_from", mvn_prearnge_ym_from, None)
        )
        if only_pending_occupancy:
            move_in = max(move_in or "", current_year_month_kst(now))
        query = NoticeQuery(where=where, start=start, end=end, move_in=move_in, size=size, page=page)
        return await notice_report(client, query, now)

    @tool(
        server,
        redact=client.http.redact,
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
        kind = _one_of("statistic", statistic, "stat_kind", _STAT_KINDS.get(stat_kind or ""), "applicants")
        asked = _one_of("year_month", year_month, "stat_year_month", stat_year_month, None)
        month = check_year_month(asked) if asked else None
        where = same_area(area, area_code)
        residence = (reside_secd or "").strip() or None
        if residence is not None and residence not in RESIDENCES:
            raise InvalidArgumentError(
                f"reside_secd must be 01 (해당지역), 02 (기타경기) or 03 (기타지역), got {reside_secd!r}."
            )
        code = area_code_of(where) if where else None
        query = StatQuery(statistic=kind, month=month, where=where, code=code, residence=residence)
        return await stat_report(client, query, now_kst())


def _one_of(name: str, value: Any, alias: str, alias_value: Any, default: Any) -> Any:
    """The argument given under our name or the reference server's; both and different is an error.

    ``value`` equal to ``default`` counts as not given: the SDK fills in the default, so a call that
    names only the reference argument arrives with both set."""
    if value == default:
        value = None
    if value is not None and alias_value is not None and value != alias_value:
        raise InvalidArgumentError(f"{name} and {alias} disagree ({value!r} vs {alias_value!r}); give one.")
    if alias_value is not None:
        return alias_value
    return value if value is not None else default
