"""Settings and servers pointed at the fixture upstream, shared by the mcp_server tests.

A distinctive fake key makes "the key never leaks" checkable by plain substring search, and a short
backoff keeps the error-path tests fast. The default timeouts are generous, so a busy CI machine never
turns a normal answer into a timeout; the tests about timeouts set their own short ones.
"""

from __future__ import annotations

from typing import Any

from mcp import Client
from mcp.server.mcpserver import MCPServer

from mcp_server.config import Settings
from mcp_server.regions.index.lookup import RegionIndex
from mcp_server.server import create_server
from tests.support.fixture_upstream.server import FixtureUpstream

FAKE_KEY = "TEST-KEY-9f8e7d6c5b4a+/=="  # '+', '/' and '=' must survive URL encoding exactly once


def settings_for(upstream: FixtureUpstream, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "DATA_GO_KR_API_KEY": FAKE_KEY,
        "ODCLOUD_API_KEY": None,
        "ODCLOUD_SERVICE_KEY": None,
        "DATA_GO_KR_BASE_URL": upstream.data_go_kr_base_url,
        "ODCLOUD_BASE_URL": upstream.odcloud_base_url,
        "CACHE_PATH": "off",
        "UPSTREAM_TIMEOUT_SECONDS": 10.0,
        "UPSTREAM_CONNECT_TIMEOUT_SECONDS": 10.0,
        "UPSTREAM_RETRIES": 2,
        "UPSTREAM_RETRY_BACKOFF_SECONDS": 0.01,
        "PUBLIC_BASE_URL": None,
        "SITE_ADDRESS": None,
        "MCP_ALLOWED_HOSTS": "",
        "LOG_LEVEL": "info",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[call-arg]


def server_for(upstream: FixtureUpstream, **overrides: Any) -> MCPServer[None]:
    return create_server(settings_for(upstream, **overrides), regions=RegionIndex.load_bundled())


async def call_tool(upstream: FixtureUpstream, tool: str, args: dict[str, Any], **overrides: Any) -> Any:
    """One tool call through the SDK's in-memory client on a fresh server."""
    async with Client(server_for(upstream, **overrides)) as client:
        return await client.call_tool(tool, args)


def error_text(result: Any) -> str:
    """The message of a tool call that must have failed; the test fails if the call succeeded."""
    assert result.is_error, result.structured_content
    return str(result.content[0].text)
