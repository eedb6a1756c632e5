"""The bundled 법정동 snapshot and its companions, as shipped in ``mcp_server/regions/data``.

MOLIT's 실거래가 services are queried by a 5-digit 시군구 code (LAWD_CD), so the snapshot keeps only what
the region index needs: one row per current 시군구 with the names of its 읍·면·동 (``districts``), plus
the 시 that are split into 구 (``cities``: their own code is not what MOLIT uses, but people type their
names), with the provenance shown beside every region answer (``source``, ``retrieved_at``,
``attribution``). ``region_lineage.json`` (boundary changes) and ``region_successors.json`` sit beside
it. The running server only reads these files; building them from an official source is build-time
work that does not ship in the image: ``scripts/region_codes`` and ``scripts/update-region-codes``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["SNAPSHOT_FORMAT", "read_bundled"]

# The ``format`` the builder writes and the index expects; raised when the file's layout changes.
SNAPSHOT_FORMAT = 1


def read_bundled(name: str) -> dict[str, Any]:
    """A JSON file of ``mcp_server/regions/data`` as shipped (snapshot, successors, lineage)."""
    text = resources.files("mcp_server.regions").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
