"""The lineage table: ``data/region_lineage.json`` read against one snapshot, indexed by code.

Every question about a boundary change starts from the same two facts about a code: the change that
created it and the change that retired it. This module reads the hand-kept table once (expanding a
``prefix`` change such as 강원 42 → 51 into one part per code, and naming the retired codes) and keeps
those two indexes, so that planning a month (``plans``) and describing a code (``description``) are
lookups. The object is immutable and shared by every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from mcp_server.regions.snapshot import read_bundled

__all__ = ["Change", "Lineage", "Part", "month_label"]


def month_label(year_month: str) -> str:
    """202607 → '2026-07'."""
    return f"{year_month[:4]}-{year_month[4:]}"


@dataclass(frozen=True)
class Part:
    """Land that moved from one code to another; ``dongs`` None when not recorded (or not needed)."""

    old: str
    new: str
    dongs: frozenset[str] | None


@dataclass(frozen=True)
class Change:
    id: str
    title: str
    first_month: str | None
    effective_date: str | None
    source: str | None
    unconfirmed: str | None
    parts: tuple[Part, ...]
    created: tuple[str, ...]  # codes with no recorded predecessor (세종)
    predecessors_note: str | None

    def parts_from(self, code: str) -> list[Part]:
        return [p for p in self.parts if p.old == code]

    def parts_to(self, code: str) -> list[Part]:
        return [p for p in self.parts if p.new == code]

    @property
    def when(self) -> str:
        return month_label(self.first_month) if self.first_month else "시점 미확인"


class Lineage:
    """The lineage table over one snapshot's names; immutable, shared by every request."""

    def __init__(self, doc: Mapping[str, Any], snapshot: Mapping[str, Any]) -> None:
        self._names: dict[str, str] = {c: n for c, n, _ in snapshot.get("districts", [])}
        self._names.update({c: n for c, n in snapshot.get("cities", [])})
        self._dongs: dict[str, tuple[str, ...]] = {c: tuple(d) for c, _, d in snapshot.get("districts", [])}
        self.shared_dong_rule: str = doc.get("shared_dong_rule", "")
        self._changes: list[Change] = []
        self._retired: dict[str, str] = {}
        for raw in doc.get("changes", []):
            self._changes.append(self._read_change(raw))
        self._born: dict[str, Change] = {}
        self._died: dict[str, Change] = {}
        for change in self._changes:
            for code in change.created:
                self._born[code] = change
            for part in change.parts:
                self._born[part.new] = change
                self._died[part.old] = change

    def _read_change(self, raw: Mapping[str, Any]) -> Change:
        parts = [
            Part(p["from"], p["to"], frozenset(p["dongs"]) if p.get("dongs") is not None else None)
            for p in raw.get("parts", [])
        ]
        self._retired.update(raw.get("retired", {}))
        prefix = raw.get("prefix")
        if prefix:
            for code, name in sorted(self._names.items()):
                if code.startswith(prefix["to"]) and code in self._dongs:
                    old = prefix["from"] + code[2:]
                    parts.append(Part(old, code, None))
                    self._retired.setdefault(old, f"{prefix['old_sido']} {name.split(' ', 1)[1]}")
        return Change(
            id=raw["id"],
            title=raw["title"],
            first_month=raw.get("first_month"),
            effective_date=raw.get("effective_date"),
            source=raw.get("source"),
            unconfirmed=raw.get("unconfirmed"),
            parts=tuple(parts),
            created=tuple(raw.get("created_without_predecessors", [])),
            predecessors_note=raw.get("predecessors_note"),
        )

    @classmethod
    def load_bundled(cls) -> Lineage:
        return _bundled()

    @classmethod
    def empty(cls) -> Lineage:
        return cls({"changes": []}, {})

    # ------------------------------------------------------------------ lookups
    def __contains__(self, code: object) -> bool:
        """True for a code some change touched (retired codes included)."""
        return isinstance(code, str) and (code in self._born or code in self._died)

    def born(self, code: str) -> Change | None:
        """The change that created ``code`` (None: it predates the table)."""
        return self._born.get(code)

    def died(self, code: str) -> Change | None:
        """The change that retired ``code`` (None: it is still current)."""
        return self._died.get(code)

    def retired_codes(self) -> dict[str, str]:
        return dict(self._retired)

    def codes(self) -> set[str]:
        return set(self._born) | set(self._died)

    def name_of(self, code: str) -> str | None:
        return self._names.get(code) or self._retired.get(code)

    def label(self, code: str) -> str:
        """'경기도 화성시 병점구(41595)', for notes and messages."""
        return f"{self.name_of(code) or code}({code})"

    def short(self, code: str) -> str:
        """The last word of the code's name ('병점구'), for notes that name two codes side by side."""
        return (self.name_of(code) or code).split(" ")[-1]


@cache
def _bundled() -> Lineage:
    return Lineage(read_bundled("region_lineage.json"), read_bundled("region_codes.json"))
