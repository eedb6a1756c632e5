"""get_current_year_month: the Korean month, with the months still filling up named."""

from __future__ import annotations

from datetime import UTC, datetime

from mcp import Client
from mcp.server.mcpserver import MCPServer

from mcp_server.kst import current_year_month_kst
from mcp_server.tools import calendar
from mcp_server.tools.calendar import current_year_month


async def test_tool_reports_the_korean_month_with_structured_output() -> None:
    server = MCPServer("calendar-test")
    calendar.register(server)

    async with Client(server) as client:
        tools = (await client.list_tools()).tools
        before = current_year_month_kst()
        result = await client.call_tool("get_current_year_month", {})
        after = current_year_month_kst()

    (tool,) = tools
    assert tool.annotations is not None
    assert (tool.annotations.read_only_hint, tool.annotations.open_world_hint) == (True, False)
    assert tool.output_schema is not None
    assert not result.is_error
    data = result.structured_content
    assert data is not None
    assert data["year_month"] in {before, after}
    assert data["timezone"] == "Asia/Seoul"
    assert data["year_month"] == f"{data['year']}{data['month']:02d}"
    assert "30 days" in data["note"]


def test_answer_just_after_midnight_in_seoul_on_new_year() -> None:
    answer = current_year_month(datetime(2025, 12, 31, 15, 30, tzinfo=UTC))

    assert answer.year_month == "202601"
    assert (answer.year, answer.month, answer.today) == (2026, 1, "2026-01-01")
    assert answer.previous_year_month == "202512"
    assert answer.complete_year_month == "202511"
