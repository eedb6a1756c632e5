"""Session-wide pieces of the end-to-end stacks: the fixture upstream and one recording MCP server.

The MCP server has no auth of its own, so one process serves every stack; each test module starts the
gateway and Caddy configuration it is about (a second or two each, through `module_stacks` or `stacks`)
and reads only the MCP requests recorded since its last look. Configurations no test changes (no restart,
no rate limit spent, no sign-in revoked) are started once for the session: `oidc_stack`, `open_stack`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack_processes import RecordingMcpServer, Stack, Stacks, base_env, start_recording_mcp_server
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.oidc_issuer.issuer import OidcTestIssuer

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


def started_stacks(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer
) -> Iterator[Stacks]:
    with Stacks(tmp_path_factory.mktemp, mcp_server) as stacks:
        yield stacks


# The stacks a session, a module or a test starts (`stacks`: for a test that stops or restarts them).
session_stacks = pytest.fixture(started_stacks, scope="session", name="session_stacks")
module_stacks = pytest.fixture(started_stacks, scope="module", name="module_stacks")
stacks = pytest.fixture(started_stacks, name="stacks")


@pytest.fixture(scope="session")
def oidc_stack(session_stacks: Stacks, oidc_issuer: OidcTestIssuer) -> Stack:
    """AUTH_MODE=oauth with both ways to get a token: the OIDC issuer (ChatGPT's way) and our own
    client_credentials endpoint, and no required scopes."""
    return session_stacks.start("oidc-stack", **OWN_TOKENS_ONLY, OAUTH_ISSUER=oidc_issuer.issuer)


@pytest.fixture(scope="session")
def open_stack(session_stacks: Stacks) -> Stack:
    """AUTH_MODE=none, for the tests that only send requests through it."""
    return session_stacks.start("open-stack", AUTH_MODE="none")


@pytest.fixture(scope="module")
def own_tokens_stack(module_stacks: Stacks) -> Stack:
    """AUTH_MODE=oauth with only the `.env` client (client_credentials, authorization code + PKCE), one
    for each module that asks: its tests may spend rate limits and revoke sign-ins."""
    return module_stacks.start("own-tokens", **OWN_TOKENS_ONLY)
