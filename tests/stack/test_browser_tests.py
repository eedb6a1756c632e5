"""Without Chromium the page tests skip with one loud line saying how to install it; under CI they fail.

./scripts/test installs no system package by itself (only with INSTALL_BROWSER=1, and .ci/run). A probe
test that asks for the browser runs in a child pytest whose PATH has no chromium, so this machine's own
browser does not matter; the child loads the suite's conftest, which prints the line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROBE = """
from tests.support.browser import chromium


def test_needs_a_browser():
    with chromium():
        pass
"""


def run_probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    no_browser = tmp_path / "bin"  # only the interpreter: no chromium, chromedriver or fc-list
    no_browser.mkdir()
    child_env = {
        "PATH": str(no_browser),
        "PYTHONPATH": str(REPO),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        **env,
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.conftest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            str(probe),
        ],
        cwd=tmp_path,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_a_browser_the_test_is_skipped_with_one_loud_install_line(tmp_path: Path) -> None:
    result = run_probe(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout.splitlines()[-1]
    loud = [line for line in result.stdout.splitlines() if line.startswith("!!! ")]
    assert loud == [
        "!!! 1 BROWSER TEST(S) SKIPPED: Chromium, chromedriver or a Korean font is missing. Install them to "
        "run them: sudo apt-get install chromium chromium-driver fonts-nanum (or ./scripts/ensure-browser, "
        "which runs it)"
    ]


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_browser_fails(tmp_path: Path, ci: str) -> None:
    result = run_probe(tmp_path, CI=ci)

    assert result.returncode == 1
    assert "1 failed" in result.stdout.splitlines()[-1]
    assert "CI=true: browser test: Chromium, chromedriver or a Korean font is missing" in result.stdout


def test_scripts_test_installs_nothing_unless_told_and_ci_installs_the_browser() -> None:
    """The shell scripts' wiring (their effect on a machine cannot be tested without root): the only
    ensure-browser call in ./scripts/test is behind INSTALL_BROWSER=1, and .ci/run calls it with CI=true."""
    test_script = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    calls = [
        line.strip()
        for line in test_script.splitlines()
        if "ensure-browser" in line and not line.startswith("#")
    ]

    assert calls == ["./scripts/ensure-browser"]
    assert 'if [ "${INSTALL_BROWSER:-}" = 1 ]; then\n  ./scripts/ensure-browser\nfi' in test_script
    assert ci.index("export CI=true") < ci.index("./scripts/ensure-browser") < ci.index("exec ./scripts/test")
    assert os.access(REPO / ".ci" / "run", os.X_OK)
