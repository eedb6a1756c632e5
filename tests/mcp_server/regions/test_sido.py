"""One 시도 table: every spelling get_region_code takes for a 시도, the 청약 tools take too, and back."""

from __future__ import annotations

import json

import pytest

from mcp_server.applyhome.areas import AREA_CODES, normalize_area
from mcp_server.errors import InvalidArgumentError
from mcp_server.regions.index.lookup import RegionIndex
from mcp_server.regions.sido import SIDO
from tests.support.fixture_upstream.answers import fixture_path


def _sido_spellings_of_the_index(index: RegionIndex) -> set[str]:
    return {key for key, meanings in index.vocabulary.keys.items() if any(m.kind == "sido" for m in meanings)}


def test_the_index_and_the_table_know_the_same_sido_spellings() -> None:
    table = {spelling for sido in SIDO for spelling in sido.spellings}
    assert _sido_spellings_of_the_index(RegionIndex.load_bundled()) == table


@pytest.mark.parametrize(
    "spelling", sorted({s for sido in SIDO if sido.applyhome_code for s in sido.spellings})
)
def test_every_sido_spelling_the_index_accepts_is_a_청약홈_area(spelling: str) -> None:
    assert RegionIndex.load_bundled().resolve(spelling).matches
    where = normalize_area(spelling)
    assert where is not None
    assert AREA_CODES[where[1]]


@pytest.mark.parametrize("spelling", ["부산시", "인천시", "대구시", "대전시", "울산시", "광주시", "전북도"])
def test_the_spellings_the_청약_tools_used_to_refuse(spelling: str) -> None:
    assert normalize_area(spelling) == ("name", spelling[:2])


@pytest.mark.parametrize("spelling", ["전남광주", "전남광주통합특별시", "광주전남"])
def test_the_merged_sido_is_refused_with_the_two_areas_청약홈_publishes(spelling: str) -> None:
    assert RegionIndex.load_bundled().resolve(spelling).matches
    with pytest.raises(InvalidArgumentError, match="'광주' or '전남'"):
        normalize_area(spelling)


def test_청약홈_codes_are_those_of_the_statistics_fixture() -> None:
    rows = json.loads(fixture_path("applyhome_stat_reqst_area_202501.json").read_text(encoding="utf-8"))[
        "data"
    ]
    assert {row["SUBSCRPT_AREA_CODE_NM"]: row["SUBSCRPT_AREA_CODE"] for row in rows} == AREA_CODES
