"""What a region lookup answers: the model get_region_code returns, and the error for a bad query.

The answer is the tool's output schema (tests/mcp_server/tools_list.json), so it lives apart from the
lookup that fills it: a change here is a change of the public contract, reviewed as such. It cites
the snapshot it came from and carries the lineage of the codes it names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mcp_server.errors import InvalidArgumentError
from mcp_server.regions.lineage.description import CodeLineage

__all__ = [
    "MAX_MATCHES",
    "MAX_QUERY_LENGTH",
    "RegionMatch",
    "RegionQueryError",
    "RegionResolution",
    "SnapshotInfo",
]

MAX_QUERY_LENGTH = 100
MAX_MATCHES = 30


class RegionQueryError(InvalidArgumentError):
    """The query cannot be looked up at all (empty or too long); the message says what to send."""


class SnapshotInfo(BaseModel):
    """Where the code table comes from, so answers can cite it."""

    source: str = Field(description="Upstream the snapshot was built from")
    retrieved_at: str = Field(description="Date (YYYY-MM-DD) the upstream table was retrieved")
    attribution: str = Field(description="Credit and licence of the data as bundled")
    district_count: int = Field(description="Number of 시군구 codes in the snapshot")


class RegionMatch(BaseModel):
    code: str = Field(description="5-digit 시군구 code (LAWD_CD); pass it as region_code to the data tools")
    name: str = Field(description="Full current name, e.g. '경기도 성남시 분당구'")
    matched_on: str = Field(
        description="Why it matched, e.g. '시군구', '법정동 공덕동', '폐지된 인천광역시 중구'"
    )


class RegionResolution(BaseModel):
    query: str
    status: Literal["resolved", "ambiguous", "not_found"] = Field(
        description="resolved: exactly one code; ambiguous: pick one of matches (ask the user if unsure)"
    )
    region_code: str | None = Field(description="The 5-digit code when status is resolved, else null")
    full_name: str | None = Field(description="Name of region_code when resolved")
    matches: list[RegionMatch] = Field(description="Candidates, most specific first")
    total_matches: int
    truncated: bool = Field(
        description=f"True when more than {MAX_MATCHES} candidates exist; refine the query"
    )
    notes: list[str] = Field(description="Renamed or abolished regions involved, and other caveats")
    lineage: list[CodeLineage] = Field(
        default_factory=list,
        description="Codes among the matches (and their former codes) that a boundary change touched: "
        "valid-from month, predecessors, successors. The data tools accept any of them for any month.",
    )
    snapshot: SnapshotInfo
