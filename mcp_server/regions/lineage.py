"""Which 시군구 code(s) hold a region's deals in a given month, across boundary changes.

MOLIT files each deal under the code in force when it was reported, and the 시군구 map keeps changing
(``data/region_lineage.json``: 화성시's 구 in 2026-02, 인천's reorganisation on 2026-07-01, 강원 42 → 51 …).
So a code asked for a month is read on the side of the change that month belongs to:

- a code valid in the month is read as asked;
- a new code for a month before it existed is read from its predecessor(s), keeping only the rows of
  the 법정동 that went to it (when the predecessor was split; a 1:1 rename needs no filter);
- an old code for a month after the change is read from all its successors combined (keeping only
  its own 법정동 of a successor that also took other land, as 제물포구 took 중구 and 동구).

``MonthPlan.other`` is the other side of the change, read only when the lineage's side has no rows at all
(the service may have re-coded its history under the new codes, as it did for 강원 and 전북). A 법정동
listed under two successors of one split (능동: 병점구 and 동탄구) is counted in each of them; the note
says so. Nothing here calls upstream: ``molit.history`` does the reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, Field

from mcp_server.errors import InvalidArgumentError
from mcp_server.regions.snapshot import read_bundled

__all__ = [
    "CodeLineage",
    "Lineage",
    "LineageError",
    "MonthPlan",
    "Source",
    "month_label",
]

_MAX_DEPTH = 8


class LineageError(InvalidArgumentError):
    """A code cannot be read for a month: before its predecessors are recorded, or its 법정동 unknown."""


def month_label(year_month: str) -> str:
    """202607 → '2026-07'."""
    return f"{year_month[:4]}-{year_month[4:]}"


@dataclass(frozen=True)
class Source:
    """One code to request, and the 법정동 to keep from it (None: every row).

    ``known``: every 법정동 the change assigns from this code to any side; a row outside it belongs to
    no code the table knows (a 법정동 missing from the snapshot), so it is counted and reported."""

    code: str
    dongs: frozenset[str] | None = None
    known: frozenset[str] | None = None

    def narrowed(self, other: Source) -> Source:
        """This source (valid in the month) kept to ``other``'s 법정동, the land of the code asked."""
        if other.dongs is None:
            return self
        dongs = other.dongs if self.dongs is None else self.dongs & other.dongs
        known = other.known if self.known is None or other.known is None else self.known & other.known
        return Source(self.code, dongs, known or self.known)


@dataclass(frozen=True)
class _Part:
    """Land that moved from one code to another; ``dongs`` None when not recorded (or not needed)."""

    old: str
    new: str
    dongs: frozenset[str] | None


@dataclass(frozen=True)
class _Change:
    id: str
    title: str
    first_month: str | None
    effective_date: str | None
    source: str | None
    unconfirmed: str | None
    parts: tuple[_Part, ...]
    created: tuple[str, ...]  # codes with no recorded predecessor (세종)
    predecessors_note: str | None

    def parts_from(self, code: str) -> list[_Part]:
        return [p for p in self.parts if p.old == code]

    def parts_to(self, code: str) -> list[_Part]:
        return [p for p in self.parts if p.new == code]

    @property
    def when(self) -> str:
        return month_label(self.first_month) if self.first_month else "시점 미확인"


@dataclass(frozen=True)
class MonthPlan:
    """How one code is read for one month. ``how``/``other_how`` are plain Korean for the notes."""

    code: str
    year_month: str
    sources: tuple[Source, ...]
    how: str | None  # None: read as asked, nothing to say
    other: tuple[Source, ...] | None
    other_how: str | None
    headline: str
    extras: tuple[str, ...] = field(default=())


class LineageChange(BaseModel):
    month: str | None = Field(description="First month of the new codes (YYYY-MM); null when unknown")
    title: str
    source: str | None = Field(description="Legal source, when one could be cited")
    unconfirmed: str | None = Field(default=None, description="What is not confirmed about this change")


class CodeLineage(BaseModel):
    code: str
    name: str | None
    valid_from: str | None = Field(description="First month (YYYY-MM) the code was used; null: before 2006")
    valid_until: str | None = Field(description="First month it was no longer used; null: still current")
    predecessors: list[str]
    successors: list[str]
    changes: list[LineageChange]


class Lineage:
    """The lineage table over one snapshot's names; immutable, shared by every request."""

    def __init__(self, doc: Mapping[str, Any], snapshot: Mapping[str, Any]) -> None:
        self._names: dict[str, str] = {c: n for c, n, _ in snapshot.get("districts", [])}
        self._names.update({c: n for c, n in snapshot.get("cities", [])})
        self._dongs: dict[str, tuple[str, ...]] = {c: tuple(d) for c, _, d in snapshot.get("districts", [])}
        self.shared_dong_rule: str = doc.get("shared_dong_rule", "")
        self._changes: list[_Change] = []
        self._retired: dict[str, str] = {}
        for raw in doc.get("changes", []):
            self._changes.append(self._read_change(raw))
        self._born: dict[str, _Change] = {}
        self._died: dict[str, _Change] = {}
        for change in self._changes:
            for code in change.created:
                self._born[code] = change
            for part in change.parts:
                self._born[part.new] = change
                self._died[part.old] = change

    def _read_change(self, raw: Mapping[str, Any]) -> _Change:
        parts = [
            _Part(p["from"], p["to"], frozenset(p["dongs"]) if p.get("dongs") is not None else None)
            for p in raw.get("parts", [])
        ]
        self._retired.update(raw.get("retired", {}))
        prefix = raw.get("prefix")
        if prefix:
            for code, name in sorted(self._names.items()):
                if code.startswith(prefix["to"]) and code in self._dongs:
                    old = prefix["from"] + code[2:]
                    parts.append(_Part(old, code, None))
                    self._retired.setdefault(old, f"{prefix['old_sido']} {name.split(' ', 1)[1]}")
        return _Change(
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

    def retired_codes(self) -> dict[str, str]:
        return dict(self._retired)

    def codes(self) -> set[str]:
        return set(self._born) | set(self._died)

    def name_of(self, code: str) -> str | None:
        return self._names.get(code) or self._retired.get(code)

    def _label(self, code: str) -> str:
        return f"{self.name_of(code) or code}({code})"

    def _short(self, code: str) -> str:
        return (self.name_of(code) or code).split(" ")[-1]

    # ------------------------------------------------------------------ reading plans
    def _needs_filter_from_old(self, change: _Change, part: _Part) -> bool:
        """Reading the new code from its predecessor keeps only its 법정동 when the predecessor split."""
        return len(change.parts_from(part.old)) > 1

    def _needs_filter_from_new(self, change: _Change, part: _Part) -> bool:
        """Reading an old code from a successor keeps only its 법정동 when the successor took more land."""
        return len(change.parts_to(part.new)) > 1

    def _predecessors(self, change: _Change, code: str, *, strict: bool) -> list[Source] | None:
        sources = []
        for part in change.parts_to(code):
            dongs = None
            if self._needs_filter_from_old(change, part):
                if part.dongs is None:
                    if strict:
                        raise LineageError(self._no_dongs(change, part.old, code))
                    return None
                dongs = part.dongs
            sources.append(Source(part.old, dongs, _assigned(change.parts_from(part.old)) if dongs else None))
        return sources

    def _successors(self, change: _Change, code: str, *, strict: bool) -> list[Source] | None:
        sources = []
        for part in change.parts_from(code):
            dongs = None
            if self._needs_filter_from_new(change, part):
                if part.dongs is None:
                    if strict:
                        raise LineageError(self._no_dongs(change, code, part.new))
                    return None
                dongs = part.dongs
            sources.append(Source(part.new, dongs, _assigned(change.parts_to(part.new)) if dongs else None))
        return sources

    def _no_dongs(self, change: _Change, old: str, new: str) -> str:
        return (
            f"{self._label(old)}와 {self._label(new)} 사이의 법정동 배분이 계보 표에 없어 ({change.title}, "
            f"{change.when}) 나눠 읽을 수 없습니다. {self._label(new)}를 그대로 묻거나, 변경 전후 한쪽 "
            "달만 물어보세요."
        )

    def _resolve(self, code: str, year_month: str, depth: int = 0) -> list[Source]:
        """The codes valid in ``year_month`` that cover ``code``'s land, with 법정동 filters."""
        if depth > _MAX_DEPTH:  # pragma: no cover - the table has no cycles (checked by the tests)
            raise LineageError(f"lineage of {code} loops; the table needs fixing")
        born, died = self._born.get(code), self._died.get(code)
        if born and born.first_month and year_month < born.first_month:
            if code in born.created:
                raise LineageError(self._before_predecessors(code, born, year_month))
            found: list[Source] = []
            for source in self._predecessors(born, code, strict=True) or []:
                found.extend(s.narrowed(source) for s in self._resolve(source.code, year_month, depth + 1))
            return found
        if died and died.first_month and year_month >= died.first_month:
            found = []
            for source in self._successors(died, code, strict=True) or []:
                found.extend(s.narrowed(source) for s in self._resolve(source.code, year_month, depth + 1))
            return found
        return [Source(code)]

    def _before_predecessors(self, code: str, change: _Change, year_month: str) -> str:
        why = f" {change.predecessors_note}" if change.predecessors_note else ""
        return (
            f"{self._label(code)}는 {change.when}부터 쓰인 코드라 {month_label(year_month)} 자료가 "
            f"없습니다.{why} {change.first_month} 이후의 달을 물어보세요."
        )

    def plan(self, code: str, year_month: str) -> MonthPlan | None:
        """How to read ``code`` for ``year_month``; None when it is simply read as asked (no change
        touches it, or nothing lies on the other side of its change).

        Raises ``LineageError`` for a month before a code's recorded predecessors, or when a split's
        법정동 are not recorded."""
        born, died = self._born.get(code), self._died.get(code)
        if born is None and died is None:
            return None
        asked = (Source(code),)
        if born and born.first_month and year_month < born.first_month:
            sources = _merged(self._resolve(code, year_month))
            return MonthPlan(
                code,
                year_month,
                sources,
                f"{self._describe(sources, code)}에서 집계",
                asked,
                self._fallback(sources, asked, "새 코드", code),
                f"{self._label(code)}는 {born.when}에 생긴 코드입니다.",
                self._extras(born, sources),
            )
        if died and died.first_month and year_month >= died.first_month:
            sources = _merged(self._resolve(code, year_month))
            successors = "·".join(self._label(p.new) for p in died.parts_from(code))
            return MonthPlan(
                code,
                year_month,
                sources,
                f"{self._describe(sources, code)}{'을 합쳐' if len(sources) > 1 else '에서'} 집계",
                asked,
                self._fallback(sources, asked, "옛 코드", code),
                f"{self._label(code)}는 {died.when}부터 {successors}(으)로 바뀌었습니다.",
                self._extras(died, sources),
            )
        # read as asked; the other side is the successors (history re-coded) or the predecessors
        if died and (died.first_month is None or year_month < died.first_month):
            change, other, where = died, self._successors(died, code, strict=False), "새 코드"
        elif born:
            change, other, where = born, self._predecessors(born, code, strict=False), "옛 코드"
        else:  # pragma: no cover - a code that died before year_month was handled above
            return None
        if not other:
            return None
        others = _merged(other)
        headline = (
            f"{self._label(code)}: {change.title}의 시점은 확인되지 않았습니다."
            if change.first_month is None
            else f"{self._label(code)}: {change.title} ({change.when})."
        )
        return MonthPlan(
            code,
            year_month,
            asked,
            None,
            others,
            self._fallback(asked, others, where, code),
            headline,
            self._extras(change, others),
        )

    def _fallback(self, first: Iterable[Source], then: tuple[Source, ...], where: str, code: str) -> str:
        first_text = " + ".join(self._label(s.code) for s in first)
        return (
            f"{first_text}에 자료가 없어 {self._describe(then, code)}에서 집계 (국토부가 이 달 자료를 "
            f"{where}로 제공하는 것으로 보입니다)"
        )

    def _describe(self, sources: Iterable[Source], asked: str) -> str:
        texts = []
        for source in sources:
            label = self._label(source.code)
            if source.dongs is not None:
                label += f"의 {self._short(asked)} 법정동({len(source.dongs)}개)"
            texts.append(label)
        return " + ".join(texts)

    def _extras(self, change: _Change, sources: Iterable[Source]) -> tuple[str, ...]:
        extras = []
        filters = [s.dongs for s in sources if s.dongs is not None]
        for part in change.parts:
            for other in change.parts_from(part.old):
                if other.new <= part.new or not (part.dongs and other.dongs):
                    continue
                used = [d for d in sorted(part.dongs & other.dongs) if any(d in f for f in filters)]
                if used:
                    extras.append(
                        f"{'·'.join(used)}은 {self._short(part.new)}와 {self._short(other.new)}에 걸쳐 있어 "
                        "변경 전 달에는 두 구 모두에 포함했습니다."
                    )
        if change.source is None and change.unconfirmed:  # the date itself is not from a cited source
            extras.append(f"({change.title}: {change.unconfirmed})")
        return tuple(dict.fromkeys(extras))

    # ------------------------------------------------------------------ description
    def describe(self, code: str) -> CodeLineage | None:
        """The code's valid-from, predecessors and successors, for ``get_region_code``."""
        born, died = self._born.get(code), self._died.get(code)
        if born is None and died is None:
            return None
        changes = [c for c in (born, died) if c is not None]
        return CodeLineage(
            code=code,
            name=self.name_of(code),
            valid_from=month_label(born.first_month) if born and born.first_month else None,
            valid_until=month_label(died.first_month) if died and died.first_month else None,
            predecessors=sorted({p.old for p in born.parts_to(code)}) if born else [],
            successors=sorted({p.new for p in died.parts_from(code)}) if died else [],
            changes=[
                LineageChange(
                    month=month_label(c.first_month) if c.first_month else None,
                    title=c.title,
                    source=c.source,
                    unconfirmed=c.unconfirmed,
                )
                for c in dict.fromkeys(changes)
            ],
        )


def _assigned(parts: Iterable[_Part]) -> frozenset[str]:
    return frozenset(dong for part in parts for dong in part.dongs or ())


def _merged(sources: Iterable[Source]) -> tuple[Source, ...]:
    """One source per code (filters of the same code joined), in first-seen order."""
    by_code: dict[str, Source] = {}
    for source in sources:
        seen = by_code.get(source.code)
        if seen is None:
            by_code[source.code] = source
        elif seen.dongs is None or source.dongs is None:
            by_code[source.code] = Source(source.code)
        else:
            known = seen.known | source.known if seen.known and source.known else seen.known or source.known
            by_code[source.code] = Source(source.code, seen.dongs | source.dongs, known)
    return tuple(by_code.values())


@cache
def _bundled() -> Lineage:
    return Lineage(read_bundled("region_lineage.json"), read_bundled("region_codes.json"))
