"""From checked filters to the result a 청약 tool returns: notices with today's status, or statistics.

Region and date filters are sent as odcloud ``cond`` filters and applied again to the rows received, so
the answer is right even where the file-based dataset ignores a filter. Plain async functions, so the
whole path is testable without MCP; ``now`` is passed in, so is the day the statuses are computed for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from mcp_server.applyhome.areas import Area
from mcp_server.applyhome.client import (
    APT_NOTICE_PATH,
    NOTICE_SERVICE,
    STAT_PATHS,
    STAT_SERVICE,
    ApplyhomeClient,
    OdcloudRows,
)
from mcp_server.applyhome.rows import STAT_ROWS, cell, notice_from_row
from mcp_server.errors import InvalidArgumentError, UpstreamRequestError, UpstreamUnavailableError
from mcp_server.models.base import SourceInfo
from mcp_server.models.subscription import (
    AreaAgeStat,
    SubscriptionNotice,
    SubscriptionNoticeResult,
    SubscriptionStatResult,
)

__all__ = ["NoticeQuery", "StatQuery", "month_of", "notice_report", "stat_report"]

PROVIDER = "한국부동산원 청약홈 (api.odcloud.kr)"
STAT_LABELS: dict[str, str] = {
    "applicants": "청약 신청자 (applicants)",
    "winners": "당첨자 (winners)",
    "competition": "청약 경쟁률 (competition)",
    "winner_scores": "가점제 당첨자 가점 (winner scores)",
}


@dataclass(frozen=True)
class NoticeQuery:
    where: Area | None
    start: str | None  # 모집공고일 from, YYYY-MM-DD
    end: str | None
    move_in: str | None  # 입주예정월 from, YYYYMM
    size: int
    page: int


@dataclass(frozen=True)
class StatQuery:
    statistic: str
    month: str | None
    where: Area | None
    code: str | None
    residence: str | None


async def notice_report(
    client: ApplyhomeClient, query: NoticeQuery, now: datetime
) -> SubscriptionNoticeResult:
    where, start, end, size, page = query.where, query.start, query.end, query.size, query.page
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
    notices = [n for n in notices if _matches(n, query)]
    notices.sort(key=lambda n: (n.announcement_date or "", n.house_manage_no), reverse=True)
    given = (("area", where[1] if where else None), ("from", start), ("to", end))
    filters = {k: v for k, v in (*given, ("move_in_from", query.move_in)) if v}
    # Over every matching row the count is exact even if odcloud ignored a filter; after a short read
    # only odcloud's matchCount is known.
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


async def stat_report(client: ApplyhomeClient, query: StatQuery, now: datetime) -> SubscriptionStatResult:
    kind, month, where, code, residence = (
        query.statistic,
        query.month,
        query.where,
        query.code,
        query.residence,
    )
    conds = {"STAT_DE::EQ": month} if month else {}
    if code:
        conds["SUBSCRPT_AREA_CODE::EQ"] = code
    if residence and kind == "winner_scores":
        conds["RESIDE_SECD::EQ"] = residence
    as_of = now.isoformat(timespec="seconds")
    path = STAT_PATHS[kind]
    found = await client.fetch_all(path, STAT_SERVICE, conds=conds)
    raw = [row for row in found.rows if where is None or _in_area(row, where[1], code)]
    if residence and kind == "winner_scores":
        raw = [row for row in raw if cell(row, "RESIDE_SECD") in (None, residence)]
    shown = month or max((cell(row, "STAT_DE") or "" for row in raw), default="")
    raw = [row for row in raw if cell(row, "STAT_DE") in (None, shown)]
    rows = [STAT_ROWS[kind](row) for row in raw]
    totals = [r.total for r in rows if isinstance(r, AreaAgeStat) and r.total is not None]
    label = STAT_LABELS[kind]
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


def _source(dataset: str, endpoint: str, as_of: str) -> SourceInfo:
    return SourceInfo(
        provider=PROVIDER, dataset=dataset, endpoint=endpoint, data_as_of=as_of, from_cache=False
    )


def _in_area(row: dict[str, object], name: str, code: str | None) -> bool:
    return cell(row, "SUBSCRPT_AREA_CODE") == code or cell(row, "SUBSCRPT_AREA_CODE_NM") == name


async def _all_notices(client: ApplyhomeClient, conds: dict[str, str]) -> tuple[OdcloudRows, list[str]]:
    """Every notice matching ``conds``; if odcloud refuses the filters, every notice, unfiltered.

    15101046 is a file dataset: whether its Korean columns accept ``cond`` filters is not confirmed
    (docs/upstream-apis.md, 3.2), and odcloud answers bad parameters with HTTP 500. The tool filters the
    rows itself anyway, so reading the ~3 unfiltered pages is a correct answer where a refused filter
    would otherwise fail every filtered question."""
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


def _matches(notice: SubscriptionNotice, query: NoticeQuery) -> bool:
    where = query.where
    if where is not None and (notice.region_code if where[0] == "code" else notice.region) != where[1]:
        return False
    if query.move_in and (month_of(notice.move_in_month, strict=False) or "") < query.move_in:
        return False
    day = notice.announcement_date or ""
    return not ((query.start and day < query.start) or (query.end and day > query.end))


def month_of(value: str | None, *, strict: bool = True) -> str | None:
    """YYYYMM from '202711', '2027-11' or '2027.11'; a bad argument is an error, a bad cell None."""
    if value is None or not value.strip():
        return None
    digits = re.sub(r"[-./ ]", "", value.strip())
    if re.fullmatch(r"[0-9]{6}", digits) and 1 <= int(digits[4:]) <= 12:
        return digits
    if strict:
        raise InvalidArgumentError(f"move_in_from must be a month as YYYYMM such as '202711', got {value!r}.")
    return None
