"""Known names → the 시군구 codes they all point at, ranked, with notes on abolished or renamed regions.

A name can mean several things (마포 is 마포구 and 마포동; 일산동 is a 동 and the stem of 일산동구), and a
query of several names means the codes all of them share. Ranking keeps the most specific reading
first; the history notes say when an old name or code was given and what replaced it.
"""

from __future__ import annotations

from mcp_server.regions.index.vocabulary import Meaning, Vocabulary

__all__ = ["candidates", "history_notes"]

# Lower sorts first: a candidate named by its own 시군구 beats one that only shares a 시도 or a 동 name.
_RANK: dict[str, int] = {"code": 0, "district": 0, "city": 1, "stem": 1, "dong": 2, "dong_stem": 2, "sido": 3}
_DONG_KINDS = ("dong", "dong_stem")


def _preferred(meanings: list[Meaning]) -> list[Meaning]:
    """A place name beats a 동 name ('마포' is 마포구, not 마포동), but a 시군구 stem does not beat an
    exact 동 name ('일산동' is the 동 as much as the stem of 일산동구): both are then kept."""
    if any(m.kind in ("code", "district", "city", "sido") for m in meanings):
        return [m for m in meanings if m.kind not in _DONG_KINDS]
    if any(m.kind == "stem" for m in meanings):
        return [m for m in meanings if m.kind != "dong_stem"]
    return meanings


def candidates(vocabulary: Vocabulary, terms: list[str]) -> dict[str, tuple[int, str]]:
    """Codes named by every term, each with its best rank and reason; place names before 동 names."""
    for strict in (True, False):
        chosen: list[list[Meaning]] = []
        for term in terms:
            meanings = vocabulary.keys[term]
            if strict:
                meanings = _preferred(meanings)
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


def history_notes(
    vocabulary: Vocabulary,
    terms: list[str],
    old_codes: list[str],
    unknown: list[str],
    found: dict[str, tuple[int, str]],
) -> list[str]:
    """Notes on abolished or renamed regions the query names; their successors join ``found`` when
    nothing current matched (or an old code was given). Unrecognised old codes go to ``unknown``."""
    notes: list[str] = []
    formers = [
        f
        for f in vocabulary.formers
        if terms and not unknown and set(terms) <= f.keys and set(terms) & f.own_keys
    ]
    for code in old_codes:
        by_code = [f for f in vocabulary.formers if f.code == code]
        if by_code:
            formers.extend(by_code)
        elif code in vocabulary.old_codes:
            current, note = vocabulary.old_codes[code]
            found.setdefault(current, (0, f"옛 코드 {code}"))
            notes.append(note)
        else:
            unknown.append(code)
    for former in formers:
        names = ", ".join(f"{vocabulary.names[c]} ({c})" for c in former.successors)
        notes.append(f"{former.name} ({former.code})는 {former.since}에 폐지: {former.note} → {names}.")
        if not found or not terms:
            for code in former.successors:
                found.setdefault(code, (1, f"폐지된 {former.name}의 후속"))
    return notes
