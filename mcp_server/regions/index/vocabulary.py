"""Every name a person might type for a 시군구, mapped to the codes it means: built once per snapshot.

시도 in long and short forms (서울특별시/서울시/서울), 시군구 with and without their suffix (마포구/마포),
시 that have 구 (성남시 → its 구, whose own code MOLIT does not file deals under), 읍·면·동 (공덕동 →
마포구; 잠실 → 잠실동), and the abolished or renamed regions of ``data/region_successors.json`` (42xxx
강원도, 45xxx 전라북도, 인천 중구·동구·서구 of before 2026-07) with the note that names their successors.
Building all of this up front is what lets a lookup be a few dictionary hits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from mcp_server.regions.sido import sido_named

__all__ = ["Former", "Kind", "Meaning", "Vocabulary"]

Kind = Literal["code", "district", "city", "stem", "dong", "dong_stem", "sido"]


@dataclass(frozen=True)
class Meaning:
    kind: Kind
    codes: frozenset[str]
    label: str


@dataclass(frozen=True)
class Former:
    code: str
    name: str
    successors: tuple[str, ...]
    since: str
    note: str
    keys: frozenset[str]
    own_keys: frozenset[str]  # its own name or code, not just the 시도 it was in


def _spellings(sido: str) -> tuple[str, ...]:
    """Every name of the 시도 ``sido`` (서울특별시 → 서울, 서울시, …) from the one 시도 table."""
    found = sido_named(sido)
    return found.spellings if found else ()


def _stem(unit: str) -> str | None:
    """마포구 → 마포, 의정부시 → 의정부; None when too short to mean anything alone (중구 → 중)."""
    return unit[:-1] if len(unit) >= 3 and unit[-1] in "시군구" else None


class Vocabulary:
    """The names of one snapshot and its successor notes; immutable after construction.

    ``names``: current 시군구 code → full name; ``cities``: 시 code → (name, its 구 codes); ``keys``:
    typed name → what it may mean; ``old_sido``: former 시도 name → (note, current codes);
    ``old_codes``: former code → (current code, note); ``formers``: abolished 시군구."""

    def __init__(self, snapshot: dict[str, Any], successors: dict[str, Any]) -> None:
        self.names: dict[str, str] = {code: name for code, name, _ in snapshot["districts"]}
        self.cities: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.keys: dict[str, list[Meaning]] = {}
        self.old_sido: dict[str, tuple[str, frozenset[str]]] = {}
        self.old_codes: dict[str, tuple[str, str]] = {}
        self.formers: list[Former] = []
        self._build(snapshot, successors)

    def _add(self, key: str, kind: Kind, codes: Iterable[str], label: str) -> None:
        self.keys.setdefault(key, []).append(Meaning(kind, frozenset(codes), label))

    def _build(self, snapshot: dict[str, Any], successors: dict[str, Any]) -> None:
        by_sido: dict[str, set[str]] = {}
        by_unit: dict[str, set[str]] = {}
        by_stem: dict[str, set[str]] = {}
        by_dong: dict[str, set[str]] = {}
        by_dong_stem: dict[tuple[str, str], set[str]] = {}
        for code, name, dongs in snapshot["districts"]:
            parts = name.split(" ")
            by_sido.setdefault(parts[0], set()).add(code)
            if len(parts) > 1:
                by_unit.setdefault(parts[-1], set()).add(code)
                stem = _stem(parts[-1])
                if stem:
                    by_stem.setdefault(stem, set()).add(code)
                if len(parts[-1]) >= 4 and parts[-1][-2:] in ("동구", "서구", "남구", "북구"):
                    by_stem.setdefault(parts[-1][:-2], set()).add(code)  # 일산동구, 일산서구 → 일산
            for dong in dongs:
                by_dong.setdefault(dong, set()).add(code)
                if len(dong) >= 3 and dong[-1] in "동읍면":
                    by_dong_stem.setdefault((dong[:-1], dong), set()).add(code)
            self._add(code, "code", [code], "시군구 코드")
        for city_code, city_name in snapshot["cities"]:
            districts = tuple(c for c, n in self.names.items() if n.startswith(city_name + " "))
            if not districts:
                continue
            self.cities[city_code] = (city_name, districts)
            unit = city_name.split(" ")[-1]
            self._add(unit, "city", districts, f"{city_name}의 구")
            stem = _stem(unit)
            if stem:
                self._add(stem, "city", districts, f"{city_name}의 구")
            self._add(
                city_code, "city", districts, f"{city_name}의 구 ({city_code}는 실거래가 조회용이 아님)"
            )
        renamed = {  # former names are added by _load_successors, with a note
            alias
            for rename in successors.get("sido_renames", [])
            for alias in (rename["old_name"], *rename.get("old_aliases", []))
        }
        for sido, codes in by_sido.items():
            for alias in dict.fromkeys((sido, *_spellings(sido))):
                if alias not in renamed:
                    self._add(alias, "sido", codes, sido)
        for unit, codes in by_unit.items():
            self._add(unit, "district", codes, "시군구")
        for stem, codes in by_stem.items():
            self._add(stem, "stem", codes, "시군구")
        for dong, codes in by_dong.items():
            self._add(dong, "dong", codes, f"법정동 {dong}")
        for (stem, dong), codes in by_dong_stem.items():  # 잠실 → 잠실동, 판교 → 판교동
            if stem not in by_dong:
                self._add(stem, "dong_stem", codes, f"법정동 {dong}")
        self._load_successors(successors, by_sido)

    def _load_successors(self, successors: dict[str, Any], by_sido: dict[str, set[str]]) -> None:
        for rename in successors.get("sido_renames", []):
            new = rename["new_name"]
            if new not in by_sido:
                continue
            codes: dict[str, str] = dict(rename.get("codes", {}))
            if "old_prefix" in rename:
                for code in by_sido[new]:
                    if code.startswith(rename["new_prefix"]):
                        codes[rename["old_prefix"] + code[2:]] = code
            codes = {old: cur for old, cur in codes.items() if cur in self.names}
            since = f"{rename['since']}부터 " if rename.get("since") else ""
            prefix = sorted(codes)[0][:2] if codes else "?"
            note = (
                f"{rename['old_name']} 지역은 {since}{new} 소속입니다 (옛 코드 {prefix}xxx는 쓰지 않습니다)."
            )
            for old_code, code in codes.items():
                self.old_codes[old_code] = (code, note)
            for alias in (rename["old_name"], *rename.get("old_aliases", [])):
                self.old_sido[alias] = (note, frozenset(codes.values()))
                self._add(alias, "sido", codes.values() or by_sido[new], new)
        for entry in successors.get("abolished", []):
            live = tuple(c for c in entry["successors"] if c in self.names)
            if not live or entry["code"] in self.names:
                continue
            sido, *rest = entry["name"].split(" ")
            unit = rest[-1]
            own = {entry["code"], unit} | ({stem} if (stem := _stem(unit)) else set())
            keys = own | {sido, *_spellings(sido)}
            self.formers.append(
                Former(
                    entry["code"],
                    entry["name"],
                    live,
                    entry["since"],
                    entry["note"],
                    frozenset(keys),
                    frozenset(own),
                )
            )
