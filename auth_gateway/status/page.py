"""The status page at ``/``: is the server healthy, and what does a user paste into ChatGPT or Claude.

Rendered by the gateway from its own settings (sign-in paths) plus the MCP server's internal JSON
(``GET /internal/status`` on the compose network, mcp_server/status.py: keys configured or not, today's
upstream requests per service against the daily quota, the cache), so Caddy proxies only ``/`` and
``/status.json`` here and never exposes the MCP server's endpoint. Server-rendered, Korean first with
English beside it, and complete without JavaScript; the one script (a hash in the CSP) only makes the
copy button write to the clipboard, and without it the button reloads the page with the address field
focused and a Ctrl+A, Ctrl+C hint. It shows no secret, no user and no client: nothing a visitor could use.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

from auth_gateway.config import GatewaySettings
from auth_gateway.status.report import StatusReport, gateway_version
from auth_gateway.web.html_document import html_document

__all__ = ["CONTENT_SECURITY_POLICY", "render_status_page"]

# Share of the daily quota from which the page (and verify-deployment) warns.
QUOTA_WARN_SHARE = 0.8

ERROR_KINDS = {
    "quota": "할당량 초과 · quota",
    "auth": "키 거절 · key refused",
    "timeout": "시간 초과 · timeout",
    "unavailable": "일시 장애 · unavailable",
    "request": "요청 거절 · request refused",
    "response": "읽을 수 없는 응답 · unreadable answer",
    "other": "기타 · other",
}

COPY_SCRIPT = """
document.getElementById("copy").addEventListener("click", function (event) {
  var field = document.getElementById("mcp-url");
  var copied = document.getElementById("copied");
  event.preventDefault();
  field.focus();
  field.select();
  var shown = function () { copied.hidden = false; };
  var fallback = function () { document.execCommand("copy"); shown(); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(shown, fallback);
  } else {
    fallback();
  }
});
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(COPY_SCRIPT.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

STYLE = """
:root { color-scheme: light dark; --accent: #2f6fdf; --muted: #6b7280; --line: #d9dde5;
  --ok: #1d7a46; --bad: #b42318; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Apple SD Gothic Neo",
  "Noto Sans KR", "NanumGothic", "Malgun Gothic", sans-serif; background: #f3f5f9; color: #1f2430; }
main { width: min(860px, calc(100vw - 24px)); margin: 24px auto; }
section { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 16px 20px;
  margin: 0 0 14px; }
h1 { font-size: 1.4rem; margin: 0 0 14px; }
h2 { font-size: 1.05rem; margin: 0 0 10px; }
.en { color: var(--muted); font-size: .9em; font-weight: 400; }
ul { margin: 0; padding-left: 1.1em; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
.copy { display: flex; gap: 8px; }
.copy input { flex: 1; font: 1rem ui-monospace, monospace; padding: 8px 10px; border: 1px solid #b9c0cc;
  border-radius: 8px; }
.copy button { font-size: 1rem; font-weight: 600; padding: 8px 14px; border: 0; border-radius: 8px;
  background: var(--accent); color: #fff; cursor: pointer; }
.hint { margin: 8px 0 0; color: var(--muted); font-size: .9rem; }
table { width: 100%; border-collapse: collapse; font-size: .93rem; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
footer { color: var(--muted); font-size: .85rem; text-align: center; margin: 8px 0 24px; }
@media (prefers-color-scheme: dark) {
  body { background: #14171d; color: #e6e8ee; }
  section { background: #1c2029; border-color: #2c3340; }
  .copy input { background: #14171d; color: #e6e8ee; border-color: #3a4252; }
}
"""


# ---- HTML ------------------------------------------------------------------------------------------


def _yes(ok: bool, yes: str, no: str, *, bad_when_no: bool = True) -> str:
    if ok:
        return f'<span class="ok">✓ {yes}</span>'
    return f'<span class="{"bad" if bad_when_no else "en"}">✗ {no}</span>'


def _components(report: StatusReport) -> str:
    mcp = report.mcp
    mcp_line = (
        _yes(True, "MCP 서버 응답 <span class=en>MCP server up</span>", "")
        if mcp is not None
        else _yes(
            False,
            "",
            "MCP 서버가 응답하지 않습니다 <span class=en>MCP server not answering</span> "
            f"<small>({escape(report.mcp_problem or '')})</small>",
        )
    )
    caddy = (
        _yes(True, "Caddy가 이 페이지를 전달했습니다 <span class=en>Caddy served this page</span>", "")
        if report.via_caddy
        else '<span class="en">Caddy: 거치지 않은 요청 · not through Caddy</span>'
    )
    gateway = _yes(True, "인증 게이트웨이 응답 <span class=en>auth gateway up</span>", "")
    return (
        "<section><h2>구성 요소 <span class=en>Components</span></h2><ul>"
        f"<li>{caddy}</li><li>{gateway}</li><li>{mcp_line}</li></ul></section>"
    )


def _mcp_url(report: StatusReport, copy_requested: bool) -> str:
    url = escape(report.mcp_url)
    hint = (
        '<p class="hint" id="copy-hint"><strong>주소 칸에 커서가 있습니다: Ctrl+A, Ctrl+C (Mac ⌘A, ⌘C)로 '
        "복사하세요.</strong> <span class=en>The address field has the focus: press Ctrl+A, then Ctrl+C "
        "(⌘A, ⌘C on a Mac) to copy it.</span></p>"
        if copy_requested
        else '<p class="hint">ChatGPT 앱 · Claude 커넥터에 이 주소를 붙여 넣으세요. '
        "<span class=en>Paste this into a ChatGPT app or a Claude connector.</span></p>"
    )
    autofocus = " autofocus" if copy_requested else ""
    return (
        "<section><h2>MCP 주소 <span class=en>MCP URL</span></h2>"
        '<form class="copy" method="get" action="/">'
        f'<input id="mcp-url" type="text" readonly value="{url}" aria-label="MCP URL"{autofocus}>'
        '<input type="hidden" name="copy" value="1">'
        '<button id="copy" type="submit">복사 <span lang="en">Copy</span></button></form>'
        '<p class="hint ok" id="copied" hidden>복사했습니다 <span class=en>Copied</span></p>'
        f"{hint}</section>"
    )


def _sign_in(settings: GatewaySettings) -> str:
    if not settings.oauth:
        body = (
            '<p><span class="warn">AUTH_MODE=none</span>: 토큰 없이 누구나 쓸 수 있습니다 '
            "<span class=en>anyone who reaches this address can use it without a token</span></p>"
        )
    else:
        issuer = settings.issuer
        items = [
            _yes(
                settings.has_client_credentials,
                ".env의 클라이언트 (OAUTH_CLIENT_ID) <span class=en>the .env client</span>",
                ".env의 클라이언트 꺼짐 <span class=en>.env client off</span>",
                bad_when_no=False,
            ),
            _yes(
                settings.owner_login,
                "소유자 로그인 (OWNER_PASSWORD_HASH) <span class=en>owner login</span>",
                "소유자 로그인 꺼짐 <span class=en>owner login off</span>",
                bad_when_no=False,
            ),
            _yes(
                issuer is not None,
                f"Auth0/OIDC 발급자 <span class=en>issuer</span> <code>{escape(issuer or '')}</code>",
                "Auth0/OIDC 발급자 없음 <span class=en>no Auth0/OIDC issuer</span>",
                bad_when_no=False,
            ),
        ]
        body = "<p><span class=ok>AUTH_MODE=oauth</span></p><ul>" + "".join(
            f"<li>{item}</li>" for item in items
        )
        body += "</ul>"
    return f"<section><h2>로그인 방법 <span class=en>Sign-in</span></h2>{body}</section>"


def _keys(mcp: dict[str, Any] | None) -> str:
    if mcp is None:
        body = (
            "<p class=en>MCP 서버가 응답하지 않아 알 수 없습니다 · unknown while the MCP server is down</p>"
        )
    else:
        keys = mcp.get("keys") or {}
        body = (
            "<ul><li>"
            + _yes(
                bool(keys.get("data_go_kr")),
                "data.go.kr 키 설정됨 <span class=en>data.go.kr key configured</span>",
                "data.go.kr 키가 없습니다: DATA_GO_KR_API_KEY를 설정하세요 "
                "<span class=en>no data.go.kr key: set DATA_GO_KR_API_KEY</span>",
            )
            + "</li><li>"
            + _yes(
                bool(keys.get("odcloud")),
                "청약홈 키 설정됨 <span class=en>청약홈 (odcloud) key configured</span>",
                "청약홈 키가 없습니다 <span class=en>no 청약홈 (odcloud) key</span>",
            )
            + "</li></ul>"
        )
    return f"<section><h2>데이터 키 <span class=en>Data key</span></h2>{body}</section>"


def _kst_time(iso: str | None) -> str:
    """'2026-12-02T20:15:03+09:00' → '20:15:03 KST' (the day is the page's day)."""
    if not iso or "T" not in iso:
        return "—"
    return escape(iso.split("T", 1)[1][:8]) + " KST"


def _upstream(mcp: dict[str, Any] | None) -> str:
    title = "<h2>오늘의 외부 요청 <span class=en>Upstream requests today</span></h2>"
    if mcp is None:
        return f"<section>{title}<p class=en>—</p></section>"
    quota = int(mcp.get("daily_quota") or 0)
    resets = escape(str(mcp.get("quota_resets_at", ""))[:16].replace("T", " "))  # "2026-12-03 00:00"
    intro = (
        f"<p class=hint>{escape(str(mcp.get('day', '')))} (KST) · 하루 할당량 서비스당 {quota:,}건, "
        f"{resets} KST에 초기화 <span class=en>daily quota {quota:,} per service, resets at midnight "
        "KST</span></p>"
    )
    rows = mcp.get("upstream") or []
    if not rows:
        return (
            f"<section>{title}{intro}<p>오늘은 아직 외부 요청이 없습니다 "
            "<span class=en>no upstream requests yet today</span></p></section>"
        )
    body = []
    for row in rows:
        requests = int(row.get("requests", 0))
        share = requests / quota if quota else 0.0
        used = f"{requests:,} / {quota:,} ({share:.0%})"
        used_class = "bad" if share >= 1 else "warn" if share >= QUOTA_WARN_SHARE else ""
        errors = row.get("errors") or {}
        error_text = ", ".join(f"{escape(ERROR_KINDS.get(k, k))} {int(n)}" for k, n in errors.items()) or "—"
        body.append(
            f"<tr><td>{escape(str(row.get('service', '')))}</td>"
            f'<td class="num {used_class}">{used}</td>'
            f"<td class=num>{int(row.get('answered', 0)):,}</td>"
            f"<td>{error_text}</td><td class=num>{_kst_time(row.get('last_error_at'))}</td></tr>"
        )
    head = (
        "<tr><th>서비스 <span class=en>service</span></th>"
        "<th>요청/할당량 <span class=en>requests/quota</span></th>"
        "<th>응답 <span class=en>answered</span></th><th>오류 <span class=en>errors</span></th>"
        "<th>마지막 오류 <span class=en>last error</span></th></tr>"
    )
    return f"<section>{title}{intro}<table>{head}{''.join(body)}</table></section>"


def _cache(mcp: dict[str, Any] | None) -> str:
    title = "<h2>캐시 <span class=en>Cache</span></h2>"
    cache = (mcp or {}).get("cache")
    if not isinstance(cache, dict):
        return f"<section>{title}<p class=en>—</p></section>"
    if not cache.get("enabled"):
        return f"<section>{title}<p>꺼짐 (CACHE_PATH=off) <span class=en>off</span></p></section>"
    rate = cache.get("hit_rate_today")
    rate_text = f"{rate:.0%}" if isinstance(rate, int | float) else "—"
    size_mb = int(cache.get("bytes", 0)) / 1_000_000
    return (
        f"<section>{title}<ul><li>저장된 월 데이터 <span class=en>months stored</span>: "
        f"{int(cache.get('months', 0)):,} ({size_mb:.1f} MB)</li>"
        f"<li>오늘 적중률 <span class=en>hit rate today</span>: {rate_text} "
        f"({int(cache.get('hits_today', 0)):,} / "
        f"{int(cache.get('hits_today', 0)) + int(cache.get('misses_today', 0)):,})</li></ul></section>"
    )


def render_status_page(report: StatusReport, *, copy_requested: bool = False) -> str:
    mcp = report.mcp
    versions = f"auth gateway {escape(gateway_version())}"
    if mcp is not None:
        versions += f" · MCP server {escape(str(mcp.get('version', '?')))}"
    body = "".join(
        (
            "<h1>real-estate-mcp 상태 <span class=en>Status</span></h1>",
            _components(report),
            _mcp_url(report, copy_requested),
            _sign_in(report.settings),
            _keys(mcp),
            _upstream(mcp),
            _cache(mcp),
        )
    )
    return html_document(
        "상태 · Status",
        f"{body}\n<footer>real-estate-mcp · {versions}</footer>",
        style=STYLE,
        head='\n  <meta name="robots" content="noindex">',
        after_main=f"\n<script>{COPY_SCRIPT}</script>",
    )
