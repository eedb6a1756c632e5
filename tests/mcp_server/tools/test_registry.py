"""tools.registry: our errors reach the client as ToolError text, with the configured secrets removed;
model results as compact text next to the same structured content."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

from mcp_server.errors import InvalidArgumentError, UpstreamResponseError
from mcp_server.tools.registry import tool, translating
from mcp_server.upstream.redaction import Redactor


def _raising(exc: Exception) -> None:
    raise exc


def test_our_errors_become_tool_errors_with_their_message() -> None:
    with pytest.raises(ToolError, match="region_code must be"):
        translating(_raising)(InvalidArgumentError("region_code must be 5 digits"))


async def test_async_tools_are_translated_too() -> None:
    async def tool() -> None:
        raise InvalidArgumentError("year_month must be YYYYMM")

    with pytest.raises(ToolError, match="year_month must be"):
        await translating(tool)()


def test_a_message_quoting_a_secret_is_redacted_on_the_way_out() -> None:
    redact = Redactor(["secret-for-tool-errors-test"])
    with pytest.raises(ToolError) as caught:
        translating(_raising, redact)(
            UpstreamResponseError(
                "svc answered 'bad key secret-for-tool-errors-test at /x?serviceKey=abc'", service="svc"
            )
        )
    assert "secret-for-tool-errors-test" not in str(caught.value)
    assert "serviceKey=abc" not in str(caught.value)


def test_other_exceptions_are_left_to_the_sdk() -> None:
    with pytest.raises(ZeroDivisionError):
        translating(_raising)(ZeroDivisionError())


class _Answer(BaseModel):
    name: str
    values: list[int]


async def test_model_results_reach_the_client_as_compact_text_and_unchanged_structure() -> None:
    server = MCPServer(name="t")

    @tool(server, name="answer")
    def answer() -> _Answer:
        return _Answer(name="마포구", values=[1, 2])

    async with Client(server) as client:
        result = await client.call_tool("answer", {})
    assert result.structured_content == {"name": "마포구", "values": [1, 2]}
    assert result.content[0].text == '{"name":"마포구","values":[1,2]}'  # type: ignore[union-attr]
