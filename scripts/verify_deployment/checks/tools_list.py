"""Step 7, with --token T: initialize → notifications/initialized → tools/list through /mcp with that
token, as a client starts a session. A refusal carries the gateway's own reason; an answer without a
tool list points at the MCP server.
"""

from __future__ import annotations

import json

from .. import probe
from ..mcp import PROTOCOL_VERSION, mcp_headers, mcp_result, report_token_refused
from ..report import Report


def check_tools_list(report: Report, base: str, access_token: str) -> None:
    headers = mcp_headers(access_token)
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "verify-deployment", "version": "1"},
        },
    }
    try:
        status, response_headers, text = probe.fetch(
            base + "/mcp", method="POST", body=json.dumps(initialize).encode(), headers=headers
        )
        if status != 200:
            report_token_refused(report, "initialize", status, response_headers)
            return
        session = response_headers.get("Mcp-Session-Id")
        if session:
            headers["Mcp-Session-Id"] = session
        version = mcp_result(status, response_headers, text).get("result", {}).get("protocolVersion")
        headers["MCP-Protocol-Version"] = str(version or PROTOCOL_VERSION)
        notification = {"jsonrpc": "2.0", "method": "notifications/initialized"}
        probe.fetch(base + "/mcp", method="POST", body=json.dumps(notification).encode(), headers=headers)
        listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
        status, response_headers, text = probe.fetch(
            base + "/mcp", method="POST", body=json.dumps(listing).encode(), headers=headers
        )
    except probe.ProbeError as error:
        report.unanswered("tools-list", "tools/list failed", error, "check the stack")
        return
    if status != 200:
        report_token_refused(report, "tools/list", status, response_headers)
        return
    message = mcp_result(status, response_headers, text)
    tools = message.get("result", {}).get("tools") if isinstance(message.get("result"), dict) else None
    if not isinstance(tools, list):
        report.failed(
            "tools-list",
            f"tools/list answered without a tool list ({message.get('error') or 'no JSON-RPC result'})",
            "docker compose logs mcp-server names the problem",
        )
        return
    report.passed(f"tools/list with that token: {len(tools)} tools")
