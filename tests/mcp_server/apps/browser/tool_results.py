"""The tool results the views are shown, and how their numbers must read.

Each result is what the real tool produced from the fixture upstream through the SDK's in-memory client,
relayed as JSON the way a host relays it; each view's document is read with ``resources/read`` from the
real server. ``won`` writes 만원 amounts independently of the views' own formatter, so a test compares
the drawn text with numbers it did not take from the view.
"""

from __future__ import annotations

import asyncio
from typing import Any

from mcp import Client

from mcp_server.apps.views import VIEWS
from tests.mcp_server.server_setup import call_tool, server_for
from tests.support.fixture_upstream.server import FixtureUpstream


def won(value: float) -> str:
    """만원 in Korean units, written independently of the view's formatter: 149800 → 14억 9,800만원."""
    eok, rest = divmod(value, 10000)
    man = round(rest, 1)
    man_text = f"{man:,.1f}".removesuffix(".0")
    if eok and man:
        return f"{int(eok):,}억 {man_text}만원"
    return f"{int(eok):,}억원" if eok else f"{man_text}만원"


def tool_result(
    upstream: FixtureUpstream,
    tool: str,
    args: dict[str, Any],
    failing: set[str] | None = None,
    *,
    error: bool = False,
) -> Any:
    """The CallToolResult of a real call, as JSON, the way a host relays it to the view."""
    upstream.failing_months = failing or set()
    try:
        result = asyncio.run(call_tool(upstream, tool, args))
    finally:
        upstream.failing_months = set()
    assert result.is_error is error, result.content
    return result.model_dump(mode="json", by_alias=True, exclude_none=True)


def view_document(upstream: FixtureUpstream, key: str) -> str:
    async def read() -> str:
        async with Client(server_for(upstream)) as client:
            contents = (await client.read_resource(VIEWS[key].uri)).contents
        text = getattr(contents[0], "text", None)
        assert isinstance(text, str)
        return text

    return asyncio.run(read())
