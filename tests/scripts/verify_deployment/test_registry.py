"""The order of the checks and what stops them: a whole run against loopback deployments, read as
the user reads it (which lines, in which order)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from verify_deployment.deployment import Deployment
from verify_deployment.registry import run_checks
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer, auth0_like
from tests.scripts.verify_deployment.conftest import printed


def kinds(lines: list[str]) -> list[str]:
    """'PASS', 'NOTE' or the bracketed check of each line, fixes left out."""
    named = [re.match(r"(PASS|NOTE|FAIL|WARN)  (?:\[([a-z-]+)\])?", line) for line in lines]
    return [match[2] or match[1] for match in named if match]


@pytest.fixture
def issuer() -> Iterator[FakeServer]:
    fake = FakeServer()
    yield fake
    fake.close()


def test_an_auth0_deployment_is_checked_in_discovery_order(
    server: FakeServer, issuer: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    auth0_like(server, issuer)
    report = Report()

    run_checks(report, Deployment(server.url))

    lines = printed(capsys)
    found = [line for line in lines if line[:4] in ("PASS", "NOTE")]
    expected = [
        f"PASS  {server.url} reachable over plain HTTP (loopback)",
        "NOTE  no status data (/status.json: HTTP 404, STATUS_PAGE=off?)",
        "PASS  protected resource metadata: ",
        "PASS  authorization server advertised: ",
        "PASS  authorization server metadata found at ",
        "PASS  issuer matches exactly: ",
        "PASS  dynamic client registration: ",
        "PASS  PKCE S256 supported",
        "PASS  test registration with ChatGPT's redirect URI: ",
        "PASS  POST /mcp without a token: ",
    ]
    assert len(found) == len(expected), lines
    for line, start in zip(found, expected, strict=True):
        assert line.startswith(start)
    assert kinds(lines).count("not-public") == 1
    assert report.failures == 0


def test_an_unreachable_server_stops_at_the_first_line(
    nothing_listens: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_checks(Report(), Deployment(nothing_listens, token="t", credentials_file=".env"))

    assert kinds(printed(capsys)) == ["reachable"]


def test_without_an_issuer_the_metadata_checks_are_left_out_and_the_rest_run(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """AUTH_MODE=none: no resource document, an open /mcp; the token's claims still get read."""
    server.routes[("GET", "/")] = (200, {}, b"status")
    server.routes[("POST", "/mcp")] = (200, {"Content-Type": "application/json"}, b"{}")

    run_checks(
        Report(), Deployment(server.url, token="opaque", credentials_file=".env", credentials=("c", "s"))
    )

    assert kinds(printed(capsys)) == [
        "PASS",
        "not-public",
        "NOTE",
        "protected-resource",
        "open-to-anyone",
        "token-shape",
    ]
