"""The chart views as MCP sees them: tool ``_meta``, ``resources/list`` and ``resources/read`` over the
in-memory client, streamable HTTP (real uvicorn) and stdio (a real ``python -m mcp_server`` process).

What the views draw is tested in a real browser: tests/mcp_server/apps/browser/.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from mcp_server.apps.views import MCP_APP_MIME_TYPE, VIEWS, view_html
from mcp_server.server import create_http_app
from tests.mcp_server.server_setup import server_for, settings_for
from tests.mcp_server.test_main import server_env
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.uvicorn_thread import serve_in_thread

STATIC = Path(__file__).resolve().parents[3] / "mcp_server" / "apps" / "static"
DRAWN_BY = {
    "get_price_trend": "ui://real-estate/trend",
    "compare_regions": "ui://real-estate/comparison",
    "get_jeonse_ratio": "ui://real-estate/jeonse-ratio",
    "get_complex_summary": "ui://real-estate/complex",
}
SIZE_LIMIT = 150 * 1024


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def check_served_views(client: Client) -> None:
    """What any client sees, whatever the transport."""
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    for name, uri in DRAWN_BY.items():
        assert tools[name].meta == {"ui": {"resourceUri": uri}}
    assert all(tool.meta is None for name, tool in tools.items() if name not in DRAWN_BY)

    listed = {str(resource.uri): resource for resource in (await client.list_resources()).resources}
    assert set(listed) == set(DRAWN_BY.values())
    for uri, resource in listed.items():
        assert resource.mime_type == MCP_APP_MIME_TYPE
        assert resource.meta is not None
        assert resource.meta["ui"]["csp"] == {"connectDomains": [], "resourceDomains": [], "frameDomains": []}
        contents = (await client.read_resource(uri)).contents
        assert len(contents) == 1
        assert contents[0].mime_type == MCP_APP_MIME_TYPE
        assert contents[0].meta == resource.meta
        text = getattr(contents[0], "text", "")
        assert text.startswith("<!doctype html>")
        assert text == view_html(uri.removeprefix("ui://real-estate/"))


async def test_the_range_tools_name_their_views_and_the_views_are_served(upstream: FixtureUpstream) -> None:
    async with Client(server_for(upstream)) as client:
        await check_served_views(client)


async def test_views_are_listed_and_read_over_streamable_http(upstream: FixtureUpstream) -> None:
    with serve_in_thread(create_http_app(settings_for(upstream))) as base_url:
        async with (
            httpx2.AsyncClient(timeout=30) as http,
            Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
        ):
            await check_served_views(client)


async def test_views_are_listed_and_read_over_stdio(upstream: FixtureUpstream, tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_server"], env=server_env(upstream), cwd=str(tmp_path)
    )
    with (tmp_path / "stderr.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            await check_served_views(client)


async def test_the_text_result_is_unchanged_by_the_view(upstream: FixtureUpstream) -> None:
    """Hosts without MCP Apps show the text: it is still the whole result, as compact JSON."""
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202302"}
    async with Client(server_for(upstream)) as client:
        result = await client.call_tool("get_price_trend", args)
    assert len(result.content) == 1
    assert result.content[0].type == "text"
    assert result.content[0].text.startswith('{"start_month":"202301"')
    assert result.structured_content is not None
    assert result.structured_content["region_code"] == "11440"


@pytest.mark.parametrize("key", sorted(VIEWS))
def test_each_view_is_one_small_document_that_fetches_nothing(key: str) -> None:
    html = view_html(key)
    assert len(html.encode()) < SIZE_LIMIT
    # No reference that makes a browser fetch: no src/href attributes, no CSS url() or @import. The one
    # URL in the document is the SVG namespace, which is a name, not a request.
    assert re.findall(r"\b(?:src|href)\s*=", html) == []
    assert "url(" not in html
    assert "@import" not in html
    assert set(re.findall(r"https?://[^\s\"')]+", html)) == {"http://www.w3.org/2000/svg"}


@pytest.mark.parametrize("key", sorted(VIEWS))
def test_the_document_policy_allows_its_own_scripts_and_nothing_else(key: str) -> None:
    html = view_html(key)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert len(scripts) >= 2
    assert len(styles) == 1
    assert directives["script-src"].split() == [sha256(script) for script in scripts]
    assert directives["style-src"].split() == [sha256(style) for style in styles]


def sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


@pytest.mark.parametrize("path", sorted(STATIC.glob("*.js")), ids=lambda p: p.name)
def test_view_scripts_never_parse_strings_as_markup(path: Path) -> None:
    """Every string from a result reaches the page through textContent or text nodes."""
    source = path.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, f"{path.name} uses {sink}"
    assert not re.search(r"setAttribute\(\s*[\"']style", source), "inline style attributes break the CSP"


def test_a_missing_placeholder_is_a_start_up_error(monkeypatch: pytest.MonkeyPatch) -> None:
    original: Any = view_html.__wrapped__
    monkeypatch.setattr("mcp_server.apps.views._static", lambda name: "<html></html>")
    with pytest.raises(RuntimeError, match="placeholder"):
        original("trend")
