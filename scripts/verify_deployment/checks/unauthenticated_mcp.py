"""Step 4: POST /mcp without a token gets 401 with a WWW-Authenticate challenge pointing at the
protected resource document: how a client learns it has to sign in, and where.

A 2xx means the server is open to anyone (AUTH_MODE is not oauth): a FAIL of its own, named so.
"""

from __future__ import annotations

from .. import probe
from ..deployment import Deployment
from ..mcp import ping
from ..report import Report


def run(report: Report, deployment: Deployment) -> None:
    check_unauthenticated_mcp(report, deployment.base)


def check_unauthenticated_mcp(report: Report, base: str) -> None:
    try:
        status, response_headers = ping(base, None)
    except probe.ProbeError as error:
        report.unanswered("unauthenticated-mcp", "POST /mcp failed", error, "check the stack is running")
        return
    if status != 401:
        if 200 <= status < 300:
            report.failed(
                "open-to-anyone",
                f"POST /mcp without a token answered HTTP {status}, not 401",
                "AUTH_MODE is not oauth, so anyone can use this server: "
                "set AUTH_MODE=oauth in .env, then docker compose up -d",
            )
        else:
            report.failed(
                "unauthenticated-mcp",
                f"POST /mcp without a token answered HTTP {status}, not 401",
                "expected 401 from the auth gateway (docker compose logs auth-gateway)",
            )
        return
    challenge = response_headers.get("WWW-Authenticate", "")
    expected = f'resource_metadata="{base}/.well-known/oauth-protected-resource/mcp"'
    if challenge.lower().startswith("bearer") and expected in challenge:
        report.passed("POST /mcp without a token: 401 with WWW-Authenticate resource_metadata")
    else:
        report.failed(
            "www-authenticate",
            f"401 but WWW-Authenticate is {challenge!r}; clients need Bearer {expected}",
            f"set PUBLIC_BASE_URL={base} in .env, then docker compose up -d",
        )
