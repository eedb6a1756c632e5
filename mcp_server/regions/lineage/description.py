"""A code's place in the lineage, as ``get_region_code`` shows it beside its matches.

A user who finds 제물포구 or an old 42xxx code needs to know that the data tools accept it for any
month, and what it became or came from: its valid-from and valid-until months, predecessors,
successors and the changes behind them, with the legal source or what is unconfirmed. This is the
answer's model and the lookup that fills it; the region index decides which codes to describe.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from mcp_server.regions.lineage.table import Lineage, month_label

__all__ = ["CodeLineage", "LineageChange", "describe"]


class LineageChange(BaseModel):
    month: str | None = Field(description="First month of the new codes (YYYY-MM); null when unknown")
    title: str
    source: str | None = Field(description="Legal source, when one could be cited")
    unconfirmed: str | None = Field(default=None, description="What is not confirmed about this change")


class CodeLineage(BaseModel):
    code: str
    name: str | None
    valid_from: str | None = Field(description="First month (YYYY-MM) the code was used; null: before 2006")
    valid_until: str | None = Field(description="First month it was no longer used; null: still current")
    predecessors: list[str]
    successors: list[str]
    changes: list[LineageChange]


def describe(lineage: Lineage, code: str) -> CodeLineage | None:
    """The code's valid-from, predecessors and successors; None when no change touched it."""
    born, died = lineage.born(code), lineage.died(code)
    if born is None and died is None:
        return None
    changes = [c for c in (born, died) if c is not None]
    return CodeLineage(
        code=code,
        name=lineage.name_of(code),
        valid_from=month_label(born.first_month) if born and born.first_month else None,
        valid_until=month_label(died.first_month) if died and died.first_month else None,
        predecessors=sorted({p.old for p in born.parts_to(code)}) if born else [],
        successors=sorted({p.new for p in died.parts_from(code)}) if died else [],
        changes=[
            LineageChange(
                month=month_label(c.first_month) if c.first_month else None,
                title=c.title,
                source=c.source,
                unconfirmed=c.unconfirmed,
            )
            for c in dict.fromkeys(changes)
        ],
    )
