"""RowFilter: whole 법정동 names, whitespace-blind complex names, ranges that exclude unknown values."""

from __future__ import annotations

from mcp_server.models.months import TradeItem
from mcp_server.molit.filters import RowFilter


def deal(
    dong: str | None = "공덕동",
    name: str | None = "래미안 공덕5차",
    area: float | None = 84.9,
    floor: int | None = 7,
) -> TradeItem:
    return TradeItem(deal_date="2025-01-02", dong=dong, name=name, area_m2=area, floor=floor, price_10k=1)


def test_a_dong_matches_with_or_without_its_suffix_and_never_a_longer_name() -> None:
    assert RowFilter(dong="공덕").matches(deal())
    assert RowFilter(dong=" 공덕동 ").matches(deal())
    assert not RowFilter(dong="공덕").matches(deal(dong="신공덕동"))
    assert not RowFilter(dong="공덕동").matches(deal(dong=None))


def test_complex_names_compare_without_whitespace_or_case() -> None:
    assert RowFilter(name_contains="공덕 5차").matches(deal())
    assert RowFilter(name_contains="래미안공덕").matches(deal())
    assert RowFilter(name_contains="E편한").matches(deal(name="e편한세상마포리버파크"))
    assert not RowFilter(name_contains="자이").matches(deal())


def test_ranges_are_inclusive_and_exclude_rows_without_the_value() -> None:
    assert RowFilter(min_area_m2=84.9, max_area_m2=84.9).matches(deal())
    assert not RowFilter(min_area_m2=85).matches(deal())
    assert not RowFilter(max_floor=6).matches(deal())
    assert not RowFilter(min_floor=1).matches(deal(floor=None))
    assert RowFilter(dong="서교동").keep([deal(), deal(dong="서교동")]) == [deal(dong="서교동")]


def test_applied_lists_only_the_filters_given() -> None:
    assert RowFilter().applied() == {}
    assert not RowFilter()
    assert RowFilter(dong="공덕동", min_floor=3).applied() == {"dong": "공덕동", "min_floor": 3}
