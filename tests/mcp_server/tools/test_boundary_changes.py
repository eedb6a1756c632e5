"""Months across boundary changes, through the SDK's in-memory client, against the lineage fixtures.

Every figure follows by hand from ``tests/support/make_lineage_fixtures.py`` (README, "Boundary changes"):
month k of a scenario adds k × 1,000 만원 to each price, and each trade month holds one cancelled deal that
no figure counts. Request counts are exact: a region no change touched costs one request a month, and
the other side of a change is read only for a month whose first read came back empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from tests.mcp_server.server_setup import call_tool as call
from tests.mcp_server.server_setup import error_text, server_for
from tests.support.fixture_upstream.server import FixtureUpstream

APT_TRADE = "AptTrade"


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


def requested(upstream: FixtureUpstream, service: str = APT_TRADE) -> Counter[tuple[str, str]]:
    """(LAWD_CD, DEAL_YMD) → number of requests."""
    return Counter((q["LAWD_CD"], q["DEAL_YMD"]) for q in upstream.requests_to(service))


async def data(upstream: FixtureUpstream, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await call(upstream, tool, args)
    assert not result.is_error, result.content[0].text
    structured: dict[str, Any] = result.structured_content
    return structured


def per_month(result: dict[str, Any]) -> list[tuple[str, str, int, Any]]:
    return [(m["year_month"], m["status"], m["count"], m.get("median_10k")) for m in result["months"]]


# ---------------------------------------------------------------- history kept under the old code (split)


async def test_a_new_code_before_it_existed_is_read_from_its_predecessor_filtered_to_its_dongs(
    upstream: FixtureUpstream,
) -> None:
    """검단구 (28290, since 2026-07) over 2026-01..10: the first six months come from 인천 서구 (28260)."""
    result = await data(
        upstream, "get_price_trend", {"region_code": "28290", "start_month": "202601", "end_month": "202610"}
    )

    assert per_month(result) == [
        (f"2026{m:02d}", "ok", 3, 50000 + 1000 * (m - 1)) for m in range(1, 11)
    ]  # 당하·마전·원당동; the 서해 rows of 28260 and the cancelled 마전동 deal are left out
    assert (result["months"][0]["min_10k"], result["months"][0]["max_10k"]) == (40000, 60000)
    assert result["overall"]["count"] == 30
    assert result["source_codes"] == ["28260", "28290"]
    [note] = [n for n in result["notes"] if "28260" in n]
    assert "인천광역시 검단구(28290)는 2026-07에 생긴 코드입니다." in note
    assert "2026-01~06: 인천광역시 서구(28260)의 검단구 법정동(10개)에서 집계." in note
    assert result["change"]["change_pct"] == 18.0  # 59000 / 50000
    assert requested(upstream) == Counter({("28260", f"2026{m:02d}"): 1 for m in range(1, 7)}) + Counter(
        {("28290", f"2026{m:02d}"): 1 for m in range(7, 11)}
    )


async def test_an_old_code_for_an_old_month_is_read_as_asked(upstream: FixtureUpstream) -> None:
    result = await data(upstream, "get_apartment_trades", {"region_code": "28260", "year_month": "202601"})

    assert (result["region_name"], result["total_count"], result["cancelled_count"]) == (
        "인천광역시 서구",
        6,
        1,
    )
    assert (result["summary"]["sample_count"], result["summary"]["median_price_10k"]) == (5, 60000)
    assert result["source_codes"] == ["28260"]
    assert not any("28275" in note for note in result["notes"])
    assert requested(upstream) == Counter({("28260", "202601"): 1})


async def test_an_old_code_after_the_change_combines_all_its_successors(upstream: FixtureUpstream) -> None:
    result = await data(upstream, "get_apartment_trades", {"region_code": "28260", "year_month": "202608"})

    summary = result["summary"]
    assert (summary["sample_count"], summary["median_price_10k"]) == (5, 67000)  # 47·57·67·77·87 천만
    assert (summary["min_price_10k"], summary["max_price_10k"]) == (47000, 87000)
    assert (result["total_count"], result["cancelled_count"]) == (6, 1)
    assert result["source_codes"] == ["28275", "28290"]
    assert result["notes"][0] == (
        "인천광역시 서구(28260)는 2026-07부터 인천광역시 서해구(28275)·인천광역시 검단구(28290)(으)로 "
        "바뀌었습니다. 2026-08: 인천광역시 서해구(28275) + 인천광역시 검단구(28290)을 합쳐 집계."
    )
    assert {item["dong"] for item in result["items"]} == {"당하동", "마전동", "원당동", "청라동", "가정동"}
    assert requested(upstream) == Counter({("28275", "202608"): 1, ("28290", "202608"): 1})


async def test_comparing_the_two_successors_across_the_change(upstream: FixtureUpstream) -> None:
    args = {"region_codes": ["28275", "28290"], "start_month": "202605", "end_month": "202608"}
    result = await data(upstream, "compare_regions", args)

    seohae, geomdan = result["regions"]
    assert [(m["count"], m["median_10k"]) for m in seohae["months"]] == [
        (2, 79000),
        (2, 80000),
        (2, 81000),
        (2, 82000),
    ]  # 청라 80,000 and 가정 70,000, + k × 1,000
    assert [(m["count"], m["median_10k"]) for m in geomdan["months"]] == [
        (3, 54000),
        (3, 55000),
        (3, 56000),
        (3, 57000),
    ]
    assert (seohae["source_codes"], geomdan["source_codes"]) == (["28260", "28275"], ["28260", "28290"])
    lineage_notes = [n for n in result["notes"] if "(28260)" in n]
    assert len(lineage_notes) == 2  # one per region, each stating its change once
    assert lineage_notes[0].startswith(
        "인천광역시 서해구: 인천광역시 서해구(28275)는 2026-07에 생긴 코드입니다."
    )
    assert "2026-05~06: 인천광역시 서구(28260)의 서해구 법정동(11개)에서 집계." in lineage_notes[0]
    # 28260 for the months before the change (read once or twice: both regions need it), then each new
    # code for its own months; never the other side, since every first read had rows
    assert set(requested(upstream)) == {("28260", "202605"), ("28260", "202606")} | {
        (code, ym) for code in ("28275", "28290") for ym in ("202607", "202608")
    }


async def test_jeonse_ratio_and_complex_summary_cross_the_change(upstream: FixtureUpstream) -> None:
    months = {"region_code": "28290", "start_month": "202605", "end_month": "202608"}
    ratio = await data(upstream, "get_jeonse_ratio", months)

    [group] = ratio["groups"]  # 검단센트럴 84㎡: 전세 in 202606 (under 28260) and 202607 (under 28290)
    assert (group["name"], group["area_type"]) == ("검단센트럴", 84)
    assert (group["trade"]["count"], group["trade"]["median_10k"]) == (4, 45500)  # 44,45,46,47 천만
    assert (group["jeonse"]["count"], group["jeonse"]["median_10k"]) == (2, 27300)  # 27,000 and 27,600
    assert ratio["median_ratio_pct"] == 60.0
    assert {(u["name"], u["side"]) for u in ratio["unmatched"]} == {
        ("마전푸르지오", "trade"),
        ("원당자이", "trade"),
    }
    assert ratio["source_codes"] == ["28260", "28290"]
    assert (
        sum("2026-05~06: 인천광역시 서구(28260)의 검단구 법정동(10개)에서 집계" in n for n in ratio["notes"])
        == 1
    )

    summary = await data(upstream, "get_complex_summary", {**months, "apartment_name": "검단센트럴"})
    [area] = summary["area_groups"]
    assert (area["trade"]["count"], area["jeonse"]["count"], area["jeonse"]["median_10k"]) == (4, 2, 27300)
    assert [d["deal_date"] for d in summary["latest_trades"]] == [
        "2026-08-15",
        "2026-07-15",
        "2026-06-15",
        "2026-05-15",
    ]
    assert summary["source_codes"] == ["28260", "28290"]


# ---------------------------------------------------------------- a shared 법정동 in a split


async def test_a_dong_shared_by_two_successors_counts_in_both_and_the_note_says_so(
    upstream: FixtureUpstream,
) -> None:
    """능동 lies in 병점구 and in 동탄구: before the split its deals count in each."""
    args = {"region_codes": ["41595", "41597"], "start_month": "202601", "end_month": "202602"}
    result = await data(upstream, "compare_regions", args)

    byeongjeom, dongtan = result["regions"]
    assert per_month(byeongjeom) == [("202601", "ok", 3, 30000), ("202602", "ok", 2, 26000)]
    assert per_month(dongtan) == [("202601", "ok", 3, 34000), ("202602", "ok", 2, 48000)]
    shared = [n for n in result["notes"] if "능동은 병점구와 동탄구에 걸쳐 있어" in n]
    assert len(shared) == 2
    assert all("근거와 정확한 날짜 미확인" in n for n in shared)  # the 화성 date is not from a cited source

    month = await data(upstream, "get_apartment_trades", {"region_code": "41595", "year_month": "202601"})
    assert (month["summary"]["sample_count"], month["cancelled_count"]) == (3, 1)  # the cancelled 능동 deal
    assert {item["dong"] for item in month["items"]} == {"능동", "병점동"}
    # 오산동 is in no 구's list in the snapshot: its deal goes to neither 구, and the note says so
    assert "계보 표의 어느 코드에도 배정되지 않은 법정동의 거래는 뺐습니다: 오산동 1건" in month["notes"][0]

    whole = await data(upstream, "get_apartment_trades", {"region_code": "41590", "year_month": "202601"})
    assert (whole["summary"]["sample_count"], whole["source_codes"]) == (7, ["41590"])  # as asked: all of it


async def test_the_old_city_code_after_the_split_reads_its_four_gu(upstream: FixtureUpstream) -> None:
    result = await data(upstream, "get_apartment_trades", {"region_code": "41590", "year_month": "202602"})

    assert (result["summary"]["sample_count"], result["summary"]["median_price_10k"]) == (6, 28500)
    assert result["source_codes"] == ["41591", "41593", "41595", "41597"]
    assert result["region_name"] == "경기도 화성시"


# ---------------------------------------------------------------- history re-coded under the new codes


async def test_a_new_code_whose_predecessor_is_empty_is_read_under_its_own_code(
    upstream: FixtureUpstream,
) -> None:
    """영종구 (28155) in 2026-06, before it existed: 인천 중구 (28110) has nothing, 28155 has the month."""
    result = await data(upstream, "get_apartment_trades", {"region_code": "28155", "year_month": "202606"})

    assert (result["summary"]["sample_count"], result["summary"]["median_price_10k"]) == (2, 51000)
    assert result["source_codes"] == ["28155"]
    assert (
        "2026-06: 인천광역시 중구(28110)에 자료가 없어 인천광역시 영종구(28155)에서 집계"
        in result["notes"][0]
    )
    assert requested(upstream) == Counter({("28110", "202606"): 1, ("28155", "202606"): 1})


async def test_an_old_code_whose_month_was_recoded_is_read_from_its_successor_filtered(
    upstream: FixtureUpstream,
) -> None:
    """인천 동구 (28140) in 2026-06: re-coded under 제물포구 (28125), which also holds 중구's 신포동."""
    result = await data(upstream, "get_apartment_trades", {"region_code": "28140", "year_month": "202606"})

    summary = result["summary"]
    assert (summary["sample_count"], summary["median_price_10k"]) == (2, 34000)  # 송림 31,000, 송현 37,000
    assert result["cancelled_count"] == 1
    assert result["source_codes"] == ["28125"]
    assert "인천광역시 제물포구(28125)의 동구 법정동(7개)에서 집계" in result["notes"][0]


async def test_a_trend_over_recoded_months_states_the_side_it_used_once(upstream: FixtureUpstream) -> None:
    args = {"region_code": "28110", "start_month": "202605", "end_month": "202606"}
    result = await data(upstream, "get_price_trend", args)

    assert per_month(result) == [("202605", "ok", 3, 50000), ("202606", "ok", 3, 51000)]
    assert result["source_codes"] == ["28125", "28155"]
    [note] = [n for n in result["notes"] if "28110" in n]
    assert note.count("2026-05~06:") == 1
    # per month: 28110 (empty), then the other side: 28125 and 28155
    assert requested(upstream) == Counter(
        {(code, ym): 1 for code in ("28110", "28125", "28155") for ym in ("202605", "202606")}
    )


# ---------------------------------------------------------------- a rename (prefix change)


async def test_a_renamed_code_reads_the_new_code_when_history_moved_there(upstream: FixtureUpstream) -> None:
    """강원 춘천 42110 → 51110 (2023-06): the service serves the history under 51110 (captured)."""
    month = await data(upstream, "get_apartment_trades", {"region_code": "42110", "year_month": "202305"})
    assert (month["summary"]["sample_count"], month["summary"]["median_price_10k"]) == (2, 26000)
    assert month["cancelled_count"] == 1
    assert month["source_codes"] == ["51110"]
    assert "강원도 춘천시(42110)에 자료가 없어 강원특별자치도 춘천시(51110)에서 집계" in month["notes"][0]

    upstream.clear_log()
    args = {"region_code": "51110", "start_month": "202304", "end_month": "202307"}
    trend = await data(upstream, "get_price_trend", args)
    assert per_month(trend) == [
        ("202304", "ok", 2, 25000),
        ("202305", "ok", 2, 26000),
        ("202306", "ok", 2, 27000),
        ("202307", "ok", 2, 28000),
    ]
    assert trend["source_codes"] == ["51110"]
    # 2023-04 and 05 first ask 42110 (the lineage's side), empty, then 51110; later months only 51110
    assert requested(upstream) == Counter(
        {
            ("42110", "202304"): 1,
            ("42110", "202305"): 1,
            **{("51110", ym): 1 for ym in ("202304", "202305", "202306", "202307")},
        }
    )


async def test_a_renamed_code_kept_under_the_old_code(upstream: FixtureUpstream) -> None:
    """군위군 47720 → 27720 (2023-07), history kept: 2023-06 is read from 47720, one request a month."""
    args = {"region_code": "27720", "start_month": "202306", "end_month": "202307"}
    result = await data(upstream, "get_price_trend", args)

    assert per_month(result) == [("202306", "ok", 2, 10500), ("202307", "ok", 2, 12500)]
    assert result["source_codes"] == ["47720", "27720"]
    assert "2023-06: 경상북도 군위군(47720)에서 집계" in " ".join(result["notes"])
    assert requested(upstream) == Counter({("47720", "202306"): 1, ("27720", "202307"): 1})


# ---------------------------------------------------------------- cost and errors


async def test_an_unchanged_region_makes_no_extra_requests(upstream: FixtureUpstream) -> None:
    month = await data(upstream, "get_apartment_trades", {"region_code": "11440", "year_month": "202402"})
    assert month["summary"]["sample_count"] == 0  # an empty month: still one request, no other side
    assert month["source_codes"] == ["11440"]
    assert requested(upstream) == Counter({("11440", "202402"): 1})

    upstream.clear_log()
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202312"}
    trend = await data(upstream, "get_price_trend", args)
    assert trend["source_codes"] == ["11440"]
    assert requested(upstream) == Counter({("11440", f"2023{m:02d}"): 1 for m in range(1, 13)})
    assert not any("집계" in note for note in trend["notes"])


async def test_both_reads_are_cached_as_usual(upstream: FixtureUpstream, tmp_path: Path) -> None:
    args = {"region_code": "28155", "year_month": "202606"}
    async with Client(server_for(upstream, CACHE_PATH=str(tmp_path / "cache.sqlite3"))) as client:
        first = await client.call_tool("get_apartment_trades", args)
        again = await client.call_tool("get_apartment_trades", args)

    assert first.structured_content["summary"] == again.structured_content["summary"]
    assert again.structured_content["source_codes"] == ["28155"]
    assert requested(upstream) == Counter({("28110", "202606"): 1, ("28155", "202606"): 1})


@pytest.mark.parametrize(
    ("tool", "args", "says"),
    [
        ("get_apartment_trades", {"region_code": "99999", "year_month": "202501"}, "get_region_code"),
        (
            "get_price_trend",
            {"region_code": "36110", "start_month": "201201", "end_month": "201212"},
            "세종특별자치시(36110)는 2012-07부터 쓰인 코드라 2012-01 자료가 없습니다",
        ),
        (
            "get_apartment_trades",
            {"region_code": "41195", "year_month": "202001"},
            "경기도 부천시 원미구(41195)와 경기도 부천시(41190) 사이의 법정동 배분이 계보 표에 없어",
        ),
    ],
)
async def test_codes_that_never_existed_or_months_before_a_predecessor_get_a_clear_error(
    upstream: FixtureUpstream, tool: str, args: dict[str, Any], says: str
) -> None:
    assert says in error_text(await call(upstream, tool, args))
    assert upstream.request_log == []


# ---------------------------------------------------------------- get_region_code shows the lineage


async def test_region_code_lookup_shows_both_successors_and_the_month_of_the_change(
    upstream: FixtureUpstream,
) -> None:
    result = await data(upstream, "get_region_code", {"query": "인천 서구"})

    assert [m["code"] for m in result["matches"]] == ["28275", "28290"]
    lineage = {entry["code"]: entry for entry in result["lineage"]}
    assert lineage["28260"]["successors"] == ["28275", "28290"]
    assert lineage["28260"]["valid_until"] == "2026-07"
    for code in ("28275", "28290"):
        assert (lineage[code]["valid_from"], lineage[code]["predecessors"]) == ("2026-07", ["28260"])
    [change] = lineage["28290"]["changes"]
    assert change["source"].startswith("인천광역시 제물포구·영종구·검단구 설치에 관한 법률")

    plain = await data(upstream, "get_region_code", {"query": "마포구"})
    assert plain["lineage"] == []
