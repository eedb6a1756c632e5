"""Resolve free-text Korean place names to the 5-digit 시군구 codes (LAWD_CD) MOLIT's services use.

The bundled snapshot (``data/region_codes.json``, see ``regions.snapshot``) is turned once per process into
dictionaries keyed by every name a person might type: 시도 in long and short forms (서울특별시/서울시/서울),
시군구 with and without their suffix (마포구/마포), 시 that have 구 (성남시 → its 구), and 읍·면·동
(공덕동 → 마포구; 잠실 → 잠실동; 행정동 역삼1동 → 역삼동). A query is split on spaces, and a run of
words typed without spaces is segmented into known names, so each lookup is a handful of dictionary
hits and set intersections, never a scan.

``code in index`` is True only for codes MOLIT queries by: current 시군구, including the 구 of a 시 that
has 구. The 시's own code (41130 성남시, 41590 화성시 since 2026-02) is *not* in the index: MOLIT files
deals under the 구, so data tools must reject it; ``resolve("41130")`` lists its 구 instead. Abolished
codes and names (42xxx 강원도, 45xxx 전라북도, 인천 중구·동구·서구 of before 2026-07) are never offered as
current; ``resolve`` maps them to their successors with a note (``data/region_successors.json``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from mcp_server.errors import InvalidArgumentError
from mcp_server.regions.lineage.description import CodeLineage, describe
from mcp_server.regions.lineage.table import Lineage
from mcp_server.regions.sido import sido_named
from mcp_server.regions.snapshot import read_bundled

__all__ = [
    "RegionIndex",
    "RegionMatch",
    "RegionQueryError",
    "RegionResolution",
    "SnapshotInfo",
]

MAX_QUERY_LENGTH = 100
MAX_MATCHES = 30
_SEPARATORS = re.compile(r"[\s,./·()\[\]_-]+")
_NUMBERED_DONG = re.compile(r"(\D+?)제?\d+동")

Kind = Literal["code", "district", "city", "stem", "dong", "dong_stem", "sido"]
# Lower sorts first: a candidate named by its own 시군구 beats one that only shares a 시도 or a 동 name.
_RANK: dict[str, int] = {"code": 0, "district": 0, "city": 1, "stem": 1, "dong": 2, "dong_stem": 2, "sido": 3}
_DONG_KINDS = ("dong", "dong_stem")


class RegionQueryError(InvalidArgumentError):
    """The query cannot be looked up at all (empty or too long); the message says what to send."""


class SnapshotInfo(BaseModel):
    """Where the code table comes from, so answers can cite it."""

    source: str = Field(description="Upstream the snapshot was built from")
    retrieved_at: str = Field(description="Date (YYYY-MM-DD) the upstream table was retrieved")
    attribution: str = Field(description="Credit and licence of the data as bundled")
    district_count: int = Field(description="Number of 시군구 codes in the snapshot")


class RegionMatch(BaseModel):
    code: str = Field(description="5-digit 시군구 code (LAWD_CD); pass it as region_code to the data tools")
    name: str = Field(description="Full current name, e.g. '경기도 성남시 분당구'")
    matched_on: str = Field(
        description="Why it matched, e.g. '시군구', '법정동 공덕동', '폐지된 인천광역시 중구'"
    )


class RegionResolution(BaseModel):
    query: str
    status: Literal["resolved", "ambiguous", "not_found"] = Field(
        description="resolved: exactly one code; ambiguous: pick one of matches (ask the user if unsure)"
    )
    region_code: str | None = Field(description="The 5-digit code when status is resolved, else null")
    full_name: str | None = Field(description="Name of region_code when resolved")
    matches: list[RegionMatch] = Field(description="Candidates, most specific first")
    total_matches: int
    truncated: bool = Field(
        description=f"True when more than {MAX_MATCHES} candidates exist; refine the query"
    )
    notes: list[str] = Field(description="Renamed or abolished regions involved, and other caveats")
    lineage: list[CodeLineage] = Field(
        default_factory=list,
        description="Codes among the matches (and their former codes) that a boundary change touched: "
        "valid-from month, predecessors, successors. The data tools accept any of them for any month.",
    )
    snapshot: SnapshotInfo


@dataclass(frozen=True)
class _Meaning:
    kind: Kind
    codes: frozenset[str]
    label: str


@dataclass(frozen=True)
class _Former:
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


def _words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(unicodedata.normalize("NFKC", text)) if w]


def _stem(unit: str) -> str | None:
    """마포구 → 마포, 의정부시 → 의정부; None when too short to mean anything alone (중구 → 중)."""
    return unit[:-1] if len(unit) >= 3 and unit[-1] in "시군구" else None


class RegionIndex:
    """In-memory lookup over one snapshot; immutable after construction, safe to share across requests."""

    def __init__(
        self,
        snapshot: dict[str, Any],
        successors: dict[str, Any] | None = None,
        lineage: Lineage | None = None,
    ) -> None:
        self.lineage = lineage or Lineage.empty()
        self.snapshot = SnapshotInfo(
            source=snapshot["source"],
            retrieved_at=snapshot["retrieved_at"],
            attribution=snapshot["attribution"],
            district_count=len(snapshot["districts"]),
        )
        self._names: dict[str, str] = {code: name for code, name, _ in snapshot["districts"]}
        self._cities: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._keys: dict[str, list[_Meaning]] = {}
        self._old_sido: dict[str, tuple[str, frozenset[str]]] = {}
        self._old_codes: dict[str, tuple[str, str]] = {}
        self._formers: list[_Former] = []
        self._build(snapshot, successors or {"sido_renames": [], "abolished": []})

    @classmethod
    def load_bundled(cls) -> RegionIndex:
        """The index over the snapshot shipped in the package, built on first use and then shared."""
        return _bundled_index()

    # ------------------------------------------------------------------ building
    def _add(self, key: str, kind: Kind, codes: Iterable[str], label: str) -> None:
        self._keys.setdefault(key, []).append(_Meaning(kind, frozenset(codes), label))

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
            districts = tuple(c for c, n in self._names.items() if n.startswith(city_name + " "))
            if not districts:
                continue
            self._cities[city_code] = (city_name, districts)
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
            codes = {old: cur for old, cur in codes.items() if cur in self._names}
            since = f"{rename['since']}부터 " if rename.get("since") else ""
            prefix = sorted(codes)[0][:2] if codes else "?"
            note = (
                f"{rename['old_name']} 지역은 {since}{new} 소속입니다 (옛 코드 {prefix}xxx는 쓰지 않습니다)."
            )
            for old_code, code in codes.items():
                self._old_codes[old_code] = (code, note)
            for alias in (rename["old_name"], *rename.get("old_aliases", [])):
                self._old_sido[alias] = (note, frozenset(codes.values()))
                self._add(alias, "sido", codes.values() or by_sido[new], new)
        for entry in successors.get("abolished", []):
            live = tuple(c for c in entry["successors"] if c in self._names)
            if not live or entry["code"] in self._names:
                continue
            sido, *rest = entry["name"].split(" ")
            unit = rest[-1]
            own = {entry["code"], unit} | ({stem} if (stem := _stem(unit)) else set())
            keys = own | {sido, *_spellings(sido)}
            self._formers.append(
                _Former(
                    entry["code"],
                    entry["name"],
                    live,
                    entry["since"],
                    entry["note"],
                    frozenset(keys),
                    frozenset(own),
                )
            )

    # ------------------------------------------------------------------ queries
    def __contains__(self, lawd_cd: object) -> bool:
        """True only for a current 시군구 code MOLIT queries by (not a 시 that has 구, not an old code)."""
        return isinstance(lawd_cd, str) and lawd_cd in self._names

    def name_of(self, lawd_cd: str) -> str | None:
        """Full name of a code that is ``in`` the index, e.g. '경기도 성남시 분당구'; otherwise None."""
        return self._names.get(lawd_cd)

    def _segment(self, word: str) -> list[str] | None:
        """Split a run typed without spaces ('서울마포구') into known names, fewest pieces first."""
        best: list[list[str] | None] = [None] * (len(word) + 1)
        best[0] = []
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 12), end):
                prefix = best[start]
                if prefix is not None and word[start:end] in self._keys:
                    candidate = [*prefix, word[start:end]]
                    current = best[end]
                    if current is None or len(candidate) < len(current):
                        best[end] = candidate
        return best[len(word)]

    def _terms(self, query: str) -> tuple[list[str], list[str], list[str]]:
        """Known names in the query, codes that are not current, and words that are no known name."""
        terms: list[str] = []
        old_codes: list[str] = []
        unknown: list[str] = []
        for word in _words(query):
            if word.isdigit() and len(word) == 10:
                word = word[:5]
            if word in self._keys:
                terms.append(word)
                continue
            if word.isdigit():
                (old_codes if len(word) == 5 else unknown).append(word)
                continue
            numbered = _NUMBERED_DONG.fullmatch(word)  # 행정동 역삼1동 lies in 법정동 역삼동
            if numbered and numbered.group(1) + "동" in self._keys:
                terms.append(numbered.group(1) + "동")
                continue
            pieces = self._segment(word)
            if pieces is None:
                unknown.append(word)
            else:
                terms.extend(pieces)
        return terms, old_codes, unknown

    @staticmethod
    def _preferred(meanings: list[_Meaning]) -> list[_Meaning]:
        """A place name beats a 동 name ('마포' is 마포구, not 마포동), but a 시군구 stem does not beat an
        exact 동 name ('일산동' is the 동 as much as the stem of 일산동구): both are then kept."""
        if any(m.kind in ("code", "district", "city", "sido") for m in meanings):
            return [m for m in meanings if m.kind not in _DONG_KINDS]
        if any(m.kind == "stem" for m in meanings):
            return [m for m in meanings if m.kind != "dong_stem"]
        return meanings

    def _candidates(self, terms: list[str]) -> dict[str, tuple[int, str]]:
        """Codes named by every term, each with its best rank and reason; place names before 동 names."""
        for strict in (True, False):
            chosen: list[list[_Meaning]] = []
            for term in terms:
                meanings = self._keys[term]
                if strict:
                    meanings = self._preferred(meanings)
                chosen.append(meanings)
            common: set[str] | None = None
            for meanings in chosen:
                codes = set().union(*(m.codes for m in meanings))
                common = codes if common is None else common & codes
            if common:
                result: dict[str, tuple[int, str]] = {}
                for code in common:
                    hits = [m for ms in chosen for m in ms if code in m.codes]
                    top = min(hits, key=lambda m: _RANK[m.kind])
                    reason = next((m.label for m in hits if m.kind in _DONG_KINDS), top.label)
                    result[code] = (min(_RANK[m.kind] for m in hits), reason)
                return result
        return {}

    def _history(
        self, terms: list[str], old_codes: list[str], unknown: list[str], found: dict[str, tuple[int, str]]
    ) -> list[str]:
        """Notes on abolished or renamed regions the query names; their successors join ``found`` when
        nothing current matched (or an old code was given). Unrecognised old codes go to ``unknown``."""
        notes: list[str] = []
        formers = [
            f
            for f in self._formers
            if terms and not unknown and set(terms) <= f.keys and set(terms) & f.own_keys
        ]
        for code in old_codes:
            by_code = [f for f in self._formers if f.code == code]
            if by_code:
                formers.extend(by_code)
            elif code in self._old_codes:
                current, note = self._old_codes[code]
                found.setdefault(current, (0, f"옛 코드 {code}"))
                notes.append(note)
            else:
                unknown.append(code)
        for former in formers:
            names = ", ".join(f"{self._names[c]} ({c})" for c in former.successors)
            notes.append(f"{former.name} ({former.code})는 {former.since}에 폐지: {former.note} → {names}.")
            if not found or not terms:
                for code in former.successors:
                    found.setdefault(code, (1, f"폐지된 {former.name}의 후속"))
        return notes

    def resolve(self, query: str) -> RegionResolution:
        """Look up free text ('마포구', '서울 마포구', '분당', '공덕동', '41135'); never guesses fuzzily."""
        text = query.strip()
        if not text:
            raise RegionQueryError("query is empty: send a place name such as '마포구', '분당' or '공덕동'")
        if len(text) > MAX_QUERY_LENGTH:
            raise RegionQueryError(
                f"query is longer than {MAX_QUERY_LENGTH} characters: send just the place name"
            )
        terms, old_codes, unknown = self._terms(text)
        found = self._candidates(terms) if terms and not unknown and not old_codes else {}
        notes = self._history(terms, old_codes, unknown, found)
        renamed = [self._old_sido[t] for t in terms if t in self._old_sido]
        notes.extend(dict.fromkeys(note for note, codes in renamed if codes & found.keys()))
        for city_code, (city_name, _) in self._cities.items():
            if city_code in terms:
                notes.append(f"{city_code}({city_name})는 구가 있는 시라 실거래가는 구 코드로 조회합니다.")
        ordered = sorted(found.items(), key=lambda item: (item[1][0], item[0]))
        matches = [RegionMatch(code=c, name=self._names[c], matched_on=why) for c, (_, why) in ordered]
        status: Literal["resolved", "ambiguous", "not_found"]
        status = "not_found" if not matches else "resolved" if len(matches) == 1 else "ambiguous"
        if not matches and terms and not unknown:
            notes.append(f"어느 시군구도 {', '.join(terms)}에 모두 해당하지 않습니다: 하나씩 찾아보세요.")
        if unknown:
            notes.append(f"알 수 없는 지명: {', '.join(unknown)} (오타이거나 시군구·법정동 이름이 아닙니다).")
        return RegionResolution(
            query=query,
            lineage=self._lineage_of([m.code for m in matches[:MAX_MATCHES]], old_codes),
            status=status,
            region_code=matches[0].code if status == "resolved" else None,
            full_name=matches[0].name if status == "resolved" else None,
            matches=matches[:MAX_MATCHES],
            total_matches=len(matches),
            truncated=len(matches) > MAX_MATCHES,
            notes=notes,
            snapshot=self.snapshot,
        )

    def _lineage_of(self, codes: list[str], asked: list[str]) -> list[CodeLineage]:
        """The lineage of the matched codes and of the codes next to them in a change (one step)."""
        found: dict[str, CodeLineage] = {}
        for code in [*asked, *codes]:
            entry = describe(self.lineage, code)
            if entry is None:
                continue
            found.setdefault(code, entry)
            for near in (*entry.predecessors, *entry.successors):
                if near not in found and (described := describe(self.lineage, near)) is not None:
                    found[near] = described
        return list(found.values())[:MAX_MATCHES]

    def historic_name(self, lawd_cd: str) -> str | None:
        """Name of a current code, or of a former one the lineage records (인천 서구 28260)."""
        return self.name_of(lawd_cd) or self.lineage.name_of(lawd_cd)


@cache
def _bundled_index() -> RegionIndex:
    return RegionIndex(
        read_bundled("region_codes.json"), read_bundled("region_successors.json"), Lineage.load_bundled()
    )
