"""Suite-wide: a run ends with one loud line when browser tests were skipped (tests/support/browser.py),
and tests/compose (the real compose stack: root, Docker, minutes) is collected only when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.terminal import TerminalReporter

from tests.support.browser import INSTALL_HINT, SKIP_REASON

COMPOSE_SUITE = Path(__file__).resolve().parent / "compose"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("compose smoke", "the opt-in run of the real compose stack (tests/compose)")
    group.addoption(
        "--compose-smoke",
        action="store_true",
        help="also collect tests/compose: docker compose up for real (root; sudo ./scripts/compose-smoke)",
    )
    group.addoption(
        "--compose-keep",
        action="store_true",
        help="with --compose-smoke: leave the stack (and a dockerd the run started) up for debugging",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Never part of ./scripts/test or CI: tests/compose is collected only with --compose-smoke."""
    if collection_path == COMPOSE_SUITE and not config.getoption("--compose-smoke"):
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Naming tests/compose on the command line bypasses the ignore above: deselect it all the same."""
    if config.getoption("--compose-smoke"):
        return
    compose = [item for item in items if item.path.is_relative_to(COMPOSE_SUITE)]
    if compose:
        config.hook.pytest_deselected(items=compose)
        items[:] = [item for item in items if not item.path.is_relative_to(COMPOSE_SUITE)]


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    browser = [report for report in skipped if SKIP_REASON in str(getattr(report, "longrepr", ""))]
    if browser:
        terminalreporter.write_line(
            f"!!! {len(browser)} BROWSER TEST(S) SKIPPED: Chromium, chromedriver or a Korean font is "
            f"missing. Install them to run them: {INSTALL_HINT}",
            red=True,
            bold=True,
        )
    elif skipped:
        terminalreporter.write_line(
            f"!!! {len(skipped)} test(s) skipped: see the SKIPPED lines above", yellow=True
        )
