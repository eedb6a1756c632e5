"""scripts/dev, scripts/verify-deployment, scripts/set-owner-password, scripts/gen-readme-tables,
scripts/audit-dependencies and scripts/access are Python without a .py name (they are commands), so the
project's ruff and mypy runs do not see them; nor does mypy see tests/compose, the opt-in compose smoke
suite, which is as much a program an operator runs. They are held to the same standard here.
(scripts/verify-deployment only starts scripts/verify_deployment/, a package those runs do see:
pyproject.toml lists it for mypy, and for ruff with Python 3.8 as its target.)

One mypy process checks them all (its start-up and the standard library's stubs dominate each run), and
each script's test reads its own lines of that report.
"""

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
    "access",
]
COMPOSE_SUITE = sorted(str(path.relative_to(REPO)) for path in (REPO / "tests" / "compose").glob("*.py"))


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, cwd=REPO)


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each script as <name>.py, which is how ruff and mypy recognise Python."""
    folder = tmp_path_factory.mktemp("scripts")
    for name in SCRIPTS:
        shutil.copy2(REPO / "scripts" / name, folder / f"{name.replace('-', '_')}.py")
    return {name: folder / f"{name.replace('-', '_')}.py" for name in SCRIPTS}


@pytest.fixture(scope="module")
def mypy_report(copies: dict[str, Path]) -> subprocess.CompletedProcess[str]:
    return run(str(BIN / "mypy"), "--strict", "--no-incremental", *map(str, copies.values()), *COMPOSE_SUITE)


def mypy_errors(report: subprocess.CompletedProcess[str], path: str) -> list[str]:
    assert report.returncode in (0, 1), report.stdout + report.stderr  # 2: mypy itself failed
    return [line for line in report.stdout.splitlines() if line.startswith(f"{path}:")]


@pytest.mark.parametrize("script", SCRIPTS)
def test_ruff_clean_and_formatted(copies: dict[str, Path], script: str) -> None:
    config = str(REPO / "pyproject.toml")

    lint = run(str(BIN / "ruff"), "check", "--config", config, str(copies[script]))
    layout = run(str(BIN / "ruff"), "format", "--check", "--config", config, str(copies[script]))

    assert lint.returncode == 0, lint.stdout
    assert layout.returncode == 0, layout.stdout


@pytest.mark.parametrize("script", SCRIPTS)
def test_mypy_strict_clean(
    copies: dict[str, Path], mypy_report: subprocess.CompletedProcess[str], script: str
) -> None:
    assert mypy_errors(mypy_report, str(copies[script])) == []


def test_the_compose_smoke_suite_is_mypy_strict_clean(mypy_report: subprocess.CompletedProcess[str]) -> None:
    assert len(COMPOSE_SUITE) >= 5, COMPOSE_SUITE
    assert [error for path in COMPOSE_SUITE for error in mypy_errors(mypy_report, path)] == []
