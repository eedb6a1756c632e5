"""Host names shown to the owner: the ASCII form a browser connects to, the Unicode form it may display,
and the names that cannot be shown honestly at all."""

from __future__ import annotations

import pytest

from auth_gateway.authorization_server.clients.host_names import HostForms, host_forms
from auth_gateway.authorization_server.errors import UnreadableHost


@pytest.mark.parametrize(
    ("host", "forms"),
    [
        ("claude.ai", HostForms("claude.ai", "claude.ai")),
        ("Claude.AI", HostForms("claude.ai", "claude.ai")),
        ("my_host.example", HostForms("my_host.example", "my_host.example")),  # not IDNA, yet real
        ("127.0.0.1", HostForms("127.0.0.1", "127.0.0.1")),
        ("::1", HostForms("::1", "::1")),
        ("부동산.kr", HostForms("xn--2q1b16p8rc.kr", "부동산.kr")),
        ("xn--2q1b16p8rc.kr", HostForms("xn--2q1b16p8rc.kr", "부동산.kr")),
        ("日本語ドメイン.jp", HostForms("xn--eckwd4c7c5976acvb2w6i.jp", "日本語ドメイン.jp")),
        ("부동산mcp.kr", HostForms("xn--mcp-h63m899a6te.kr", "부동산mcp.kr")),  # Latin + Hangul may mix
        ("한국語.kr", HostForms("xn--i42al99dim1a.kr", "한국語.kr")),  # Hangul + Han (한자) may mix
        ("ｃｌａｕｄｅ.ai", HostForms("claude.ai", "claude.ai")),  # full-width letters are plain ASCII
        ("пример.рф", HostForms("xn--e1afmkfd.xn--p1ai", "пример.рф")),  # all Cyrillic: shown, not refused
    ],
)
def test_ascii_and_unicode_forms(host: str, forms: HostForms) -> None:
    assert host_forms(host) == forms


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("\u0441laude.ai", "mixes Cyrillic and Latin letters in one label ('\u0441laude')"),
        ("xn--laude-0ye.ai", "mixes Cyrillic and Latin letters in one label ('\u0441laude')"),
        ("p\u0430ypal.com", "mixes Cyrillic and Latin letters"),
        ("\u03b1pple.com", "mixes Greek and Latin letters"),
        ("\u0440\u0430\u0443\u03b1.com", "mixes Cyrillic and Greek letters"),
        ("한국\u0430.kr", "mixes Cyrillic and Hangul letters"),
        ("cl\u00adaude.ai", "contains an invisible character (U+00AD)"),
        ("claude\u200b.ai", "contains an invisible character (U+200B)"),
        ("clau\u200dde.ai", "contains an invisible character (U+200D)"),
        ("claude\ufe0f.ai", "contains an invisible character (U+FE0F)"),
        ("\u3164.kr", "contains an invisible character (U+3164)"),
        ("evil\u202egro.example", "contains a bidirectional control character (U+202E)"),
        ("a\u200fb.example", "contains a bidirectional control character (U+200F)"),
        ("a\u2066b.example", "contains a bidirectional control character (U+2066)"),
        ("a\x00b.example", "contains a control character (U+0000)"),
        ("\u0301a.example", "not a valid internationalised domain name"),
        ("xn--zz.example", "not a valid internationalised domain name"),
        ("", "empty"),
    ],
)
def test_hosts_that_hide_or_disguise_characters_are_unreadable(host: str, problem: str) -> None:
    with pytest.raises(UnreadableHost) as caught:
        host_forms(host)

    assert problem in caught.value.description


def test_only_an_internationalised_name_differs() -> None:
    assert not host_forms("claude.ai").differs
    assert host_forms("пример.рф").differs
