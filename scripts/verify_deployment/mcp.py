"""Speaking to /mcp as an MCP client does (Streamable HTTP), for the checks that send a request there:
the headers, reading a JSON or SSE answer, and explaining the gateway's refusal of a token.
"""

from __future__ import annotations

import json
from email.message import Message
from typing import Any

from . import probe
from .report import Report

PROTOCOL_VERSION = "2025-06-18"
# The cheapest request there is: enough to see whether the gateway lets a token through.
PING = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"}).encode()


def mcp_headers(access_token: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if access_token is not None:
        headers["Authorization"] = f"Bearer {access_token}"
    return headers


def mcp_result(status: int, headers: Message, text: str) -> dict[str, Any]:
    """The JSON-RPC message of a Streamable HTTP answer, whether JSON or one SSE event."""
    if "text/event-stream" in headers.get("Content-Type", ""):
        for line in text.splitlines():
            if line.startswith("data:"):
                message = probe.read_json_object(line[len("data:") :].strip())
                if "result" in message or "error" in message:
                    return message
        return {}
    return probe.read_json_object(text)


def report_token_refused(report: Report, what: str, status: int, headers: Message) -> None:
    """The gateway's 401/403 carries its reason (and for Auth0 tokens the fix) in WWW-Authenticate."""
    challenge = headers.get("WWW-Authenticate", "")
    reason = (
        challenge.split('error_description="', 1)[1].split('"', 1)[0]
        if "error_description=" in challenge
        else ""
    )
    report.failed(
        "token-refused",
        f"{what} with that access token answered HTTP {status}" + (f": {reason}" if reason else ""),
        "docker compose logs auth-gateway names the reason "
        "(check PUBLIC_BASE_URL, and the token's claims above)",
    )


def ping(base: str, access_token: str | None) -> tuple[int, Message]:
    """(status, headers) of a ping to /mcp, with or without a token; ProbeError when nothing answers."""
    status, headers, _body = probe.fetch(
        base + "/mcp", method="POST", body=PING, headers=mcp_headers(access_token)
    )
    return status, headers


def check_mcp_with_token(report: Report, base: str, access_token: str) -> None:
    """One request with a token: let through, or the gateway's reason for refusing it."""
    try:
        status, headers = ping(base, access_token)
    except probe.ProbeError as error:
        report.unanswered("token-refused", "POST /mcp with the token failed", error, "check the stack")
        return
    if 200 <= status < 300:
        report.passed("POST /mcp with that access token is let through")
    else:
        report_token_refused(report, "POST /mcp", status, headers)
