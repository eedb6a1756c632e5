"""molit.history's one note per answer: runs of months read the same way, each change stated once."""

from __future__ import annotations

from mcp_server.molit.history import LineageUse, lineage_note


def test_runs_of_months_are_joined_and_the_change_is_stated_once() -> None:
    before = LineageUse("A(1)는 2026-02에 생긴 코드입니다.", "B(2)의 A 법정동(3개)에서 집계", ("능동은 …",))
    other = LineageUse("A(1)는 2026-02에 생긴 코드입니다.", "B(2)에 자료가 없어 A(1)에서 집계", ("능동은 …",))
    uses = [
        ("202511", before),
        ("202512", before),
        ("202601", before),
        ("202602", other),
        ("202603", None),
    ]

    assert lineage_note(uses) == (
        "A(1)는 2026-02에 생긴 코드입니다. 2025-11~2026-01: B(2)의 A 법정동(3개)에서 집계; "
        "2026-02: B(2)에 자료가 없어 A(1)에서 집계. 능동은 …"
    )
    assert lineage_note(uses[:2]) is not None
    assert "2025-11~12: B(2)의 A 법정동(3개)에서 집계." in (lineage_note(uses[:2]) or "")


def test_a_gap_splits_a_run_and_unassigned_rows_are_counted() -> None:
    how = "B(2)에서 집계"
    uses = [
        ("202601", LineageUse("h", how, (), ("오산동",))),
        ("202603", LineageUse("h", how, (), ("오산동", "오산동"))),
    ]

    note = lineage_note(uses)

    assert note is not None
    assert note.startswith("h 2026-01: B(2)에서 집계; 2026-03: B(2)에서 집계.")
    assert note.endswith("뺐습니다: 오산동 3건 (계보 표를 고쳐야 합니다).")


def test_nothing_to_say_when_every_month_was_read_as_asked() -> None:
    assert lineage_note([("202601", None), ("202602", None)]) is None
