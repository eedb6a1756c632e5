"""The four chart views: one self-contained HTML document each, served as ``ui://real-estate/…``.

Each document is assembled once, on first use, from ``static/``: the page template, the shared style and
script (``app.css``, ``app.js``: the view side of the MCP Apps protocol, Korean number formatting, DOM,
tooltip and table helpers) and the view's scripts (``month_chart.js`` is shared by trend and comparison).
Everything is inline, so the document needs no network at all: its own Content-Security-Policy allows
nothing else, and the resource's ``_meta.ui.csp`` tells the host it needs no connect, resource or frame
domains. Why the protocol layer is ours and not the bundled ``@modelcontextprotocol/
ext-apps`` client: docs/architecture.md, "Charts in the conversation".
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.resources import TextResource

__all__ = ["MCP_APP_MIME_TYPE", "VIEWS", "View", "register_views", "tool_meta", "view_html"]

MCP_APP_MIME_TYPE = "text/html;profile=mcp-app"
# No origin outside the document itself: no fetch/XHR/WebSocket, no images, fonts or scripts from afar.
NO_EXTERNAL_DOMAINS: dict[str, list[str]] = {"connectDomains": [], "resourceDomains": [], "frameDomains": []}


@dataclass(frozen=True)
class View:
    key: str
    title: str
    description: str
    scripts: tuple[str, ...]  # files in static/, after app.js, in order

    @property
    def uri(self) -> str:
        return f"ui://real-estate/{self.key}"


VIEWS: dict[str, View] = {
    view.key: view
    for view in (
        View(
            "trend",
            "가격 추이 차트",
            "Median price per month as a line over deal counts (get_price_trend).",
            ("month_chart.js", "trend.js"),
        ),
        View(
            "comparison",
            "지역 비교 차트",
            "One line per region, or bars for one month (compare_regions).",
            ("month_chart.js", "comparison.js"),
        ),
        View(
            "jeonse-ratio",
            "전세가율 차트",
            "전세가율 per complex and area type, sorted (get_jeonse_ratio).",
            ("jeonse_ratio.js",),
        ),
        View(
            "complex",
            "단지 요약 차트",
            "Prices per area type and the latest deals (get_complex_summary).",
            ("complex.js",),
        ),
    )
}


def _static(name: str) -> str:
    return files("mcp_server.apps").joinpath("static", name).read_text(encoding="utf-8")


@cache
def view_html(key: str) -> str:
    """The whole document of one view, its style and scripts inline.

    The document's own Content-Security-Policy allows exactly its inline style and scripts (by hash) and
    nothing from anywhere: even a host that set no policy of its own would run no injected script and
    make no request for the view."""
    view = VIEWS[key]
    style = _static("app.css")
    scripts = [_static(name) for name in ("app.js", *view.scripts)]
    csp = "; ".join(
        (
            "default-src 'none'",
            f"style-src {_hash(style)}",
            "script-src " + " ".join(_hash(script) for script in scripts),
        )
    )
    page = _static("page.html")
    for placeholder, text in (
        ("{{csp}}", csp),
        ("{{title}}", view.title),
        ("{{style}}", style),
        ("{{scripts}}", "\n".join(f"<script>{script}</script>" for script in scripts)),
    ):
        if placeholder not in page:
            raise RuntimeError(f"static/page.html lost its {placeholder} placeholder")
        page = page.replace(placeholder, text, 1)
    return page


def _hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def tool_meta(key: str) -> dict[str, Any]:
    """``_meta`` for a tool drawn by view ``key``."""
    return {"ui": {"resourceUri": VIEWS[key].uri}}


def register_views(server: MCPServer[Any]) -> None:
    """Add every view as a resource (listed by ``resources/list``, served by ``resources/read``)."""
    for view in VIEWS.values():
        server.add_resource(
            TextResource(
                uri=view.uri,
                name=view.key,
                title=view.title,
                description=view.description,
                mime_type=MCP_APP_MIME_TYPE,
                text=view_html(view.key),
                meta={"ui": {"csp": NO_EXTERNAL_DOMAINS, "prefersBorder": True}},
            )
        )
