"""Korean Standard Time for "this month" questions: MOLIT months are Korean calendar months.

A server running in UTC would otherwise report the previous month for the first nine hours of every
month. ``Asia/Seoul`` comes from the system tz database when present; slim container images often ship
without it (and the ``tzdata`` wheel is not a dependency), so the fixed UTC+09:00 offset is the fallback,
exact because Korea has not observed daylight saving time since 1988.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "KST",
    "TIMEZONE_NAME",
    "add_months",
    "complete_year_month_kst",
    "current_year_month_kst",
    "is_recent_month",
    "kst_day",
    "months_between",
    "next_midnight_kst",
    "now_kst",
    "previous_year_month",
]

TIMEZONE_NAME = "Asia/Seoul"


def _korea() -> tzinfo:
    try:
        return ZoneInfo(TIMEZONE_NAME)
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=9), "KST")


KST = _korea()


def now_kst(now: datetime | None = None) -> datetime:
    """``now`` (default: the current instant) in Korea; a naive ``now`` is taken to be UTC."""
    instant = now or datetime.now(UTC)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(KST)


def kst_day(now: datetime | None = None) -> str:
    """The Korean calendar day of ``now`` as ``YYYY-MM-DD``: data.go.kr counts daily quotas per KST day."""
    return now_kst(now).strftime("%Y-%m-%d")


def next_midnight_kst(now: datetime | None = None) -> datetime:
    """The next 00:00 in Korea after ``now``: when data.go.kr's daily quotas reset."""
    today = now_kst(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return (today + timedelta(days=1)).replace(tzinfo=today.tzinfo)


def current_year_month_kst(now: datetime | None = None) -> str:
    """The Korean calendar month of ``now`` as ``YYYYMM``, the format of MOLIT's ``DEAL_YMD``."""
    return now_kst(now).strftime("%Y%m")


def previous_year_month(year_month: str) -> str:
    """The month before ``YYYYMM`` (202601 → 202512)."""
    year, month = int(year_month[:4]), int(year_month[4:])
    return f"{year - 1}12" if month == 1 else f"{year}{month - 1:02d}"


def add_months(year_month: str, months: int) -> str:
    """``YYYYMM`` moved by ``months`` (negative: back): add_months('202501', -1) == '202412'."""
    index = int(year_month[:4]) * 12 + int(year_month[4:]) - 1 + months
    return f"{index // 12:04d}{index % 12 + 1:02d}"


def months_between(start: str, end: str) -> list[str]:
    """Every YYYYMM from ``start`` to ``end``, both included."""
    months = [start]
    while months[-1] < end:
        months.append(add_months(months[-1], 1))
    return months


def complete_year_month_kst(now: datetime | None = None) -> str:
    """The latest month whose 30-day reporting window has closed: two months before the current one."""
    return add_months(current_year_month_kst(now), -2)


def is_recent_month(deal_ymd: str, now: datetime | None = None) -> bool:
    """True for the current or previous month in KST: months still being reported."""
    now = now_kst(now)
    current = now.year * 12 + now.month - 1
    year, month = int(deal_ymd[:4]), int(deal_ymd[4:6])
    return current - (year * 12 + month - 1) <= 1
