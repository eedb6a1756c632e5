"""The stacks and fakes the verify-deployment tests share, started once for this folder.

The stored-output test (test_stored_output.py) runs the script on the same stacks as the tests about
each case, so the misconfigured stacks and the stack without a data key are package-scoped: one start
serves every module here, and they stop when the folder's tests are done, as the single module they
came from did. The session's `oidc_stack` and `oidc_issuer` come from tests/e2e/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.fake_deployment import FakeServer
from tests.e2e.service_stack import ServiceStack, start_service_stack
from tests.e2e.stack_processes import RecordingMcpServer, Stack, start_stack
from tests.e2e.verify_deployment.certificates import self_signed_https_server
from tests.support.oidc_issuer.issuer import OidcTestIssuer


@pytest.fixture(scope="package")
def misconfigured(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer, oidc_issuer: OidcTestIssuer
) -> Iterator[dict[str, Stack]]:
    """The built-in authorization server ("built_in"), and the misconfigurations users hit: an issuer
    without Auth0's trailing slash, and AUTH_MODE=none ("none_mode")."""
    configurations = {
        "built_in": {"OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET},
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


@pytest.fixture(scope="package")
def keyless_stack(
    tmp_path_factory: pytest.TempPathFactory, upstream_env: dict[str, str]
) -> Iterator[ServiceStack]:
    """A whole service stack (its own MCP server) with no data.go.kr key configured."""
    home = tmp_path_factory.mktemp("keyless")
    started = start_service_stack(
        home,
        {**upstream_env, "DATA_GO_KR_API_KEY": ""},
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )
    yield started
    started.stop()


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    """HTTPS on loopback with a certificate no machine trusts, like Caddy before it has a real one."""
    with self_signed_https_server(tmp_path) as url:
        yield url


@pytest.fixture
def fakes() -> Iterator[tuple[FakeServer, FakeServer]]:
    """A fake deployment: the resource (Caddy and the gateway) and its issuer (Auth0), for auth0_like."""
    resource, issuer = FakeServer(), FakeServer()
    yield resource, issuer
    resource.close()
    issuer.close()
