"""The lines the user reads, and the closing line with the exit status."""

from __future__ import annotations

import pytest
from verify_deployment.report import Report

from tests.scripts.verify_deployment.conftest import printed


def test_each_kind_of_line(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()

    report.passed("it answers")
    report.failed("issuer", "issuer mismatch", "set OAUTH_ISSUER")
    report.warned("quota", "nearly used", "wait for midnight KST")
    report.note("skipped")

    assert printed(capsys) == [
        "PASS  it answers",
        "FAIL  [issuer] issuer mismatch",
        "      -> set OAUTH_ISSUER",
        "WARN  [quota] nearly used",
        "      -> wait for midnight KST",
        "NOTE  skipped",
    ]
    assert report.failures == 1  # a warning is not a failure


def test_a_failure_concludes_with_exit_1_and_where_the_fixes_are(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()
    report.failed("a", "b", "c")
    report.failed("d", "e", "f")
    capsys.readouterr()

    assert report.conclude("https://mcp.example.net", public=True) == 1
    assert printed(capsys) == [
        "",
        "2 check(s) failed: fix them before connecting ChatGPT or Claude.",
        "Each [check] and its fix: docs/deployment.md, section 7 (Troubleshooting).",
    ]


def test_a_public_pass_gives_the_connector_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert Report().conclude("https://mcp.example.net", public=True) == 0
    assert printed(capsys) == [
        "",
        "All checks passed: add the connector with URL https://mcp.example.net/mcp",
    ]


def test_a_local_pass_asks_for_the_public_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert Report().conclude("http://127.0.0.1:8080", public=False) == 0
    assert printed(capsys) == [
        "",
        "All checks passed for http://127.0.0.1:8080, a local address: ChatGPT and Claude need your public "
        "https:// address; run this again with it.",
    ]
