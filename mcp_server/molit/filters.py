"""Server-side row filters (법정동, complex name, area and floor ranges), applied before any statistic.

Filtering here rather than in the model means the summary describes exactly the deals asked about and
the model does not have to page through a whole month to count them. Names are compared without
whitespace and case, because MOLIT writes the same complex as "래미안 웰스트림" and "래미안웰스트림".
A 법정동 matches by its whole name, with or without the trailing 동, so 공덕 never matches 신공덕동.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from mcp_server.models.months import RentItem, TradeItem

__all__ = ["RowFilter", "normalize_name"]

Item = TypeVar("Item", TradeItem, RentItem)


def normalize_name(text: str) -> str:
    """'래미안 웰스트림' and '래미안웰스트림' compare equal; so do 'e편한세상' and 'E편한세상'."""
    return "".join(text.split()).casefold()


@dataclass(frozen=True)
class RowFilter:
    dong: str | None = None
    name_contains: str | None = None
    min_area_m2: float | None = None
    max_area_m2: float | None = None
    min_floor: int | None = None
    max_floor: int | None = None

    def applied(self) -> dict[str, str | float]:
        """The filters in force, by argument name, for the result to state; empty when none."""
        return {key: value for key, value in vars(self).items() if value is not None and value != ""}

    def __bool__(self) -> bool:
        return bool(self.applied())

    def keep(self, items: Sequence[Item]) -> list[Item]:
        return [item for item in items if self.matches(item)]

    def matches(self, item: TradeItem | RentItem) -> bool:
        if self.dong and not _same_dong(item.dong, self.dong):
            return False
        if self.name_contains and normalize_name(self.name_contains) not in normalize_name(item.name or ""):
            return False
        if not _within(item.area_m2, self.min_area_m2, self.max_area_m2):
            return False
        return _within(item.floor, self.min_floor, self.max_floor)


def _same_dong(dong: str | None, wanted: str) -> bool:
    have, want = normalize_name(dong or ""), normalize_name(wanted)
    return bool(have) and have in (want, want + "동")


def _within(value: float | None, low: float | None, high: float | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)
