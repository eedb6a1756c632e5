"""``tools/list`` is a public contract: names, titles, descriptions, schemas and annotations, and size.

Clients cache tool lists and models are prompted with them, so a refactor must not change them by
accident. ``tools_list.json`` is the stored answer; after an intended change, regenerate it with
``.venv/bin/python -m tests.mcp_server.test_tools_list`` and review the diff.

Every client reads the whole list on connecting, so it has a budget: 64 KiB of compact JSON for all
tools (it was 120 KB before ``mcp_server.tool_listing`` slimmed the schemas).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from mcp import Client

from mcp_server.config import Settings
from mcp_server.server import create_server

STORED = Path(__file__).with_name("tools_list.json")
BUDGET_BYTES = 64 * 1024


async def _listed() -> list[dict[str, Any]]:
    settings = Settings(CACHE_PATH="off")  # type: ignore[call-arg]
    async with Client(create_server(settings)) as client:
        tools = (await client.list_tools()).tools
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]


async def test_tools_list_is_unchanged() -> None:
    assert await _listed() == json.loads(STORED.read_text(encoding="utf-8"))


async def test_tools_list_fits_the_budget() -> None:
    listed = await _listed()
    size = len(json.dumps({"tools": listed}, ensure_ascii=False, separators=(",", ":")).encode())
    biggest = sorted(listed, key=lambda tool: -len(json.dumps(tool, ensure_ascii=False)))[:3]
    assert size <= BUDGET_BYTES, (
        f"tools/list is {size} bytes, over the {BUDGET_BYTES}-byte budget; shorten descriptions or "
        f"schemas (largest: {', '.join(tool['name'] for tool in biggest)})"
    )


if __name__ == "__main__":
    STORED.write_text(
        json.dumps(asyncio.run(_listed()), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
