"""The owner login page: server-rendered HTML, Korean and English, no JavaScript needed.

Everything shown that came from a request or a client (its name, its redirect URI, the hidden
authorization parameters) is HTML-escaped here, in one place. Refusals use the authorization
endpoint's own error page (authorization_request.py). The page names the client as it
calls itself and, more importantly, the host the browser will be sent to with the code, which is
what the owner should check. That host is shown in its ASCII (punycode) form, the name the browser
really connects to; where a browser would display it differently (an internationalised name, perhaps a
look-alike such as `сlaude.ai` with a Cyrillic `с`), the Unicode form stands beside it with a plain
warning in Korean and English (auth_gateway/authorization_server/clients/host_names.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from urllib.parse import urlsplit

from auth_gateway.authorization_server.clients.host_names import host_forms
from auth_gateway.authorization_server.clients.self_registered import SelfRegisteredClient
from auth_gateway.authorization_server.errors import UnreadableHost
from auth_gateway.web.html_document import html_document

__all__ = ["CONTENT_SECURITY_POLICY", "login_page"]

# No scripts at all; styles only inline; the page may not be framed (clickjacking). No form-action:
# browsers apply it to the redirect after the post, which goes to the client's own host.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
)

STYLE = """
:root { color-scheme: light dark; --accent: #2f6fdf; --muted: #6b7280; --line: #d9dde5; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Apple SD Gothic Neo", "Noto Sans KR",
  "Malgun Gothic", sans-serif; background: #f3f5f9; color: #1f2430; }
main { width: min(440px, calc(100vw - 32px)); background: #fff; border: 1px solid var(--line);
  border-radius: 14px; padding: 28px 28px 22px; box-shadow: 0 8px 30px rgba(20, 30, 60, .08); }
h1 { font-size: 1.3rem; margin: 0 0 4px; }
.en { color: var(--muted); font-size: .92em; }
.lead { margin: 12px 0 18px; }
dl { margin: 0 0 18px; padding: 12px 14px; background: #f7f8fb; border-radius: 10px;
  border: 1px solid var(--line); }
dt { font-size: .8rem; color: var(--muted); margin-top: 6px; }
dt:first-child { margin-top: 0; }
dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
dd small { font-weight: 400; color: var(--muted); }
.lookalike { display: block; margin-top: 6px; padding: 8px 10px; border-radius: 8px; font-weight: 400;
  background: #fff4e5; color: #7a4100; border: 1px solid #f3cf99; }
label { display: block; font-weight: 600; margin-bottom: 6px; }
label[for=password] { margin-top: 12px; }
input[type=password], input[type=text] { width: 100%; font-size: 1rem; padding: 10px 12px;
  border: 1px solid #b9c0cc; border-radius: 8px; }
input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
button { margin-top: 14px; width: 100%; font-size: 1rem; font-weight: 600; padding: 11px; border: 0;
  border-radius: 8px; background: var(--accent); color: #fff; cursor: pointer; }
.alert { margin: 0 0 16px; padding: 10px 12px; border-radius: 8px; background: #fdecec;
  color: #8a1c1c; border: 1px solid #f5c2c2; }
.note { margin: 18px 0 0; font-size: .85rem; color: var(--muted); }
@media (prefers-color-scheme: dark) {
  body { background: #14171d; color: #e6e8ee; }
  main { background: #1c2029; border-color: #2c3340; box-shadow: none; }
  dl { background: #232834; border-color: #2c3340; }
  input[type=password], input[type=text] { background: #14171d; color: #e6e8ee; border-color: #3a4252; }
  .alert { background: #3a1d1d; color: #ffc9c9; border-color: #5c2a2a; }
  .lookalike { background: #3a2a12; color: #ffd9a0; border-color: #5c4420; }
}
"""


def login_page(
    client: SelfRegisteredClient,
    redirect_uri: str,
    hidden: Mapping[str, str],
    *,
    error: str | None = None,
    ask_name: bool = False,
) -> str:
    """The password form. `hidden` holds the authorization parameters and the form token. `ask_name`:
    someone besides the owner has an account, so the form asks who is signing in."""
    name = escape(client.client_name)
    fields = "\n".join(
        f'    <input type="hidden" name="{escape(key)}" value="{escape(value)}">'
        for key, value in hidden.items()
    )
    alert = f'  <p class="alert" role="alert">{escape(error)}</p>\n' if error else ""
    focus = "" if ask_name else " autofocus"  # the name field takes the focus when there is one
    return _document(
        "연결 승인 / Approve a connection",
        f"""  <h1>연결 승인 <span class="en">/ Approve a connection</span></h1>
  <p class="lead"><strong>{name}</strong>이(가) 이 서버의 부동산 도구를 사용하려고 합니다.<br>
    <span class="en"><strong>{name}</strong> wants to use the real-estate tools on this server.</span></p>
  <dl>
    <dt>클라이언트 / Client</dt>
    <dd>{name} <small>{_provenance(client)}</small></dd>
    <dt>승인 후 이동할 곳 / You will be sent to</dt>
    <dd>{_destination(redirect_uri)}</dd>
  </dl>
{alert}  <form method="post" action="/oauth/authorize">
{fields}
{_NAME_FIELD if ask_name else ""}    <label for="password">비밀번호 <span class="en">/ Password</span></label>
    <input id="password" name="password" type="password" autocomplete="current-password" required{focus}>
    <button type="submit">승인 / Approve</button>
  </form>
  <p class="note">{_WHO_MAY_APPROVE[ask_name]}</p>""",
    )


_NAME_FIELD = """    <label for="username">이름 <span class="en">/ Name</span></label>
    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
      spellcheck="false" maxlength="32" required autofocus>
"""
_WHO_MAY_APPROVE = {
    False: "이 서버의 소유자만 승인할 수 있습니다. 직접 시작한 연결이 아니면 이 창을 닫으세요.<br>\n"
    "    Only the owner of this server can approve. If you did not start this, close this window.",
    True: "이 서버에 계정이 있는 사람만 승인할 수 있습니다 (소유자의 이름은 owner). "
    "직접 시작한 연결이 아니면 이 창을 닫으세요.<br>\n"
    "    Only people with an account on this server can approve (the owner's name is owner). "
    "If you did not start this, close this window.",
}


def _provenance(client: SelfRegisteredClient) -> str:
    if client.source == "metadata document":
        host = escape(_host_of(client.client_id))
        return f"(문서 확인됨 / described by {host})"
    return "(스스로 등록한 이름 / name given by the client itself)"


def _destination(redirect_uri: str) -> str:
    """The redirect host as HTML: its ASCII form, and its Unicode form with a warning where they differ."""
    try:
        parts = urlsplit(redirect_uri)
        port = parts.port
        forms = host_forms(parts.hostname or "")
    except (ValueError, UnreadableHost):  # refused before a page is shown; never shown raw regardless
        return escape(ascii(redirect_uri)[1:-1][:200])
    shown = escape(_with_port(forms.ascii, port))
    if not forms.differs:
        return shown
    unicode_form = escape(_with_port(forms.unicode, port))
    return (
        f'{shown}\n    <span class="lookalike" role="note" lang="ko">주의: 이 주소는 브라우저에서 '
        f"<bdi>{unicode_form}</bdi>(으)로 보일 수 있습니다. 알고 있는 주소와 글자 하나하나가 같은지 "
        f"확인하세요. 다르면 승인하지 마세요.<br>\n    "
        f'<span class="en" lang="en">Warning: browsers may show this address as <bdi>{unicode_form}</bdi>. '
        "It contains non-ASCII characters: check it letter by letter against the address you expect, "
        "and do not approve if it differs.</span></span>"
    )


def _with_port(host: str, port: int | None) -> str:
    literal = f"[{host}]" if ":" in host else host
    return f"{literal}:{port}" if port else literal


def _host_of(uri: str) -> str:
    try:
        parts = urlsplit(uri)
        return _with_port(host_forms(parts.hostname or "").ascii, parts.port)
    except (ValueError, UnreadableHost):
        return ascii(uri)[1:-1][:200]


def _document(title: str, body: str) -> str:
    return html_document(title, body, style=STYLE)
