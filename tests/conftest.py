"""Suite-wide: a run ends with one loud line when browser tests were skipped (tests/support/browser.py)."""

from __future__ import annotations

from _pytest.terminal import TerminalReporter

from tests.support.browser import INSTALL_HINT, SKIP_REASON


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
