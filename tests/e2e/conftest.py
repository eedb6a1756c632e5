"""Session-wide pieces of the end-to-end stacks: the fixture upstream and one recording MCP server.

The MCP server has no auth of its own, so one process serves every stack; each test module starts the
gateway and Caddy configuration it is about (a second or two each) and reads only the MCP requests
recorded since its last look.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack_processes import (
    RecordingMcpServer,
    Stack,
    base_env,
    start_recording_mcp_server,
    start_stack,
)
from tests.support.fixture_upstream import FixtureUpstream
from tests.support.oidc_issuer import OidcTestIssuer

SERVICE_KEY = "e2e-test-service-key"
CLIENT_ID = "e2e-script-client"
CLIENT_SECRET = secrets.token_hex(32)
# AUTH_MODE=oauth with only our own client_credentials tokens.
OWN_TOKENS_ONLY = {"AUTH_MODE": "oauth", "OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET}


@pytest.fixture(scope="session")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.fixture(scope="session")
def upstream_env(upstream: FixtureUpstream) -> dict[str, str]:
    """What the MCP server needs to reach the fixture upstream instead of data.go.kr."""
    return {
        "DATA_GO_KR_API_KEY": SERVICE_KEY,
        "DATA_GO_KR_BASE_URL": upstream.data_go_kr_base_url,
        "ODCLOUD_BASE_URL": upstream.odcloud_base_url,
    }


@pytest.fixture(scope="session")
def mcp_server(e2e_dir: Path, upstream_env: dict[str, str]) -> Iterator[RecordingMcpServer]:
    server = start_recording_mcp_server(base_env(e2e_dir, **upstream_env), e2e_dir)
    yield server
    server.process.stop()


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[OidcTestIssuer]:
    """The Auth0 stand-in: lenient about scope strings unless a test switches strict_scopes on."""
    with OidcTestIssuer() as issuer:
        yield issuer


@pytest.fixture(scope="session")
def oidc_stack(e2e_dir: Path, mcp_server: RecordingMcpServer, oidc_issuer: OidcTestIssuer) -> Iterator[Stack]:
    """AUTH_MODE=oauth with both ways to get a token: the OIDC issuer (ChatGPT's way) and our own
    client_credentials endpoint, and no required scopes."""
    stack = start_stack(
        e2e_dir / "oidc-stack",
        mcp_server,
        AUTH_MODE="oauth",
        OAUTH_ISSUER=oidc_issuer.issuer,
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )
    yield stack
    stack.stop()
