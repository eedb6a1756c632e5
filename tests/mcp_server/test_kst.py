"""Korean time for month questions: the month turns at midnight in Seoul, not in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mcp_server.kst import current_year_month_kst, months_between, now_kst, previous_year_month


def test_month_turns_at_midnight_kst_not_utc() -> None:
    # 2026-01-31 15:00 UTC is already 2026-02-01 00:00 in Korea.
    assert current_year_month_kst(datetime(2026, 1, 31, 14, 59, tzinfo=UTC)) == "202601"
    assert current_year_month_kst(datetime(2026, 1, 31, 15, 0, tzinfo=UTC)) == "202602"


def test_year_turns_in_korea_first() -> None:
    assert current_year_month_kst(datetime(2025, 12, 31, 20, 0, tzinfo=UTC)) == "202601"


def test_naive_datetimes_are_taken_as_utc() -> None:
    assert current_year_month_kst(datetime(2026, 3, 31, 16, 0)) == "202604"


def test_other_offsets_are_converted() -> None:
    new_york = timezone(timedelta(hours=-5))
    assert current_year_month_kst(datetime(2026, 6, 30, 10, 0, tzinfo=new_york)) == "202607"


def test_korea_is_utc_plus_nine_all_year() -> None:
    for month in (1, 7):
        assert now_kst(datetime(2026, month, 1, tzinfo=UTC)).utcoffset() == timedelta(hours=9)


def test_default_is_the_current_instant() -> None:
    before = datetime.now(UTC)
    value = current_year_month_kst()
    after = datetime.now(UTC)

    assert value in {current_year_month_kst(before), current_year_month_kst(after)}


@pytest.mark.parametrize(
    ("month", "previous"), [("202601", "202512"), ("202603", "202602"), ("202512", "202511")]
)
def test_previous_month(month: str, previous: str) -> None:
    assert previous_year_month(month) == previous


def test_without_a_tz_database_korea_is_still_utc_plus_nine(monkeypatch: pytest.MonkeyPatch) -> None:
    import mcp_server.kst as kst

    def missing(key: str) -> None:
        raise kst.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(kst, "ZoneInfo", missing)
    fallback = kst._korea()

    assert datetime(2026, 7, 1, tzinfo=UTC).astimezone(fallback).utcoffset() == timedelta(hours=9)
    assert datetime(2026, 1, 31, 15, 0, tzinfo=UTC).astimezone(fallback).strftime("%Y%m") == "202602"


def test_months_between_crosses_years() -> None:
    assert months_between("202311", "202402") == ["202311", "202312", "202401", "202402"]
    assert months_between("202401", "202401") == ["202401"]
