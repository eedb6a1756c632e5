"""scripts/dev, scripts/verify-deployment, scripts/set-owner-password, scripts/gen-readme-tables,
scripts/audit-dependencies, scripts/compose-smoke and scripts/access are Python without a .py name
(they are commands), so the project's ruff and mypy runs do not see them; they are held to the same
standard here. (scripts/verify-deployment only starts scripts/verify_deployment/, a package those runs do
see: pyproject.toml lists it for mypy, and for ruff with Python 3.8 as its target.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCRIPTS = [
    "dev",
    "verify-deployment",
    "set-owner-password",
    "gen-readme-tables",
    "audit-dependencies",
    "compose-smoke",
    "access",
]


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, cwd=REPO)


@pytest.fixture(params=SCRIPTS)
def script_copy(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    copy = tmp_path / f"{request.param.replace('-', '_')}.py"
    shutil.copy2(REPO / "scripts" / request.param, copy)
    return copy


def test_ruff_clean_and_formatted(script_copy: Path) -> None:
    config = str(REPO / "pyproject.toml")

    lint = run(str(BIN / "ruff"), "check", "--config", config, str(script_copy))
    layout = run(str(BIN / "ruff"), "format", "--check", "--config", config, str(script_copy))

    assert lint.returncode == 0, lint.stdout
    assert layout.returncode == 0, layout.stdout


def test_mypy_strict_clean(script_copy: Path) -> None:
    result = run(str(BIN / "mypy"), "--strict", "--no-incremental", str(script_copy))

    assert result.returncode == 0, result.stdout
