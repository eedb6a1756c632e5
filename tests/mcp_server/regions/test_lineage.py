"""The lineage table (data/region_lineage.json): complete, consistent with the snapshot, and read right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mcp_server.regions.lineage.description import describe
from mcp_server.regions.lineage.plans import LineageError, Source, plan_month
from mcp_server.regions.lineage.table import Lineage

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "mcp_server" / "regions" / "data"


def _json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def lineage() -> Lineage:
    return Lineage.load_bundled()


def test_every_code_in_the_table_is_in_the_snapshot_or_marked_retired(lineage: Lineage) -> None:
    snapshot = _json("region_codes.json")
    current = {c for c, _, _ in snapshot["districts"]} | {c for c, _ in snapshot["cities"]}
    retired = lineage.retired_codes()
    assert lineage.codes() <= current | set(retired)
    assert not set(retired) & {c for c, _, _ in snapshot["districts"]}


@pytest.mark.parametrize(
    ("change_id", "first_month", "old", "new"),
    [
        ("hwaseong-gu-2026", "202602", "41590", {"41591", "41593", "41595", "41597"}),
        ("incheon-2026", "202607", "28260", {"28275", "28290"}),
        ("incheon-2026", "202607", "28110", {"28125", "28155"}),
        ("incheon-2026", "202607", "28140", {"28125"}),
        ("gunwi-2023", "202307", "47720", {"27720"}),
        ("gangwon-2023", "202306", "42110", {"51110"}),
        ("jeonbuk-2024", "202401", "45111", {"52111"}),
        ("bucheon-gu-abolished-2016", "201607", "41195", {"41190"}),
        ("bucheon-gu-restored-2024", "202401", "41190", {"41192", "41194", "41196"}),
        ("jeonnam-gwangju", None, "29110", {"12210"}),
        ("jeonnam-gwangju", None, "46110", {"12110"}),
    ],
)
def test_every_listed_change_is_recorded(
    lineage: Lineage, change_id: str, first_month: str | None, old: str, new: set[str]
) -> None:
    described = describe(lineage, old)
    assert described is not None
    assert set(described.successors) == new
    raw = next(c for c in _json("region_lineage.json")["changes"] if c["id"] == change_id)
    assert raw["first_month"] == first_month


def test_a_change_without_a_cited_source_says_what_is_unconfirmed() -> None:
    for change in _json("region_lineage.json")["changes"]:
        assert change.get("source") or change.get("unconfirmed"), change["id"]
        if change["first_month"] is None:
            assert "미확인" in change["unconfirmed"]


def test_the_table_agrees_with_the_successor_notes_of_the_region_index(lineage: Lineage) -> None:
    """region_successors.json (names for get_region_code) and the lineage name the same changes."""
    successors = _json("region_successors.json")
    for entry in successors["abolished"]:
        described = describe(lineage, entry["code"])
        assert described is not None, entry["code"]
        assert set(described.successors) == set(entry["successors"])
        assert described.valid_until == entry["since"][:7]
    for rename in successors["sido_renames"]:
        for old, new in rename.get("codes", {}).items():
            described = describe(lineage, old)
            assert described is not None
            assert described.successors == [new]
            assert described.valid_until is None  # since is null: the month is not known


def test_the_shared_dong_rule_is_stated_and_applied(lineage: Lineage) -> None:
    assert "능동" in _json("region_lineage.json")["shared_dong_rule"]
    byeongjeom = plan_month(lineage, "41595", "202601")
    dongtan = plan_month(lineage, "41597", "202601")
    assert byeongjeom is not None
    assert dongtan is not None
    [b_source] = byeongjeom.sources
    [d_source] = dongtan.sources
    assert b_source.code == d_source.code == "41590"
    assert b_source.dongs is not None
    assert d_source.dongs is not None
    assert b_source.dongs & d_source.dongs == {"능동"}
    assert any("능동은 병점구와 동탄구에 걸쳐 있어" in extra for extra in byeongjeom.extras)


def test_plans_follow_chains_of_changes(lineage: Lineage) -> None:
    """원미구 (41192, since 2024-01) in 2020 comes from 부천시 (41190); in 2010, before 부천's 구 were
    abolished, from the three old 구 codes, each kept to 원미구's 법정동."""
    in_2020 = plan_month(lineage, "41192", "202001")
    assert in_2020 is not None
    assert [s.code for s in in_2020.sources] == ["41190"]
    in_2010 = plan_month(lineage, "41192", "201001")
    assert in_2010 is not None
    assert [s.code for s in in_2010.sources] == ["41195", "41197", "41199"]
    assert all(s.dongs is not None and "원미동" in s.dongs for s in in_2010.sources)
    assert in_2010.other == (Source("41192"),)


def test_untouched_codes_have_no_plan_and_impossible_months_are_errors(lineage: Lineage) -> None:
    assert plan_month(lineage, "11440", "202501") is None
    with pytest.raises(LineageError, match="2012-07부터 쓰인 코드"):
        plan_month(lineage, "36110", "201101")
    with pytest.raises(LineageError, match="법정동 배분이 계보 표에 없어"):
        plan_month(lineage, "41195", "202001")
