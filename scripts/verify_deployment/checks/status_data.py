"""Step 1: what the status page knows (GET /status.json): the MCP server is up, the data.go.kr key is
set, no service has used most of today's quota.

A missing key or a quota nearly used up does not stop ChatGPT or Claude from connecting, only every
data question from being answered: a WARN, so "all checks passed" is never said silently over it.
STATUS_PAGE=off answers 404: a NOTE, nothing to check then.
"""

from __future__ import annotations

from typing import Any

from .. import probe
from ..deployment import Deployment
from ..report import Report

# Share of a service's daily quota from which the status check warns (the status page's own threshold).
QUOTA_WARN = 0.8


def run(report: Report, deployment: Deployment) -> None:
    check_status_data(report, deployment.base)


def check_status_data(report: Report, base: str) -> None:
    try:
        status, _headers, body = probe.fetch(base + "/status.json")
    except probe.ProbeError:
        report.note("the status data (/status.json) could not be read: data key and quota not checked")
        return
    document = probe.read_json_object(body) if status == 200 else {}
    if not document:
        why = {404: "STATUS_PAGE=off?", 502: "the auth gateway does not answer"}.get(status, "not JSON")
        report.note(f"no status data (/status.json: HTTP {status}, {why}): data key and quota not checked")
        return
    mcp = document.get("mcp")
    if not isinstance(mcp, dict):
        report.failed(
            "mcp-server",
            "the status page says the MCP server does not answer the gateway",
            "docker compose ps and docker compose logs mcp-server (./scripts/dev: its output) show why",
        )
        return
    found_keys = mcp.get("keys")
    keys: dict[str, Any] = found_keys if isinstance(found_keys, dict) else {}
    if keys.get("data_go_kr"):
        report.passed("a data.go.kr key is configured (status page)")
    else:
        report.warned(
            "data-key",
            "no data.go.kr key is configured: every real-estate data tool will answer with an error",
            "set DATA_GO_KR_API_KEY in .env to the 'Decoding' key from data.go.kr → 마이페이지, then "
            "docker compose up -d (./scripts/dev: restart it)",
        )
    check_quota(report, mcp)


def check_quota(report: Report, mcp: dict[str, Any]) -> None:
    """One WARN per service that has used QUOTA_WARN or more of today's quota (KST day)."""
    quota = mcp.get("daily_quota")
    found_rows = mcp.get("upstream")
    rows: list[Any] = found_rows if isinstance(found_rows, list) else []
    for row in rows:
        requests = row.get("requests") if isinstance(row, dict) else None
        if (
            isinstance(quota, int)
            and quota > 0
            and isinstance(requests, int)
            and requests >= QUOTA_WARN * quota
        ):
            report.warned(
                "quota",
                f"{row.get('service')}: {requests} of {quota} requests used today (KST); it resets at "
                f"{str(mcp.get('quota_resets_at', 'midnight KST')).replace('T', ' ')}",
                "questions that need new months fail once it is used up: wait for midnight KST, or request "
                "a higher quota (운영계정) on data.go.kr and set DATA_GO_KR_DAILY_QUOTA to it",
            )
