"""Trade tools through the SDK's in-memory client against the fixture upstream on a real socket."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from typing import Any

import pytest

from tests.mcp_server.server_setup import call_tool as call
from tests.mcp_server.server_setup import error_text
from tests.support.fixture_upstream.server import FixtureUpstream

APT = "/RTMSDataSvcAptTrade/"


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream(slow_seconds=3.0) as up:
        yield up


async def apartment_month(up: FixtureUpstream, region_code: str, year_month: str, **settings: Any) -> Any:
    """get_apartment_trades for one region and month, on a server with ``settings`` changed."""
    return await call(
        up, "get_apartment_trades", {"region_code": region_code, "year_month": year_month}, **settings
    )


@pytest.mark.parametrize("page_size", [1000, 100, 30])
async def test_apartment_month_summary_covers_all_244_valid_rows(
    upstream: FixtureUpstream, page_size: int
) -> None:
    result = await call(
        upstream,
        "get_apartment_trades",
        {"region_code": "11440", "year_month": "202501", "limit": 10},
        MOLIT_PAGE_SIZE=page_size,
    )
    assert not result.is_error
    data = result.structured_content
    assert data["summary"] == {
        "sample_count": 244,
        "median_price_10k": 149800,
        "min_price_10k": 77000,
        "max_price_10k": 267000,
        "median_price_per_m2_10k": data["summary"]["median_price_per_m2_10k"],
        "area_basis": "전용면적",
        "thin": False,
        "filters": None,
    }
    assert (data["total_count"], data["fetched_count"], data["cancelled_count"]) == (250, 250, 6)
    assert (data["returned"], data["truncated"], len(data["items"])) == (10, True, 10)
    pages = upstream.requests_to(APT)
    assert sorted(int(q["pageNo"]) for q in pages) == list(range(1, -(-250 // page_size) + 1))
    assert {q["numOfRows"] for q in pages} == {str(page_size)}


async def test_items_are_not_truncated_when_the_limit_covers_the_month(upstream: FixtureUpstream) -> None:
    result = await call(
        upstream, "get_apartment_trades", {"region_code": "11440", "year_month": "202501", "limit": 1000}
    )
    data = result.structured_content
    assert (data["returned"], data["truncated"]) == (244, False)
    prices = [item["price_10k"] for item in data["items"]]
    assert statistics.median(prices) == 149800


@pytest.mark.parametrize("tool", ["get_apartment_trades", "get_apartment_rent"])
async def test_the_reference_num_of_rows_argument_caps_items(upstream: FixtureUpstream, tool: str) -> None:
    args = {"region_code": "11440", "year_month": "202501", "num_of_rows": 3}
    data = (await call(upstream, tool, args)).structured_content
    assert (data["returned"], len(data["items"]), data["truncated"]) == (3, 3, True)
    assert data["summary"]["sample_count"] > 3  # the summary still covers the whole month
    refused = await call(upstream, tool, {**args, "num_of_rows": 0})
    assert "between 1 and 1000" in refused.content[0].text


async def test_cancelled_deals_are_excluded_from_items_and_summary(upstream: FixtureUpstream) -> None:
    result = await apartment_month(upstream, "11440", "202412")
    data = result.structured_content
    assert (data["total_count"], data["cancelled_count"], data["returned"]) == (9, 3, 6)
    assert (data["summary"]["median_price_10k"], data["summary"]["min_price_10k"]) == (155750, 137000)
    assert 115400 not in [item["price_10k"] for item in data["items"]]
    assert any("cancelled" in note for note in data["notes"])


@pytest.mark.parametrize(
    ("tool", "valid", "median", "low", "high"),
    [
        ("get_officetel_trades", 10, 25250, 17400, 41000),
        ("get_villa_trades", 11, 56500, 31000, 71000),
        ("get_single_house_trades", 6, 263900, 195000, 381000),
        ("get_commercial_trade", 7, 107000, 31000, 824300),
        ("get_land_trades", 12, 145000, 1500, 452000),
        ("get_factory_warehouse_trades", 9, 58000, 35500, 265000),
        ("get_presale_right_trades", 10, 158250, 139000, 189000),
    ],
)
async def test_every_trade_tool_gives_the_readme_figures(
    upstream: FixtureUpstream, tool: str, valid: int, median: int, low: int, high: int
) -> None:
    result = await call(upstream, tool, {"region_code": "11440", "year_month": "202501"})
    summary = result.structured_content["summary"]
    assert (summary["sample_count"], summary["median_price_10k"]) == (valid, median)
    assert (summary["min_price_10k"], summary["max_price_10k"]) == (low, high)


@pytest.mark.parametrize("lawd", ["11440", "11410"])  # 000 empty form, 03 No Data form
async def test_an_empty_month_is_a_result_with_a_reason_not_an_error(
    upstream: FixtureUpstream, lawd: str
) -> None:
    result = await call(upstream, "get_apartment_trades", {"region_code": lawd, "year_month": "200511"})
    assert not result.is_error
    data = result.structured_content
    assert (data["total_count"], data["items"], data["summary"]["sample_count"]) == (0, [], 0)
    assert data["summary"]["median_price_10k"] is None
    assert "2006" in data["empty_reason"]


async def test_an_empty_recent_month_explains_late_reporting(upstream: FixtureUpstream) -> None:
    from mcp_server.kst import current_year_month_kst

    result = await call(
        upstream, "get_apartment_trades", {"region_code": "11440", "year_month": current_year_month_kst()}
    )
    assert "30 days" in result.structured_content["empty_reason"]


@pytest.mark.parametrize(
    ("lawd", "expected"),
    [
        ("11110", ["SERVICE_KEY_IS_NOT_REGISTERED_ERROR", "DATA_GO_KR_API_KEY", "활용신청", "hour"]),
        ("11140", ["SERVICE_KEY_IS_NOT_REGISTERED_ERROR", "DATA_GO_KR_API_KEY", "활용신청", "hour"]),
        ("11170", ["LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR", "resets daily"]),
        ("11200", ["LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR", "resets daily"]),
        ("11290", ["Forbidden", "활용신청"]),
        ("11305", ["server error", "HTTP 502"]),
        ("11320", ["could not be parsed"]),
        ("11470", ["Unexpected errors: key [REDACTED] / [REDACTED]", "HTTP 400"]),
    ],
)
async def test_upstream_failures_become_tool_errors_that_say_what_to_do(
    upstream: FixtureUpstream, lawd: str, expected: list[str]
) -> None:
    result = await call(upstream, "get_apartment_trades", {"region_code": lawd, "year_month": "202501"})
    assert result.is_error
    text = result.content[0].text
    for fragment in expected:
        assert fragment in text


@pytest.mark.parametrize(("lawd", "requests"), [("11110", 1), ("11170", 1), ("11305", 3)])
async def test_only_transient_failures_are_retried(
    upstream: FixtureUpstream, lawd: str, requests: int
) -> None:
    await call(upstream, "get_apartment_trades", {"region_code": lawd, "year_month": "202501"})
    assert len(upstream.requests_to(APT)) == requests


async def test_a_failure_on_a_later_page_reaches_the_user_with_its_own_message(
    upstream: FixtureUpstream,
) -> None:
    """Pages 2+ are fetched in a TaskGroup; the quota error of page 2 must not be masked by the SDK."""
    result = await apartment_month(upstream, "11350", "202501", MOLIT_PAGE_SIZE=100)
    assert result.is_error
    text = result.content[0].text
    assert "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR" in text
    assert "resets daily" in text
    # Page 3 goes out concurrently with page 2 and may be cancelled before it is sent once page 2
    # fails, so only pages 1 and 2 are certain; what matters is that none is asked for twice.
    pages = [int(q["pageNo"]) for q in upstream.requests_to(APT)]
    assert sorted(pages) in ([1, 2], [1, 2, 3])


async def test_result_code_01_is_retried_and_then_succeeds(upstream: FixtureUpstream) -> None:
    result = await apartment_month(upstream, "11215", "202501", MOLIT_PAGE_SIZE=100)
    assert not result.is_error
    assert result.structured_content["summary"]["sample_count"] == 244
    assert len(upstream.requests_to(APT)) == 6  # each of the three pages: 01 once, then data


async def test_result_code_01_every_time_gives_up_after_the_retries(upstream: FixtureUpstream) -> None:
    assert "temporary provider error" in error_text(await apartment_month(upstream, "11230", "202501"))
    assert len(upstream.requests_to(APT)) == 3


async def test_a_slow_upstream_times_out_with_a_clear_message(upstream: FixtureUpstream) -> None:
    result = await apartment_month(
        upstream, "11260", "202501", UPSTREAM_TIMEOUT_SECONDS=0.2, UPSTREAM_RETRIES=1
    )
    assert result.is_error
    assert "did not answer within 0.2 seconds" in result.content[0].text
    assert len(upstream.requests_to(APT)) == 2


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ({"region_code": "99999", "year_month": "202501"}, "get_region_code"),
        ({"region_code": "36110", "year_month": "201101"}, "2012-07부터 쓰인 코드"),  # before 세종 existed
        ({"region_code": "41195", "year_month": "202001"}, "법정동 배분이 계보 표에 없어"),  # 옛 원미구
        ({"region_code": "41130", "year_month": "202501"}, "41135 (경기도 성남시 분당구)"),
        ({"region_code": "1144", "year_month": "202501"}, "5-digit"),
        ({"region_code": "1144010100", "year_month": "202501"}, "'11440'"),
        ({"region_code": "11440", "year_month": "2025-13"}, "YYYYMM"),
        ({"region_code": "11440", "year_month": "209912"}, "future"),
        ({"region_code": "11440", "year_month": "202501", "limit": 0}, "between 1 and 1000"),
        ({"region_code": "11440", "year_month": "202501", "limit": 5000}, "between 1 and 1000"),
    ],
)
async def test_invalid_arguments_are_refused_before_any_upstream_call(
    upstream: FixtureUpstream, args: dict[str, Any], fragment: str
) -> None:
    assert fragment in error_text(await call(upstream, "get_apartment_trades", args))
    assert upstream.request_log == []


async def test_a_missing_key_says_which_variable_to_set(upstream: FixtureUpstream) -> None:
    result = await call(
        upstream,
        "get_commercial_trade",
        {"region_code": "11440", "year_month": "202501"},
        DATA_GO_KR_API_KEY=None,
    )
    assert result.is_error
    assert "DATA_GO_KR_API_KEY" in result.content[0].text
    assert upstream.request_log == []


async def test_results_carry_source_and_data_as_of(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_villa_trades", {"region_code": "11440", "year_month": "202501"})
    data = result.structured_content
    assert data["region_name"] == "서울특별시 마포구"
    assert data["source"]["endpoint"] == "1613000/RTMSDataSvcRHTrade/getRTMSDataSvcRHTrade"
    assert data["source"]["from_cache"] is False
    assert data["data_as_of"] == data["source"]["data_as_of"]
    assert data["data_as_of"].endswith("+09:00")
    assert data["amount_unit"].startswith("만원")  # so a model does not read 149800 as won


async def test_land_share_deals_are_flagged_and_explained(upstream: FixtureUpstream) -> None:
    result = await call(
        upstream, "get_land_trades", {"region_code": "11440", "year_month": "202501", "limit": 100}
    )
    data = result.structured_content
    assert sum(1 for item in data["items"] if item.get("share_deal")) == 4
    assert any("share deal" in note for note in data["notes"])


async def test_a_month_read_short_gets_no_statistics(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages past the second come back empty although totalCount says 250: 200 rows are listed, but a
    summary over them would pass for the month's."""
    original = upstream.molit.data

    def short(service: str, lawd: str, ymd: str, page_no: int, rows: int) -> bytes:
        return original(service, lawd, ymd, 99 if page_no > 2 else page_no, rows)

    monkeypatch.setattr(upstream.molit, "data", short)
    args = {"region_code": "11440", "year_month": "202501", "limit": 1000}
    data = (await call(upstream, "get_apartment_trades", args, MOLIT_PAGE_SIZE=100)).structured_content
    assert (data["total_count"], data["fetched_count"], data["returned"]) == (250, 200, 194)
    assert (data["summary"]["sample_count"], data["summary"]["median_price_10k"]) == (0, None)
    assert any("Only 200 of the 250 rows" in note and "left empty" in note for note in data["notes"])
