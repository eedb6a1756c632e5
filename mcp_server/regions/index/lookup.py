"""The region index the server shares: ``resolve`` a typed place name, check a code before a request.

``code in index`` is True only for codes MOLIT queries by: current 시군구, including the 구 of a 시 that
has 구. The 시's own code (41130 성남시, 41590 화성시 since 2026-02) is *not* in the index: MOLIT files
deals under the 구, so data tools must reject it; ``resolve("41130")`` lists its 구 instead. Abolished
codes and names are never offered as current; ``resolve`` maps them to their successors with a note.
The index is built once per process from the bundled files and is immutable, so every request shares it.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from mcp_server.regions.index.matching import candidates, history_notes
from mcp_server.regions.index.resolution import (
    MAX_MATCHES,
    MAX_QUERY_LENGTH,
    RegionMatch,
    RegionQueryError,
    RegionResolution,
    SnapshotInfo,
)
from mcp_server.regions.index.terms import terms_of
from mcp_server.regions.index.vocabulary import Vocabulary
from mcp_server.regions.lineage.description import CodeLineage, describe
from mcp_server.regions.lineage.table import Lineage
from mcp_server.regions.snapshot import read_bundled

__all__ = ["RegionIndex"]


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
        self.vocabulary = Vocabulary(snapshot, successors or {"sido_renames": [], "abolished": []})

    @classmethod
    def load_bundled(cls) -> RegionIndex:
        """The index over the snapshot shipped in the package, built on first use and then shared."""
        return _bundled_index()

    def __contains__(self, lawd_cd: object) -> bool:
        """True only for a current 시군구 code MOLIT queries by (not a 시 that has 구, not an old code)."""
        return isinstance(lawd_cd, str) and lawd_cd in self.vocabulary.names

    def name_of(self, lawd_cd: str) -> str | None:
        """Full name of a code that is ``in`` the index, e.g. '경기도 성남시 분당구'; otherwise None."""
        return self.vocabulary.names.get(lawd_cd)

    def historic_name(self, lawd_cd: str) -> str | None:
        """Name of a current code, or of a former one the lineage records (인천 서구 28260)."""
        return self.name_of(lawd_cd) or self.lineage.name_of(lawd_cd)

    def resolve(self, query: str) -> RegionResolution:
        """Look up free text ('마포구', '서울 마포구', '분당', '공덕동', '41135'); never guesses fuzzily."""
        text = query.strip()
        if not text:
            raise RegionQueryError("query is empty: send a place name such as '마포구', '분당' or '공덕동'")
        if len(text) > MAX_QUERY_LENGTH:
            raise RegionQueryError(
                f"query is longer than {MAX_QUERY_LENGTH} characters: send just the place name"
            )
        vocabulary = self.vocabulary
        terms, old_codes, unknown = terms_of(vocabulary, text)
        found = candidates(vocabulary, terms) if terms and not unknown and not old_codes else {}
        notes = history_notes(vocabulary, terms, old_codes, unknown, found)
        renamed = [vocabulary.old_sido[t] for t in terms if t in vocabulary.old_sido]
        notes.extend(dict.fromkeys(note for note, codes in renamed if codes & found.keys()))
        for city_code, (city_name, _) in vocabulary.cities.items():
            if city_code in terms:
                notes.append(f"{city_code}({city_name})는 구가 있는 시라 실거래가는 구 코드로 조회합니다.")
        ordered = sorted(found.items(), key=lambda item: (item[1][0], item[0]))
        matches = [RegionMatch(code=c, name=vocabulary.names[c], matched_on=why) for c, (_, why) in ordered]
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


@cache
def _bundled_index() -> RegionIndex:
    return RegionIndex(
        read_bundled("region_codes.json"), read_bundled("region_successors.json"), Lineage.load_bundled()
    )
