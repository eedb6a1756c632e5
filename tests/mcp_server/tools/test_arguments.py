"""Month ranges of the range tools: the default is the last 12 complete months in Korea."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mcp_server.errors import InvalidArgumentError
from mcp_server.tools.arguments import check_month_range

# 2026-03-31 23:30 UTC is already 1 April in Korea: the current month is 202604, complete ones end 202602.
NOW = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


def test_the_default_range_is_the_last_twelve_complete_months_in_kst() -> None:
    months = check_month_range(None, None, NOW)
    assert (months[0], months[-1], len(months)) == ("202503", "202602", 12)


def test_one_end_given_fills_the_other() -> None:
    assert check_month_range(None, "202412", NOW)[0] == "202401"
    assert check_month_range("202601", None, NOW) == ["202601", "202602"]
    assert check_month_range("202604", None, NOW) == ["202604"]  # a start after the complete months


def test_thirty_six_months_fit_and_thirty_seven_do_not() -> None:
    assert len(check_month_range("202303", "202602", NOW)) == 36
    with pytest.raises(InvalidArgumentError, match=r"37 months; at most 36 .* Ask for 202303–202602"):
        check_month_range("202302", "202602", NOW)
