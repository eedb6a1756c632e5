"""A free-text query → the known names in it, the codes that are not current, and the unknown words.

Queries arrive with or without spaces (서울마포구), with punctuation, 10-digit 법정동 codes or 행정동
names (역삼1동) that MOLIT does not use. Splitting them into the vocabulary's own keys first keeps
matching exact: a word that is no known name is reported back, never guessed at.
"""

from __future__ import annotations

import re
import unicodedata

from mcp_server.regions.index.vocabulary import Vocabulary

__all__ = ["terms_of"]

_SEPARATORS = re.compile(r"[\s,./·()\[\]_-]+")
_NUMBERED_DONG = re.compile(r"(\D+?)제?\d+동")


def _words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(unicodedata.normalize("NFKC", text)) if w]


def _segment(vocabulary: Vocabulary, word: str) -> list[str] | None:
    """Split a run typed without spaces ('서울마포구') into known names, fewest pieces first."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 12), end):
            prefix = best[start]
            if prefix is not None and word[start:end] in vocabulary.keys:
                candidate = [*prefix, word[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(word)]


def terms_of(vocabulary: Vocabulary, query: str) -> tuple[list[str], list[str], list[str]]:
    """Known names in the query, codes that are not current, and words that are no known name."""
    terms: list[str] = []
    old_codes: list[str] = []
    unknown: list[str] = []
    for word in _words(query):
        if word.isdigit() and len(word) == 10:
            word = word[:5]
        if word in vocabulary.keys:
            terms.append(word)
            continue
        if word.isdigit():
            (old_codes if len(word) == 5 else unknown).append(word)
            continue
        numbered = _NUMBERED_DONG.fullmatch(word)  # 행정동 역삼1동 lies in 법정동 역삼동
        if numbered and numbered.group(1) + "동" in vocabulary.keys:
            terms.append(numbered.group(1) + "동")
            continue
        pieces = _segment(vocabulary, word)
        if pieces is None:
            unknown.append(word)
        else:
            terms.extend(pieces)
    return terms, old_codes, unknown
