"""How a code asked for a month is read: which codes to request, which 법정동 to keep, what to say.

MOLIT files each deal under the code in force when it was reported, so a code asked for a month is
read on the side of the change that month belongs to:

- a code valid in the month is read as asked;
- a new code for a month before it existed is read from its predecessor(s), keeping only the rows of
  the 법정동 that went to it (when the predecessor was split; a 1:1 rename needs no filter);
- an old code for a month after the change is read from all its successors combined (keeping only
  its own 법정동 of a successor that also took other land, as 제물포구 took 중구 and 동구).

``MonthPlan.other`` is the other side of the change, read only when the lineage's side has no rows at all
(the service may have re-coded its history under the new codes, as it did for 강원 and 전북). A 법정동
listed under two successors of one split (능동: 병점구 and 동탄구) is counted in each of them; the note
says so. The plan carries its Korean notes, so ``molit.history`` only reads and reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mcp_server.errors import InvalidArgumentError
from mcp_server.regions.lineage.table import Change, Lineage, Part, month_label

__all__ = ["LineageError", "MonthPlan", "Source", "plan_month"]

_MAX_DEPTH = 8


class LineageError(InvalidArgumentError):
    """A code cannot be read for a month: before its predecessors are recorded, or its 법정동 unknown."""


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


def plan_month(lineage: Lineage, code: str, year_month: str) -> MonthPlan | None:
    """How to read ``code`` for ``year_month``; None when it is simply read as asked (no change
    touches it, or nothing lies on the other side of its change).

    Raises ``LineageError`` for a month before a code's recorded predecessors, or when a split's
    법정동 are not recorded."""
    born, died = lineage.born(code), lineage.died(code)
    if born is None and died is None:
        return None
    asked = (Source(code),)
    if born and born.first_month and year_month < born.first_month:
        sources = _merged(_resolve(lineage, code, year_month))
        return MonthPlan(
            code,
            year_month,
            sources,
            f"{_describe(lineage, sources, code)}에서 집계",
            asked,
            _fallback(lineage, sources, asked, "새 코드", code),
            f"{lineage.label(code)}는 {born.when}에 생긴 코드입니다.",
            _extras(lineage, born, sources),
        )
    if died and died.first_month and year_month >= died.first_month:
        sources = _merged(_resolve(lineage, code, year_month))
        successors = "·".join(lineage.label(p.new) for p in died.parts_from(code))
        return MonthPlan(
            code,
            year_month,
            sources,
            f"{_describe(lineage, sources, code)}{'을 합쳐' if len(sources) > 1 else '에서'} 집계",
            asked,
            _fallback(lineage, sources, asked, "옛 코드", code),
            f"{lineage.label(code)}는 {died.when}부터 {successors}(으)로 바뀌었습니다.",
            _extras(lineage, died, sources),
        )
    # read as asked; the other side is the successors (history re-coded) or the predecessors
    if died and (died.first_month is None or year_month < died.first_month):
        change, other, where = died, _successors(lineage, died, code, strict=False), "새 코드"
    elif born:
        change, other, where = born, _predecessors(lineage, born, code, strict=False), "옛 코드"
    else:  # pragma: no cover - a code that died before year_month was handled above
        return None
    if not other:
        return None
    others = _merged(other)
    headline = (
        f"{lineage.label(code)}: {change.title}의 시점은 확인되지 않았습니다."
        if change.first_month is None
        else f"{lineage.label(code)}: {change.title} ({change.when})."
    )
    return MonthPlan(
        code,
        year_month,
        asked,
        None,
        others,
        _fallback(lineage, asked, others, where, code),
        headline,
        _extras(lineage, change, others),
    )


# ---------------------------------------------------------------------- which codes
def _resolve(lineage: Lineage, code: str, year_month: str, depth: int = 0) -> list[Source]:
    """The codes valid in ``year_month`` that cover ``code``'s land, with 법정동 filters."""
    if depth > _MAX_DEPTH:  # pragma: no cover - the table has no cycles (checked by the tests)
        raise LineageError(f"lineage of {code} loops; the table needs fixing")
    born, died = lineage.born(code), lineage.died(code)
    if born and born.first_month and year_month < born.first_month:
        if code in born.created:
            raise LineageError(_before_predecessors(lineage, code, born, year_month))
        found: list[Source] = []
        for source in _predecessors(lineage, born, code, strict=True) or []:
            found.extend(s.narrowed(source) for s in _resolve(lineage, source.code, year_month, depth + 1))
        return found
    if died and died.first_month and year_month >= died.first_month:
        found = []
        for source in _successors(lineage, died, code, strict=True) or []:
            found.extend(s.narrowed(source) for s in _resolve(lineage, source.code, year_month, depth + 1))
        return found
    return [Source(code)]


def _predecessors(lineage: Lineage, change: Change, code: str, *, strict: bool) -> list[Source] | None:
    """Reading the new code from its predecessor keeps only its 법정동 when the predecessor split."""
    sources = []
    for part in change.parts_to(code):
        dongs = None
        if len(change.parts_from(part.old)) > 1:
            if part.dongs is None:
                if strict:
                    raise LineageError(_no_dongs(lineage, change, part.old, code))
                return None
            dongs = part.dongs
        sources.append(Source(part.old, dongs, _assigned(change.parts_from(part.old)) if dongs else None))
    return sources


def _successors(lineage: Lineage, change: Change, code: str, *, strict: bool) -> list[Source] | None:
    """Reading an old code from a successor keeps only its 법정동 when the successor took more land."""
    sources = []
    for part in change.parts_from(code):
        dongs = None
        if len(change.parts_to(part.new)) > 1:
            if part.dongs is None:
                if strict:
                    raise LineageError(_no_dongs(lineage, change, code, part.new))
                return None
            dongs = part.dongs
        sources.append(Source(part.new, dongs, _assigned(change.parts_to(part.new)) if dongs else None))
    return sources


def _assigned(parts: Iterable[Part]) -> frozenset[str]:
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


# ---------------------------------------------------------------------- what to say
def _no_dongs(lineage: Lineage, change: Change, old: str, new: str) -> str:
    return (
        f"{lineage.label(old)}와 {lineage.label(new)} 사이의 법정동 배분이 계보 표에 없어 ({change.title}, "
        f"{change.when}) 나눠 읽을 수 없습니다. {lineage.label(new)}를 그대로 묻거나, 변경 전후 한쪽 "
        "달만 물어보세요."
    )


def _before_predecessors(lineage: Lineage, code: str, change: Change, year_month: str) -> str:
    why = f" {change.predecessors_note}" if change.predecessors_note else ""
    return (
        f"{lineage.label(code)}는 {change.when}부터 쓰인 코드라 {month_label(year_month)} 자료가 "
        f"없습니다.{why} {change.first_month} 이후의 달을 물어보세요."
    )


def _fallback(
    lineage: Lineage, first: Iterable[Source], then: tuple[Source, ...], where: str, code: str
) -> str:
    first_text = " + ".join(lineage.label(s.code) for s in first)
    return (
        f"{first_text}에 자료가 없어 {_describe(lineage, then, code)}에서 집계 (국토부가 이 달 자료를 "
        f"{where}로 제공하는 것으로 보입니다)"
    )


def _describe(lineage: Lineage, sources: Iterable[Source], asked: str) -> str:
    texts = []
    for source in sources:
        label = lineage.label(source.code)
        if source.dongs is not None:
            label += f"의 {lineage.short(asked)} 법정동({len(source.dongs)}개)"
        texts.append(label)
    return " + ".join(texts)


def _extras(lineage: Lineage, change: Change, sources: Iterable[Source]) -> tuple[str, ...]:
    extras = []
    filters = [s.dongs for s in sources if s.dongs is not None]
    for part in change.parts:
        for other in change.parts_from(part.old):
            if other.new <= part.new or not (part.dongs and other.dongs):
                continue
            used = [d for d in sorted(part.dongs & other.dongs) if any(d in f for f in filters)]
            if used:
                extras.append(
                    f"{'·'.join(used)}은 {lineage.short(part.new)}와 {lineage.short(other.new)}에 걸쳐 "
                    "있어 변경 전 달에는 두 구 모두에 포함했습니다."
                )
    if change.source is None and change.unconfirmed:  # the date itself is not from a cited source
        extras.append(f"({change.title}: {change.unconfirmed})")
    return tuple(dict.fromkeys(extras))
