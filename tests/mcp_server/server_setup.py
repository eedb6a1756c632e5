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
from mcp_server.regions.index import RegionIndex
from mcp_server.server import create_server
from tests.support.fixture_upstream import FixtureUpstream

FAKE_KEY = "TEST-KEY-9f8e7d6c5b4a+/=="  # '+', '/' and '=' must survive URL encoding exactly once


def settings_for(upstream: FixtureUpstream, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_go_kr_api_key": FAKE_KEY,
        "odcloud_api_key": None,
        "odcloud_service_key": None,
        "data_go_kr_base_url": upstream.data_go_kr_base_url,
        "odcloud_base_url": upstream.odcloud_base_url,
        "cache_path": "off",
        "upstream_timeout_seconds": 10.0,
        "upstream_connect_timeout_seconds": 10.0,
        "upstream_retries": 2,
        "upstream_retry_backoff_seconds": 0.01,
        "public_base_url": None,
        "site_address": None,
        "mcp_allowed_hosts": "",
        "log_level": "info",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def server_for(upstream: FixtureUpstream, **overrides: Any) -> MCPServer[None]:
    return create_server(settings_for(upstream, **overrides), regions=RegionIndex.load_bundled())


async def call_tool(upstream: FixtureUpstream, tool: str, args: dict[str, Any], **overrides: Any) -> Any:
    """One tool call through the SDK's in-memory client on a fresh server."""
    async with Client(server_for(upstream, **overrides)) as client:
        return await client.call_tool(tool, args)
