"""The range tools through the SDK's in-memory client, against the series fixtures.

Every month of ``tests/fixtures/upstream/series`` is the same 55 rows (54 valid) with price × (100 + k) /
100 for the k-th month from 202301, so the figures below follow by hand from the base month (README,
"The series"): median 183750, min 77000, max 257000; the 11650 region is twice the 11440 price.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator

import pytest
from mcp import Client

from mcp_server.kst import add_months, complete_year_month_kst, current_year_month_kst
from tests.mcp_server.server_setup import call_tool as call
from tests.mcp_server.server_setup import error_text, server_for
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.make_series_fixtures import base_trades

YEAR_2023 = {"region_code": "11440", "start_month": "202301", "end_month": "202312"}
BASE_MEDIAN = 183750


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


def scaled(value: float, month_index: int) -> float:
    return value * (100 + month_index) / 100


async def test_trend_gives_each_month_and_the_change_over_the_year(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_price_trend", YEAR_2023)
    assert not result.is_error, result.content
    data = result.structured_content
    months = data["months"]
    assert [m["year_month"] for m in months] == [f"2023{m:02d}" for m in range(1, 13)]
    for k, month in enumerate(months):
        assert (month["status"], month["count"], month["thin"]) == ("ok", 54, False)
        assert month["median_10k"] == scaled(BASE_MEDIAN, k)
        assert (month["min_10k"], month["max_10k"]) == (scaled(77000, k), scaled(257000, k))
        assert "yoy_pct" not in month  # no month a year earlier inside the range
    assert months[0]["median_per_m2_10k"] == 2229.7
    assert "mom_pct" not in months[0]
    assert (months[1]["mom_pct"], months[11]["mom_pct"]) == (1.0, 0.9)  # 101/100, 111/110
    assert data["change"] == {
        "from_month": "202301",
        "to_month": "202312",
        "from_median_10k": 183750,
        "to_median_10k": 203962.5,
        "change_pct": 11.0,
        "from_count": 54,
        "to_count": 54,
        "thin": False,
    }
    overall = data["overall"]
    assert (overall["count"], overall["min_10k"], overall["max_10k"]) == (648, 77000, 285270)
    assert (data["property_type"], data["region_name"], data["filters"]) == (
        "아파트 매매",
        "서울특별시 마포구",
        {},
    )
    assert data["notes"] == []


async def test_year_over_year_change_when_the_range_holds_the_month_a_year_before(
    upstream: FixtureUpstream,
) -> None:
    args = {**YEAR_2023, "end_month": "202401"}
    data = (await call(upstream, "get_price_trend", args)).structured_content
    assert data["months"][-1]["yoy_pct"] == 12.0  # 112/100
    assert data["change"]["change_pct"] == 12.0


async def test_a_failing_month_is_reported_and_the_others_still_answer(upstream: FixtureUpstream) -> None:
    upstream.failing_months = {"202306"}
    result = await call(upstream, "get_price_trend", YEAR_2023)
    assert not result.is_error
    data = result.structured_content
    june, july = data["months"][5], data["months"][6]
    assert (june["status"], june["count"], "median_10k" in june) == ("failed", 0, False)
    assert "try again" in june["error"].lower()
    assert "mom_pct" not in july  # not bridged over the gap
    assert data["overall"]["count"] == 11 * 54
    assert data["change"]["change_pct"] == 11.0
    assert any("202306" in note for note in data["notes"])
    june_requests = [q for q in upstream.requests_to("AptTrade") if q["DEAL_YMD"] == "202306"]
    assert len(june_requests) == 3  # tried and retried (UPSTREAM_RETRIES=2), then left out


async def test_when_every_month_fails_the_error_says_what_to_do(upstream: FixtureUpstream) -> None:
    assert "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in error_text(
        await call(upstream, "get_price_trend", {**YEAR_2023, "region_code": "11110"})
    )


async def test_small_samples_are_flagged_thin(upstream: FixtureUpstream) -> None:
    """망원한강한신 59.4㎡ trades three times a month."""
    args = {**YEAR_2023, "end_month": "202303", "name_contains": "망원 한강한신", "max_area_m2": 60}
    data = (await call(upstream, "get_price_trend", args)).structured_content
    assert [(m["count"], m["thin"], m["median_10k"]) for m in data["months"]] == [
        (3, True, 80000),
        (3, True, 80800),
        (3, True, 81600),
    ]
    assert (data["overall"]["count"], data["overall"]["thin"], data["change"]["thin"]) == (9, False, True)
    assert data["filters"] == {"name_contains": "망원 한강한신", "max_area_m2": 60}


async def test_jeonse_trend_follows_deposits_of_rent_contracts_without_monthly_rent(
    upstream: FixtureUpstream,
) -> None:
    args = {
        **YEAR_2023,
        "end_month": "202302",
        "deal_type": "jeonse",
        "name_contains": "마포그랑자이",
        "min_area_m2": 84,
    }
    data = (await call(upstream, "get_price_trend", args)).structured_content
    january, february = data["months"]
    assert (january["count"], january["median_10k"]) == (14, 113700)  # 60 % of 189500
    assert (february["status"], february["count"]) == ("empty", 0)
    assert data["property_type"] == "아파트 전세"
    assert data["change"] is None


async def test_progress_notifications_reach_the_sdk_client(upstream: FixtureUpstream) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async with Client(server_for(upstream)) as client:
        result = await client.call_tool("get_price_trend", YEAR_2023, progress_callback=on_progress)
    assert not result.is_error
    assert [(p, t) for p, t, _ in seen] == [(n, 12) for n in range(1, 13)]
    assert sorted(m.removeprefix("아파트 매매 11440 ") for _, _, m in seen if m) == sorted(
        f"2023{n:02d}: 55 rows" for n in range(1, 13)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"start_month": "202001", "end_month": "202312"}, "48 months; at most 36"),
        ({"start_month": "202312", "end_month": "202301"}, "start_month 202312 is after end_month 202301"),
        ({"start_month": "2023-13"}, "start_month must be a month as YYYYMM"),
        ({"end_month": "209901"}, "end_month 209901 is in the future"),
    ],
)
async def test_bad_ranges_are_refused_before_any_upstream_call(
    upstream: FixtureUpstream, args: dict[str, str], message: str
) -> None:
    assert message in error_text(await call(upstream, "get_price_trend", {"region_code": "11440", **args}))
    assert upstream.request_log == []


async def test_compare_regions_side_by_side(upstream: FixtureUpstream) -> None:
    args = {"region_codes": ["11440", "11650"], "start_month": "202312", "end_month": "202401"}
    result = await call(upstream, "compare_regions", args)
    assert not result.is_error, result.content
    mapo, seocho = result.structured_content["regions"]
    assert (mapo["region_name"], seocho["region_name"]) == ("서울특별시 마포구", "서울특별시 서초구")
    assert [m["median_10k"] for m in mapo["months"]] == [scaled(BASE_MEDIAN, 11), scaled(BASE_MEDIAN, 12)]
    assert [m["median_10k"] for m in seocho["months"]] == [
        2 * scaled(BASE_MEDIAN, 11),
        2 * scaled(BASE_MEDIAN, 12),
    ]
    assert (mapo["count"], seocho["count"], mapo["max_10k"], seocho["max_10k"]) == (108, 108, 287840, 575680)
    assert mapo["change"]["change_pct"] == seocho["change"]["change_pct"] == 0.9


async def test_compare_regions_reports_a_region_that_failed_without_failing_the_others(
    upstream: FixtureUpstream,
) -> None:
    args = {"region_codes": ["11440", "11110"], "start_month": "202312", "end_month": "202312"}
    data = (await call(upstream, "compare_regions", args)).structured_content
    mapo, failed = data["regions"]
    assert (mapo["count"], failed["count"], failed["months"][0]["status"]) == (54, 0, "failed")
    assert any(note.startswith("서울특별시 종로구: 1 month(s) left out") for note in data["notes"])


@pytest.mark.parametrize(
    "codes", [["11440"], ["11440", "11440"], ["11440", "11650", "11110", "11140", "11170", "11200"]]
)
async def test_compare_regions_needs_two_to_five_different_regions(
    upstream: FixtureUpstream, codes: list[str]
) -> None:
    assert "2 to 5 different" in error_text(await call(upstream, "compare_regions", {"region_codes": codes}))


async def test_jeonse_ratio_matches_complex_and_area_type(upstream: FixtureUpstream) -> None:
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202301"}
    result = await call(upstream, "get_jeonse_ratio", args)
    assert not result.is_error, result.content
    data = result.structured_content
    groups = {(g["name"], g["area_type"]): g for g in data["groups"]}
    assert {key: g["ratio_pct"] for key, g in groups.items()} == {
        ("마포그랑자이", 84): 60.0,
        ("마포그랑자이", 59): 60.0,
        ("래미안웰스트림", 84): 50.0,  # the 월세 contract of the same type is not counted
        ("망원한강한신", 84): 55.0,
        ("망원한강한신", 59): 50.0,
    }
    assert (
        groups[("마포그랑자이", 84)]["trade"]["median_10k"],
        groups[("마포그랑자이", 84)]["jeonse"]["median_10k"],
    ) == (
        189500,
        113700,
    )
    assert (
        groups[("래미안웰스트림", 84)]["trade"]["count"],
        groups[("래미안웰스트림", 84)]["jeonse"]["count"],
    ) == (8, 8)
    assert [g["thin"] for g in data["groups"]] == [g["trade"]["count"] < 5 for g in data["groups"]]
    assert (data["median_ratio_pct"], data["group_count"], data["thin_group_count"]) == (55.0, 5, 1)
    assert data["unmatched"] == [
        {"dong": "현석동", "name": "래미안웰스트림", "area_type": 114, "side": "trade", "count": 8},
        {"dong": "합정동", "name": "메세나폴리스", "area_type": 84, "side": "jeonse", "count": 1},
    ]
    assert data["unmatched_count"] == 2
    assert [g["trade"]["count"] + g["jeonse"]["count"] for g in data["groups"]] == [28, 22, 20, 16, 6]
    assert data["month_issues"] == []


async def test_jeonse_ratio_lists_the_busiest_groups_and_keeps_the_median_over_all(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mcp_server.molit.jeonse.LISTED_GROUPS", 2)
    monkeypatch.setattr("mcp_server.molit.jeonse.LISTED_UNMATCHED", 1)
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202301"}
    data = (await call(upstream, "get_jeonse_ratio", args)).structured_content
    assert [(g["name"], g["area_type"]) for g in data["groups"]] == [
        ("마포그랑자이", 84),
        ("마포그랑자이", 59),
    ]
    assert (data["median_ratio_pct"], data["group_count"], data["unmatched_count"]) == (55.0, 5, 2)
    assert len(data["unmatched"]) == 1
    assert any(note.startswith("Listed: the 2 matched and 1 unmatched") for note in data["notes"])


async def test_jeonse_ratio_lists_a_failed_month_and_keeps_the_rest(upstream: FixtureUpstream) -> None:
    upstream.failing_months = {"202302"}
    args = {
        "region_code": "11440",
        "start_month": "202301",
        "end_month": "202302",
        "name_contains": "그랑자이",
    }
    data = (await call(upstream, "get_jeonse_ratio", args)).structured_content
    assert [(i["year_month"], i["dataset"]) for i in data["month_issues"]] == [
        ("202302", "아파트 매매"),
        ("202302", "아파트 전월세"),
    ]
    assert (data["median_ratio_pct"], data["group_count"], data["filters"]) == (
        60.0,
        2,
        {"name_contains": "그랑자이"},
    )


async def test_complex_summary_by_area_type(upstream: FixtureUpstream) -> None:
    args = {
        "region_code": "11440",
        "apartment_name": "망원 한강한신",
        **{k: YEAR_2023[k] for k in ("start_month", "end_month")},
    }
    result = await call(upstream, "get_complex_summary", args)
    assert not result.is_error, result.content
    data = result.structured_content
    assert (data["name"], data["dong"], data["build_year"]) == ("망원한강한신", "망원동", 1999)
    small, large = data["area_groups"]
    base = {
        area: [
            int(r["dealAmount"].replace(",", ""))
            for r in base_trades()
            if r["aptNm"] == "망원한강한신" and r["excluUseAr"] == area
        ]
        for area in ("59.4", "84.6")
    }
    for group, area in ((small, "59.4"), (large, "84.6")):
        prices = [p * (100 + k) // 100 for k in range(12) for p in base[area]]
        assert group["trade"]["count"] == len(prices)
        assert group["trade"]["median_10k"] == statistics.median(prices)
        assert (group["trade"]["min_10k"], group["trade"]["max_10k"]) == (min(prices), max(prices))
    assert (small["area_type"], small["trade"]["count"], large["area_type"], large["trade"]["count"]) == (
        59,
        36,
        84,
        120,
    )
    assert (small["jeonse"]["count"], small["jeonse"]["median_10k"], small["jeonse"]["thin"]) == (
        3,
        40000,
        True,
    )
    assert (
        small["wolse"]["count"],
        small["wolse"]["median_10k"],
        small["wolse"]["median_monthly_rent_10k"],
    ) == (1, 30000, 40)
    assert (large["jeonse"]["count"], large["jeonse"]["median_10k"], large["wolse"]["count"]) == (
        10,
        52635,
        0,
    )
    assert [t["deal_date"] for t in data["latest_trades"]][:2] == ["2023-12-31", "2023-12-31"]
    assert len(data["latest_trades"]) == len(data["latest_rents"]) == 5
    assert all(r["deal_date"].startswith("2023-01") for r in data["latest_rents"])


async def test_an_unknown_complex_gets_the_names_that_did_trade(upstream: FixtureUpstream) -> None:
    args = {
        "region_code": "11440",
        "apartment_name": "그랑자이",
        "start_month": "202301",
        "end_month": "202301",
    }
    assert "Names that did trade: 마포그랑자이" in error_text(
        await call(upstream, "get_complex_summary", args)
    )


async def test_by_default_the_last_twelve_complete_months(upstream: FixtureUpstream) -> None:
    data = (await call(upstream, "get_price_trend", {"region_code": "11440"})).structured_content
    months = [m["year_month"] for m in data["months"]]
    assert (len(months), months[-1]) == (12, complete_year_month_kst())
    assert {m["status"] for m in data["months"]} == {"empty"}  # no fixture for those months
    assert data["change"] is None
    assert len(upstream.requests_to("AptTrade")) == 12


async def test_a_range_ending_in_a_month_still_being_reported_says_so(upstream: FixtureUpstream) -> None:
    current = current_year_month_kst()
    args = {"region_code": "11440", "start_month": add_months(current, -1), "end_month": current}
    data = (await call(upstream, "get_price_trend", args)).structured_content
    assert any("30 days" in note for note in data["notes"])
