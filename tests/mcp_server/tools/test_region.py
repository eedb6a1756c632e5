"""get_region_code through the SDK's in-memory client, as ChatGPT or Claude would call it."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer

from mcp_server.regions.index.lookup import RegionIndex
from mcp_server.tools import region


@pytest.fixture
def server() -> MCPServer:
    server = MCPServer("region-test")
    region.register(server, RegionIndex.load_bundled())
    return server


async def resolved(server: MCPServer, query: str) -> dict[str, Any]:
    """get_region_code's structured answer for ``query``; the test fails on a tool error."""
    async with Client(server) as client:
        result = await client.call_tool("get_region_code", {"query": query})
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def test_tool_is_listed_read_only_closed_world_with_an_output_schema(server: MCPServer) -> None:
    async with Client(server) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}

    tool = tools["get_region_code"]
    assert tool.annotations is not None
    assert tool.annotations.read_only_hint is True
    assert tool.annotations.open_world_hint is False
    assert tool.output_schema is not None
    assert {"region_code", "full_name", "matches", "status"} <= set(tool.output_schema["properties"])
    assert "description" in tool.input_schema["properties"]["query"]


async def test_resolves_a_district_with_structured_output(server: MCPServer) -> None:
    found = await resolved(server, "서울 마포구")

    assert found["region_code"] == "11440"
    assert found["full_name"] == "서울특별시 마포구"
    assert found["snapshot"]["retrieved_at"] == "2026-10-08"


async def test_ambiguous_name_lists_candidates(server: MCPServer) -> None:
    found = await resolved(server, "성남시")

    assert found["status"] == "ambiguous"
    assert found["region_code"] is None
    assert [m["code"] for m in found["matches"]] == ["41131", "41133", "41135"]


@pytest.mark.parametrize(("query", "says"), [("없는곳", "No current 시군구"), ("  ", "query is empty")])
async def test_unknown_or_empty_query_is_a_tool_error_saying_what_to_send(
    server: MCPServer, query: str, says: str
) -> None:
    async with Client(server) as client:
        result = await client.call_tool("get_region_code", {"query": query})

    assert result.is_error
    text = result.content[0].text  # type: ignore[union-attr]
    assert says in text
    assert "마포구" in text
