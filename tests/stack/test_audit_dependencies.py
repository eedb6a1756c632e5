"""scripts/audit-dependencies fails a run only for a known vulnerability, and calls an audit that could
not ask PyPI a SKIP, not a pass (pip-audit itself exits 0 when the index answers 404 for everything)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def judge(report: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "audit-dependencies"), "--report", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_known_vulnerability_fails_with_its_id_and_fix(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "fastapi", "version": "0.165.0", "vulns": []},
            {
                "name": "python-jose",
                "version": "3.3.0",
                "vulns": [{"id": "PYSEC-0000-1", "aliases": ["CVE-2024-33663"], "fix_versions": ["3.4.0"]}],
            },
        ]
    }

    result = judge(report, tmp_path)

    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "python-jose 3.3.0 has PYSEC-0000-1 (CVE-2024-33663); fixed in: 3.4.0" in result.stdout


def test_nothing_audited_is_a_skip_not_a_pass(tmp_path: Path) -> None:
    skipped = "Dependency not found on PyPI and could not be audited"
    report = {"dependencies": [{"name": n, "skip_reason": skipped} for n in ("fastapi", "uvicorn")]}

    result = judge(report, tmp_path)

    assert result.returncode == 0
    assert "SKIP" in result.stdout
    assert "nothing was audited" in result.stdout
    assert "OK" not in result.stdout


def test_a_clean_report_passes(tmp_path: Path) -> None:
    report = {"dependencies": [{"name": "fastapi", "version": "0.165.0", "vulns": []}]}

    result = judge(report, tmp_path)

    assert result.returncode == 0
    assert "OK" in result.stdout
    assert "no known vulnerabilities" in result.stdout


def test_an_unreadable_report_is_a_skip(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "audit-dependencies"),
            "--report",
            str(tmp_path / "none.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0
    assert "SKIP" in result.stdout
