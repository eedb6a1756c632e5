"""./scripts/verify-deployment against local stacks (plain http is allowed for loopback only).

A correctly configured stack passes every check; the misconfigurations ChatGPT users actually hit
(no dynamic registration, an issuer missing Auth0's trailing slash, AUTH_MODE=none) each produce a
FAIL line with a fix and a non-zero exit.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.stack_processes import REPO, RecordingMcpServer, Stack, start_stack
from tests.support.oidc_issuer import OidcTestIssuer


def verify(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "verify-deployment"), url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def failures(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("FAIL")]


@pytest.fixture(scope="module")
def misconfigured(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer, oidc_issuer: OidcTestIssuer
) -> Iterator[dict[str, Stack]]:
    configurations = {
        "client_credentials_only": {"OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET},
        "issuer_without_slash": {"OAUTH_ISSUER": oidc_issuer.issuer.rstrip("/")},
    }
    stacks = {
        name: start_stack(tmp_path_factory.mktemp(name), mcp_server, AUTH_MODE="oauth", **config)
        for name, config in configurations.items()
    }
    stacks["none_mode"] = start_stack(tmp_path_factory.mktemp("none_mode"), mcp_server, AUTH_MODE="none")
    yield stacks
    for stack in stacks.values():
        stack.stop()


def test_a_correct_stack_passes_every_check(oidc_stack: Stack) -> None:
    result = verify(oidc_stack.url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert failures(result) == []
    passed = "\n".join(line for line in result.stdout.splitlines() if line.startswith("PASS"))
    for check in ("reachable", "resource =", "issuer matches exactly", "401", "registration", "S256"):
        assert check in passed


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
        ("client_credentials_only", "no registration_endpoint"),
        ("issuer_without_slash", "trailing slash"),
        ("none_mode", "AUTH_MODE"),
    ],
)
def test_each_misconfiguration_fails_with_a_fix(
    misconfigured: dict[str, Stack], configuration: str, expected: str
) -> None:
    result = verify(misconfigured[configuration].url)

    assert result.returncode == 1
    assert expected in result.stdout, result.stdout
    assert failures(result)


def test_plain_http_is_refused_for_public_hosts() -> None:
    result = verify("http://mcp.example.ddns.net")

    assert result.returncode == 2
    assert "https://" in result.stderr
