"""``get_current_year_month``: the Korean current month, so the model asks MOLIT for the right month."""

from __future__ import annotations

from datetime import datetime

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from mcp_server.kst import TIMEZONE_NAME, current_year_month_kst, now_kst, previous_year_month
from mcp_server.tools.registry import tool

__all__ = ["CurrentYearMonth", "current_year_month", "register"]

LATE_REPORTING_NOTE = (
    "Deals must be reported within 30 days of the contract, so the current month and the previous one "
    "are still incomplete: counts and prices for them will grow. For a complete month use "
    "complete_year_month or earlier."
)


class CurrentYearMonth(BaseModel):
    year_month: str = Field(description="Current month in Korea, YYYYMM (the year_month argument format)")
    year: int
    month: int
    today: str = Field(description="Today's date in Korea, YYYY-MM-DD")
    timezone: str = Field(description="Always Asia/Seoul (KST, UTC+09:00)")
    previous_year_month: str = Field(description="The month before year_month, YYYYMM")
    complete_year_month: str = Field(description="Latest month whose 30-day reporting window has closed")
    note: str


def current_year_month(now: datetime | None = None) -> CurrentYearMonth:
    """Build the answer for ``now`` (default: the clock); separate from the tool to test any instant."""
    now = now_kst(now)
    year_month = current_year_month_kst(now)
    previous = previous_year_month(year_month)
    return CurrentYearMonth(
        year_month=year_month,
        year=now.year,
        month=now.month,
        today=now.date().isoformat(),
        timezone=TIMEZONE_NAME,
        previous_year_month=previous,
        complete_year_month=previous_year_month(previous),
        note=LATE_REPORTING_NOTE,
    )


def register(server: MCPServer) -> None:
    """Add ``get_current_year_month`` to ``server``."""

    @tool(
        server,
        name="get_current_year_month",
        title="Current year and month (KST)",
        annotations=ToolAnnotations(readOnlyHint=True, openWorldHint=False, idempotentHint=False),
    )
    def get_current_year_month() -> CurrentYearMonth:
        """Current year-month in Korean time (YYYYMM) for "this month", "last month", "최근" questions.

        Call it before choosing year_month for the 실거래가 tools instead of guessing the date. Recent
        months are incomplete because deals are reported up to 30 days after the contract.
        """
        return current_year_month()
