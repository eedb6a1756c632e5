"""청약 tools against the fixture odcloud: authentication forms, filters, and the 401 error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.mcp_server.server_setup import FAKE_KEY, error_text
from tests.mcp_server.server_setup import call_tool as call
from tests.support.fixture_upstream.answers import REJECTED_KEY
from tests.support.fixture_upstream.odcloud import INFO_PATH
from tests.support.fixture_upstream.server import FixtureUpstream


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def test_notices_come_back_newest_first_with_the_fixture_facts(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_apt_subscription_info", {})
    assert not result.is_error
    data = result.structured_content
    items = data["items"]
    assert (data["total_count"], data["returned"], data["truncated"]) == (2612, 5, True)
    assert sum(item["households"] for item in items) == 3422
    assert [i["announcement_date"] for i in items] == sorted(
        (i["announcement_date"] for i in items), reverse=True
    )
    missing = next(i for i in items if i["house_manage_no"] == "2025000003")
    assert "special_supply_start" not in missing  # null upstream → omitted
    assert all(i["url"].startswith("https://www.applyhome.co.kr/") for i in items)


@pytest.mark.parametrize(("area", "count"), [("서울", 1), ("서울특별시", 1), ("경기도", 2), ("410", 2)])
async def test_area_filter_is_sent_as_cond_and_applied(
    upstream: FixtureUpstream, area: str, count: int
) -> None:
    result = await call(upstream, "get_apt_subscription_info", {"area": area})
    items = result.structured_content["items"]
    assert len(items) == count
    query = upstream.requests_to(INFO_PATH)[0]
    assert any(key.startswith("cond[공급지역") for key in query)


async def test_date_filter_keeps_notices_announced_in_range(upstream: FixtureUpstream) -> None:
    result = await call(
        upstream, "get_apt_subscription_info", {"announced_from": "2025-01-09", "announced_to": "20250110"}
    )
    dates = [i["announcement_date"] for i in result.structured_content["items"]]
    assert dates == ["2025-01-10", "2025-01-09"]
    query = upstream.requests_to(INFO_PATH)[0]
    assert (query["cond[모집공고일::GTE]"], query["cond[모집공고일::LTE]"]) == ("2025-01-09", "2025-01-10")


async def test_filters_odcloud_refuses_are_applied_here_instead(upstream: FixtureUpstream) -> None:
    upstream.odcloud_rejects_conds = True
    result = await call(upstream, "get_apt_subscription_info", {"area": "경기", "announced_to": "2025-01-08"})
    assert not result.is_error
    data = result.structured_content
    assert [i["house_manage_no"] for i in data["items"]] == ["2025000003"]
    assert any("refused the area/date filters (HTTP 500)" in note for note in data["notes"])
    queries = upstream.requests_to(INFO_PATH)
    assert any("cond[공급지역명::EQ]" in q for q in queries)  # the filters were tried first
    assert not any(k.startswith("cond[") for k in queries[-1])


async def test_query_key_form_by_default_and_infuser_header_with_odcloud_api_key(
    upstream: FixtureUpstream,
) -> None:
    await call(upstream, "get_apt_subscription_info", {})
    by_query = ([form for _, form in upstream.auth_log], upstream.requests_to(INFO_PATH))
    upstream.clear_log()
    await call(upstream, "get_apt_subscription_info", {}, ODCLOUD_API_KEY="odcloud-header-key")
    by_header = ([form for _, form in upstream.auth_log], upstream.requests_to(INFO_PATH))
    assert set(by_query[0]) == {"query"}
    assert set(by_header[0]) == {"header"}
    assert all(q["serviceKey"] == FAKE_KEY for q in by_query[1])
    assert not any("serviceKey" in q for q in by_header[1])
    assert all(q["returnType"] == "JSON" for q in by_query[1] + by_header[1])


async def test_notices_are_read_over_every_page_odcloud_announces(upstream: FixtureUpstream) -> None:
    """The fixture claims matchCount 2612 but holds 5 rows: pages past them are empty, and the
    result says that not every notice could be read instead of pretending page 1 is everything."""
    result = await call(upstream, "get_apt_subscription_info", {"limit": 3})
    data = result.structured_content
    pages = sorted(int(q["page"]) for q in upstream.requests_to(INFO_PATH))
    assert pages[0] == 1
    assert len(pages) > 1
    assert {q["perPage"] for q in upstream.requests_to(INFO_PATH)} == {"1000"}
    assert (data["total_count"], data["returned"], data["truncated"]) == (2612, 3, True)
    assert any("Only 5 of the 2612" in note for note in data["notes"])


async def test_with_a_filter_every_match_is_read_and_counted(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_apt_subscription_info", {"area": "경기", "limit": 1})
    data = result.structured_content
    assert (data["total_count"], data["returned"], data["truncated"]) == (2, 1, True)
    assert data["notes"] == []
    assert len(upstream.requests_to(INFO_PATH)) == 1  # matchCount 2 fits on the first page


async def test_applicant_statistics_by_region_and_age(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_apt_subscription_results", {"year_month": "202501"})
    data = result.structured_content
    assert (data["total_count"], data["returned"]) == (17, 17)
    seoul = next(r for r in data["items"] if r["area_code"] == "100")
    assert (seoul["age_30_or_under"], seoul["age_40s"], seoul["age_50s"], seoul["age_60_or_over"]) == (
        4446,
        3444,
        6207,
        5022,
    )
    assert data["grand_total"] == 90603
    assert upstream.requests_to("getAPTReqstAreaStat")[0]["cond[STAT_DE::EQ]"] == "202501"


async def test_statistics_for_one_area_and_an_empty_month(upstream: FixtureUpstream) -> None:
    one = await call(upstream, "get_apt_subscription_results", {"year_month": "202501", "area": "서울"})
    assert [r["area_name"] for r in one.structured_content["items"]] == ["서울"]
    assert one.structured_content["total_count"] == 1
    assert upstream.requests_to("getAPTReqstAreaStat")[0]["cond[SUBSCRPT_AREA_CODE::EQ]"] == "100"
    empty = await call(upstream, "get_apt_subscription_results", {"year_month": "202402"})
    assert empty.structured_content["items"] == []
    assert "202402" in empty.structured_content["empty_reason"]


@pytest.mark.parametrize(
    "settings", [{"ODCLOUD_API_KEY": REJECTED_KEY}, {"DATA_GO_KR_API_KEY": REJECTED_KEY}]
)
async def test_odcloud_401_says_to_apply_for_the_service(
    upstream: FixtureUpstream, settings: dict[str, str]
) -> None:
    result = await call(upstream, "get_apt_subscription_info", {}, **settings)
    assert result.is_error
    text = result.content[0].text
    assert "등록되지 않은 인증키" in text
    assert "활용신청" in text
    assert len(upstream.requests_to(INFO_PATH)) == 1  # an auth error is not retried


@pytest.mark.parametrize(
    ("tool", "args", "fragment"),
    [
        ("get_apt_subscription_info", {"area": "뉴욕"}, "시도"),
        ("get_apt_subscription_info", {"announced_from": "yesterday"}, "YYYY-MM-DD"),
        ("get_apt_subscription_info", {"limit": 0}, "between 1 and 100"),
        ("get_apt_subscription_info", {"move_in_from": "2027"}, "YYYYMM"),
        ("get_apt_subscription_info", {"per_page": 500}, "between 1 and 100"),
        (
            "get_apt_subscription_info",
            {"announced_from": "2025-01-01", "rcrit_pblanc_de_from": "2025-02-01"},
            "disagree",
        ),
        ("get_apt_subscription_results", {"year_month": "209901"}, "future"),
    ],
)
async def test_invalid_subscription_arguments(
    upstream: FixtureUpstream, tool: str, args: dict[str, Any], fragment: str
) -> None:
    assert fragment in error_text(await call(upstream, tool, args))
    assert upstream.request_log == []


async def test_missing_keys_name_the_variables(upstream: FixtureUpstream) -> None:
    assert "ODCLOUD_API_KEY" in error_text(
        await call(upstream, "get_apt_subscription_info", {}, DATA_GO_KR_API_KEY=None)
    )


@pytest.mark.parametrize(
    ("today", "status"),
    [("2025-01-19", "upcoming"), ("2025-01-20", "open"), ("2025-01-22", "open"), ("2025-01-23", "closed")],
)
async def test_each_notice_says_whether_applications_are_upcoming_open_or_closed(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch, today: str, status: str
) -> None:
    """Notice 2025000012 (fixture): special supply 2025-01-20, 청약 접수 2025-01-20 to 2025-01-22."""
    moment = datetime.fromisoformat(f"{today}T10:00:00+09:00")
    monkeypatch.setattr("mcp_server.tools.subscription.now_kst", lambda: moment)
    result = await call(upstream, "get_apt_subscription_info", {"area": "서울"})
    notice = result.structured_content["items"][0]
    assert (notice["house_manage_no"], notice["special_supply_start"]) == ("2025000012", "2025-01-20")
    assert (notice["application_start"], notice["application_end"]) == ("2025-01-20", "2025-01-22")
    assert notice["status"] == status


async def test_reference_argument_names_are_understood(upstream: FixtureUpstream) -> None:
    """The reference server took stat_kind / stat_year_month / area_code; prompts written for it work."""
    result = await call(
        upstream,
        "get_apt_subscription_results",
        {"stat_kind": "reqst_area", "stat_year_month": "202501", "area_code": "100"},
    )
    data = result.structured_content
    assert (data["year_month"], data["returned"]) == ("202501", 1)
    assert data["items"][0]["age_50s"] == 6207
    both = await call(
        upstream, "get_apt_subscription_results", {"year_month": "202501", "area": "서울", "area_code": "100"}
    )
    assert [r["area_code"] for r in both.structured_content["items"]] == ["100"]
    query = upstream.requests_to("getAPTReqstAreaStat")[0]
    assert (query["cond[STAT_DE::EQ]"], query["cond[SUBSCRPT_AREA_CODE::EQ]"]) == ("202501", "100")


async def test_without_a_month_the_latest_published_month_is_shown(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_apt_subscription_results", {"statistic": "applicants"})
    data = result.structured_content
    assert (data["year_month"], data["returned"], data["grand_total"]) == ("202501", 17, 90603)
    assert not any("STAT_DE" in key for q in upstream.requests_to("getAPTReqstAreaStat") for key in q)


COMPETITION_ROWS = [  # shapes from docs/upstream-apis.md, 3.3: numbers may be strings, '-' means no value
    {
        "STAT_DE": "202501",
        "SUBSCRPT_AREA_CODE": "100",
        "SUBSCRPT_AREA_CODE_NM": "서울",
        "SPSPLY_HSHLDCO": "120",
        "SPSPLY_REQ_CNT": "2,400",
        "SPSPLY_CMPET_RATE": "20.00",
        "SUPLY_HSHLDCO": 80,
        "SUPLY_REQ_CNT": "174,560",
        "SUPLY_CMPET_RATE": "2,182.00",
    },
    {
        "STAT_DE": "202501",
        "SUBSCRPT_AREA_CODE": "200",
        "SUBSCRPT_AREA_CODE_NM": "강원",
        "SPSPLY_HSHLDCO": "30",
        "SPSPLY_REQ_CNT": "0",
        "SPSPLY_CMPET_RATE": "-",
        "SUPLY_HSHLDCO": "50",
        "SUPLY_REQ_CNT": "37",
        "SUPLY_CMPET_RATE": "(△13)",
    },
]


def serve_rows(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, Any]]
) -> None:
    original = upstream.odcloud.answer

    def odcloud(path: str, query: dict[str, str], headers: dict[str, str]) -> tuple[int, str, bytes]:
        if "getAPTReqstAreaStat" in path or path == INFO_PATH:
            return original(path, query, headers)
        wanted = [  # cond[FIELD::EQ] filters, as odcloud applies them
            r for r in rows if all(str(r.get(k[5:-5])) == v for k, v in query.items() if k.endswith("::EQ]"))
        ]
        envelope = {
            "currentCount": len(wanted),
            "data": wanted,
            "matchCount": len(wanted),
            "page": 1,
            "perPage": int(query["perPage"]),
            "totalCount": len(rows),
        }
        return 200, "application/json", json.dumps(envelope, ensure_ascii=False).encode()

    monkeypatch.setattr(upstream.odcloud, "answer", odcloud)


async def test_competition_rates_keep_no_value_apart_from_zero(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_rows(upstream, monkeypatch, COMPETITION_ROWS)
    result = await call(
        upstream, "get_apt_subscription_results", {"year_month": "202501", "statistic": "competition"}
    )
    seoul, gangwon = result.structured_content["items"]
    assert (seoul["special_supply_applications"], seoul["general_supply_applications"]) == (2400, 174560)
    assert (seoul["special_supply_rate"], seoul["general_supply_rate"]) == (20.0, 2182.0)
    assert (gangwon["special_supply_rate"], gangwon["general_supply_rate"]) == (None, None)
    assert gangwon["general_supply_households"] == 50
    assert upstream.requests_to("getAPTCmpetrtAreaStat")[0]["cond[STAT_DE::EQ]"] == "202501"


async def test_winner_scores_by_residence(upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        {
            "STAT_DE": "202501",
            "SUBSCRPT_AREA_CODE": "100",
            "SUBSCRPT_AREA_CODE_NM": "서울",
            "RESIDE_SECD": code,
            "AVRG_SCORE": avg,
            "TOP_SCORE": top,
            "LWET_SCORE": low,
        }
        for code, avg, top, low in (("01", "62.5", "79", "51"), ("03", 55.1, 70, "-"))
    ]
    serve_rows(upstream, monkeypatch, rows)
    result = await call(
        upstream,
        "get_apt_subscription_results",
        {"stat_kind": "aps_przwner", "stat_year_month": "202501", "area": "서울", "reside_secd": "01"},
    )
    data = result.structured_content
    assert data["statistic"].startswith("가점제")
    assert data["items"] == [
        {
            "stat_month": "202501",
            "area_code": "100",
            "area_name": "서울",
            "residence": "01 해당지역",
            "average_score": 62.5,
            "top_score": 79.0,
            "lowest_score": 51.0,
        }
    ]
    assert upstream.requests_to("getAPTApsPrzwnerStat")[0]["cond[RESIDE_SECD::EQ]"] == "01"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ({"statistic": "winners", "stat_kind": "cmpetrt_area"}, "disagree"),
        ({"year_month": "202501", "stat_year_month": "202502"}, "disagree"),
        ({"statistic": "winner_scores", "reside_secd": "9"}, "reside_secd"),
        ({"area": "서울", "area_code": "410"}, "disagree"),
    ],
)
async def test_conflicting_or_invalid_statistic_arguments(
    upstream: FixtureUpstream, args: dict[str, Any], fragment: str
) -> None:
    assert fragment in error_text(await call(upstream, "get_apt_subscription_results", args))
    assert upstream.request_log == []


async def test_reference_notice_arguments_filter_and_page(upstream: FixtureUpstream) -> None:
    result = await call(
        upstream,
        "get_apt_subscription_info",
        {"rcrit_pblanc_de_from": "2025-01-06", "mvn_prearnge_ym_from": "202710", "per_page": 2},
    )
    data = result.structured_content
    # 2025-01-06 or later: 12, 9, 7, 5; of those moving in 2027-10 or later: all four
    assert [i["house_manage_no"] for i in data["items"]] == ["2025000012", "2025000009"]
    assert (data["total_count"], data["returned"], data["truncated"]) == (4, 2, True)
    second = await call(
        upstream,
        "get_apt_subscription_info",
        {"announced_from": "2025-01-06", "move_in_from": "2027-10", "limit": 2, "page": 2},
    )
    page_two = second.structured_content
    assert [i["house_manage_no"] for i in page_two["items"]] == ["2025000007", "2025000005"]
    assert (page_two["returned"], page_two["truncated"]) == (2, False)


async def test_move_in_filter_and_pending_occupancy(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = await call(upstream, "get_apt_subscription_info", {"move_in_from": "202711"})
    assert [i["move_in_month"] for i in later.structured_content["items"]] == ["202711", "202802"]
    moment = datetime.fromisoformat("2027-10-15T09:00:00+09:00")
    monkeypatch.setattr("mcp_server.tools.subscription.now_kst", lambda: moment)
    pending = await call(upstream, "get_apt_subscription_info", {"only_pending_occupancy": True})
    months = sorted(i["move_in_month"] for i in pending.structured_content["items"])
    assert months == ["202710", "202710", "202711", "202802"]  # 202708 has moved in already
    assert pending.structured_content["filters"]["move_in_from"] == "202710"
