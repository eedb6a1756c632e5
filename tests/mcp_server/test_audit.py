"""The audit trail: one line per tool call with who, what, how long and how it went, and nothing else.

In memory (the SDK's client, as over stdio) the caller is `local`; over HTTP it is whoever the gateway's
identity headers name (Caddy sets them; here the test does). Argument values other than region codes
and months never reach the line, nor does the service key.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_server.logging_setup import JsonLineFormatter
from mcp_server.server import create_http_app
from tests.mcp_server.server_setup import FAKE_KEY, call_tool, server_for, settings_for
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.uvicorn_thread import serve_in_thread

PUBLIC_HOST = "estate.example.net"


@pytest.fixture(autouse=True)
def _audit_trail_captured(caplog: pytest.LogCaptureFixture) -> None:
    """The audit logger writes at INFO whatever LOG_LEVEL says; caplog must see it too."""
    caplog.set_level(logging.INFO, logger="mcp_server.audit")


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as running:
        yield running


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The audit records as the server writes them: one JSON object each (logging_setup)."""
    formatter = JsonLineFormatter()
    lines = [json.loads(formatter.format(r)) for r in caplog.records if r.name == "mcp_server.audit"]
    assert all(line["logger"] == "mcp_server.audit" and line["level"] == "info" for line in lines)
    return lines


async def test_a_local_call_is_logged_with_region_month_duration_and_ok(
    upstream: FixtureUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    async with Client(server_for(upstream)) as client:
        result = await client.call_tool(
            "get_apartment_trades",
            {"region_code": "11440", "year_month": "202501", "name_contains": "래미안 secret-note"},
        )

    assert not result.is_error
    [line] = audit_lines(caplog)
    assert line["subject"] == "local"
    assert line["client_id"] is None
    assert line["tool"] == "get_apartment_trades"
    assert line["region_code"] == "11440"
    assert line["year_month"] == "202501"
    assert line["outcome"] == "ok"
    assert line["duration_ms"] >= 0
    assert line["ts"].endswith("Z")
    assert line["msg"] == "get_apartment_trades ok"
    everything = caplog.text
    assert "secret-note" not in everything
    assert "name_contains" not in json.dumps(line)
    assert FAKE_KEY not in everything


async def test_a_refused_argument_is_a_tool_error_with_its_class_and_no_free_text(
    upstream: FixtureUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    result = await call_tool(
        upstream, "get_apartment_trades", {"region_code": "mapo my-password", "year_month": "202501"}
    )

    assert result.is_error
    [line] = audit_lines(caplog)
    assert line["outcome"] == "tool_error"
    assert line["error"] == "InvalidArgumentError"
    assert line["region_code"] == "(not a code)"
    assert "my-password" not in json.dumps(line)


async def test_an_upstream_refusal_is_a_tool_error_naming_the_error_class(
    upstream: FixtureUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    result = await call_tool(
        upstream,
        "get_apartment_trades",
        {"region_code": "11440", "year_month": "202501"},
        DATA_GO_KR_API_KEY=None,
    )

    assert result.is_error
    [line] = audit_lines(caplog)
    assert line["outcome"] == "tool_error"
    assert line["error"] == "ConfigurationError"


async def test_a_crash_is_logged_as_error_with_its_class(
    upstream: FixtureUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    server = server_for(upstream)

    def explode(region_code: str) -> str:
        raise RuntimeError(f"boom {region_code}")

    server.add_tool(explode, name="explode")
    async with Client(server) as client:
        result = await client.call_tool("explode", {"region_code": "11440"})

    assert result.is_error
    [line] = audit_lines(caplog)
    assert (line["tool"], line["outcome"], line["error"]) == ("explode", "error", "RuntimeError")


async def test_over_http_the_gateway_identity_headers_name_the_caller(
    upstream: FixtureUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(upstream, PUBLIC_BASE_URL=f"https://{PUBLIC_HOST}")
    headers = {"Host": PUBLIC_HOST, "X-Auth-Subject": "alice", "X-Auth-Client-Id": "dcr.abc"}
    with serve_in_thread(create_http_app(settings)) as base_url:
        async with (
            httpx2.AsyncClient(headers=headers, timeout=30) as http,
            Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
        ):
            await client.call_tool("get_current_year_month", {})
            await client.call_tool(
                "compare_regions",
                {"region_codes": ["11440", "11650"], "start_month": "202501", "end_month": "202501"},
            )

    first, second = audit_lines(caplog)
    assert (first["subject"], first["client_id"]) == ("alice", "dcr.abc")
    assert first["tool"] == "get_current_year_month"
    assert second["region_codes"] == ["11440", "11650"]
    assert (second["start_month"], second["end_month"]) == ("202501", "202501")


async def test_over_http_without_identity_headers_the_caller_is_anonymous(
    upstream: FixtureUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(upstream, PUBLIC_BASE_URL=f"https://{PUBLIC_HOST}")
    with serve_in_thread(create_http_app(settings)) as base_url:
        async with (
            httpx2.AsyncClient(headers={"Host": PUBLIC_HOST}, timeout=30) as http,
            Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
        ):
            await client.call_tool("get_current_year_month", {})

    [line] = audit_lines(caplog)
    assert (line["subject"], line["client_id"]) == ("anonymous", None)
