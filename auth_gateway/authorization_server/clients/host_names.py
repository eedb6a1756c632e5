"""Host names a person must read and trust: the owner approves a client by the host its browser will be
sent to, so that host must look like what it is.

Internationalised names make that hard: `сlaude.ai` with a Cyrillic `с` is a different host from
`claude.ai` yet looks the same, a soft hyphen or zero-width space is invisible, and a right-to-left
override reorders what follows it. So:

- `host_forms` gives the ASCII (punycode, IDNA 2008 with UTS #46 as browsers use) form, which is what a
  browser connects to and what the approval page shows first, and the Unicode form a browser may
  display instead, which the page shows beside it with a warning when the two differ;
- it refuses (`UnreadableHost`) hosts that cannot be shown honestly: bidirectional controls, invisible
  characters, labels that mix scripts (UTS #39 "highly restrictive": Latin may go with Han and
  Hangul, Han with Hiragana and Katakana or with Bopomofo, nothing else mixes), and names that are not
  valid IDNA at all.

A pure-ASCII host without `xn--` labels is taken as it is (lower-cased): nothing in it can look like
anything else, and some real hosts (an underscore, for one) are not valid IDNA 2008.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from dataclasses import dataclass

import idna

from auth_gateway.authorization_server.errors import UnreadableHost

__all__ = ["HostForms", "host_forms"]

# Unicode's Bidi_Control characters (UAX #9): they reorder the text around them.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that render as nothing (or as blank) but are not format characters (category Cf, which is
# refused as a whole): fillers, blank patterns, the combining grapheme joiner and variation selectors.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0") | frozenset(
    chr(code) for code in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
)
# UTS #39 §5.2 "highly restrictive": the script sets one label may draw from (Common and Inherited
# characters, e.g. digits, hyphens and combining marks, belong to every script).
ALLOWED_SCRIPT_SETS = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Hangul"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
)
# The first word of a letter's Unicode name, where it is not the script's own name.
_SCRIPT_BY_NAME_PREFIX = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",
    "KATAKANA-HIRAGANA": "Katakana",
    "HALFWIDTH": None,  # the second word names the script (HALFWIDTH KATAKANA LETTER A)
    "FULLWIDTH": None,
}


@dataclass(frozen=True, slots=True)
class HostForms:
    ascii: str  # what the browser connects to (punycode for internationalised labels)
    unicode: str  # what a browser may display instead; equal to `ascii` when nothing differs

    @property
    def differs(self) -> bool:
        return self.unicode != self.ascii


def host_forms(host: str) -> HostForms:
    """The ASCII and Unicode forms of `host` (as `urlsplit(...).hostname` gives it); raise
    `UnreadableHost` when it hides or disguises characters."""
    if not host:
        raise UnreadableHost("the host name is empty")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return HostForms(str(address), str(address))
    for ch in host:
        problem = _hidden_character(ch)
        if problem is not None:
            raise UnreadableHost(f"the host name contains {problem} (U+{ord(ch):04X})")
    lowered = host.lower()
    if lowered.isascii() and not any(label.startswith("xn--") for label in lowered.split(".")):
        return HostForms(lowered, lowered)
    try:
        ascii_form = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        unicode_form = idna.decode(ascii_form)
    except (UnicodeError, ValueError) as exc:  # idna.IDNAError is a UnicodeError
        raise UnreadableHost(f"the host name is not a valid internationalised domain name ({exc})") from None
    for label in unicode_form.split("."):
        scripts = _scripts(label)
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in ALLOWED_SCRIPT_SETS):
            raise UnreadableHost(
                f"the host name mixes {' and '.join(sorted(scripts))} letters in one label ({label!r}), "
                "which is how look-alike names are made"
            )
    return HostForms(ascii_form, unicode_form)


def _hidden_character(ch: str) -> str | None:
    if ch in BIDI_CONTROLS:
        return "a bidirectional control character"
    category = unicodedata.category(ch)
    if ch in INVISIBLE or category in ("Cf", "Co", "Cs", "Cn") or category.startswith("Z"):
        return "an invisible character"
    if category == "Cc":
        return "a control character"
    return None


def _scripts(label: str) -> frozenset[str]:
    """The scripts of the letters in `label` (its marks, digits and punctuation belong to none)."""
    scripts = set()
    for ch in label:
        if not unicodedata.category(ch).startswith("L"):
            continue
        words = unicodedata.name(ch, "UNKNOWN").split()
        script = _SCRIPT_BY_NAME_PREFIX.get(words[0], words[0].title())
        if script is None:
            script = words[1].title() if len(words) > 1 else "Unknown"
        scripts.add(script)
    return frozenset(scripts)
