"""Checking the hand-kept lineage table (``region_lineage.json``) against a snapshot, before either ships.

The server trusts the table: a code it names but the snapshot lacks would make a month unreadable, and
a code that left the snapshot without being recorded as retired would make the old code's history
silently empty. ``scripts/update-region-codes`` therefore refuses to write a snapshot the table does not
fit, and ``--check-lineage`` runs the same check on the bundled files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp_server.regions.lineage.table import Lineage

__all__ = ["check_lineage"]


def check_lineage(doc: Mapping[str, Any], snapshot: Mapping[str, Any]) -> list[str]:
    """Problems of a lineage table against a snapshot; empty when consistent.

    Every code must be in the snapshot (a 시군구 or a 시 with 구) or listed under ``retired``; a retired
    code must not be current; a change's month must be YYYYMM or null; the 법정동 that went to a current
    code must be among that code's 법정동 in the snapshot; a split's parts must all name their 법정동."""
    current = {c for c, _, _ in snapshot["districts"]} | {c for c, _ in snapshot["cities"]}
    dongs = {c: set(d) for c, _, d in snapshot["districts"]}
    problems: list[str] = []
    retired: set[str] = set()
    for raw in doc.get("changes", []):
        retired |= set(raw.get("retired", {}))
    lineage = Lineage(doc, snapshot)
    retired |= set(lineage.retired_codes())
    for raw in doc.get("changes", []):
        where = f"change {raw.get('id')!r}"
        month = raw.get("first_month")
        if month is not None and not (
            isinstance(month, str) and len(month) == 6 and month.isdigit() and 1 <= int(month[4:]) <= 12
        ):
            problems.append(f"{where}: first_month must be YYYYMM or null, got {month!r}")
        if not raw.get("source") and not raw.get("unconfirmed"):
            problems.append(f"{where}: give a legal source, or say what is unconfirmed")
        if raw.get("prefix") and not any(c.startswith(raw["prefix"]["to"]) for c in dongs):
            problems.append(f"{where}: no current code starts with {raw['prefix']['to']}")
        parts = raw.get("parts", [])
        codes = [c for p in parts for c in (p["from"], p["to"])] + raw.get("created_without_predecessors", [])
        for code in codes:
            if code not in current and code not in retired:
                problems.append(f"{where}: {code} is neither in the snapshot nor listed as retired")
        for code in raw.get("retired", {}):
            if code in dongs:
                problems.append(f"{where}: {code} is listed as retired but is a current 시군구")
        for part in parts:
            if part.get("dongs") is not None and part["to"] in dongs:
                missing = sorted(set(part["dongs"]) - dongs[part["to"]])
                if missing:
                    problems.append(
                        f"{where}: 법정동 {', '.join(missing)} of {part['from']}→{part['to']} are not in "
                        f"{part['to']} in the snapshot"
                    )
            splits = sum(1 for p in parts if p["from"] == part["from"]) > 1
            if splits and part.get("dongs") is None:
                problems.append(
                    f"{where}: {part['from']} is split, so {part['from']}→{part['to']} needs dongs"
                )
    return problems
