"""Session-wide pieces of the end-to-end stacks: the fixture upstream and one recording MCP server.

The MCP server has no auth of its own, so one process serves every stack; each test module starts the
gateway and Caddy configuration it is about (a second or two each) and reads only the MCP requests
recorded since its last look.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack_processes import RecordingMcpServer, base_env, start_recording_mcp_server
from tests.support.fixture_upstream import FixtureUpstream

SERVICE_KEY = "e2e-test-service-key"


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
