"""``get_region_code``: free-text place name → the 5-digit 시군구 code the 실거래가 tools take."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from mcp_server.errors import InvalidArgumentError
from mcp_server.regions.index.lookup import RegionIndex
from mcp_server.regions.index.resolution import RegionResolution
from mcp_server.tools.registry import tool

__all__ = ["register"]


def register(server: MCPServer, index: RegionIndex) -> None:
    """Add ``get_region_code`` to ``server``, answering from ``index`` (no upstream call)."""

    @tool(
        server,
        name="get_region_code",
        title="Region code (법정동 시군구 코드)",
        annotations=ToolAnnotations(readOnlyHint=True, openWorldHint=False, idempotentHint=True),
    )
    def get_region_code(
        query: Annotated[
            str,
            Field(
                description=(
                    "Place name in Korean: 시군구 ('마포구', '분당'), 시도+시군구 ('서울 마포구', "
                    "'경기 성남시 분당구'), or 법정동 ('공덕동'). Spacing and short forms "
                    "(서울/서울시/서울특별시) are fine. A 5-digit or 10-digit code is checked too."
                ),
            ),
        ],
    ) -> RegionResolution:
        """Find the 5-digit 시군구 code (region_code) for a Korean place name, e.g. 마포구 → 11440.

        Use it before any 실거래가 tool. status 'resolved' gives region_code; 'ambiguous' lists matches
        (e.g. 중구 exists in several cities, 성남시 is split into 구): pick the one the user meant or ask.
        For a 시 that has 구 the data is per 구. notes explain renamed or abolished regions (강원도 →
        강원특별자치도, 인천 중구 → 제물포구/영종구); lineage gives their valid-from month, predecessors
        and successors. The data tools accept a former code for any month.
        """
        result = index.resolve(query)
        if result.status == "not_found":
            detail = " ".join(result.notes)
            raise InvalidArgumentError(
                f"No current 시군구 matches {query!r}. {detail} Send a 시군구 or 법정동 name such as "
                "'마포구', '서울 중구', '분당구' or '공덕동' (check the spelling; one place per call)."
            )
        return result
