"""Step 2: /.well-known/oauth-protected-resource/mcp (RFC 9728) is a JSON object whose resource is
BASE/mcp and which names an authorization server: where every MCP client starts its sign-in.

The first authorization server it names is what the later checks look at (`deployment.issuer`).
"""

from __future__ import annotations

import json
from typing import Any

from .. import probe
from ..deployment import Deployment
from ..report import Report


def run(report: Report, deployment: Deployment) -> None:
    deployment.issuer = check_protected_resource(report, deployment.base)


def protected_resource_document(report: Report, url: str) -> dict[str, Any] | None:
    """The JSON object at url, or None after reporting why not."""
    try:
        status, headers, body = probe.fetch(url)
    except probe.ProbeError as error:
        tls = probe.tls_failure(error)
        if tls is not None:
            report.failed(
                "certificate",
                f"{url}: TLS failed ({tls})",
                "check the certificate (docker compose logs caddy)",
            )
            return None
        report.unanswered(
            "reachable", f"{url} unreachable", error, "check DNS, port forwarding and that the stack runs"
        )
        return None
    if status != 200:
        report.failed(
            "protected-resource",
            f"{url} answered HTTP {status}, not 200",
            "Caddy serves it only with AUTH_MODE=oauth: set it in .env, then docker compose up -d",
        )
        return None
    content_type = headers.get("Content-Type", "")
    try:
        document = json.loads(body)
    except ValueError:
        report.failed(
            "protected-resource",
            f"{url} is not JSON (Content-Type {content_type!r})",
            "expected a JSON object",
        )
        return None
    if not isinstance(document, dict):
        report.failed("protected-resource", f"{url} is not a JSON object", "expected a JSON object")
        return None
    if "json" not in content_type:
        report.failed(
            "protected-resource", f"Content-Type is {content_type!r}", "serve it as application/json"
        )
    return document


def check_protected_resource(report: Report, base: str) -> str | None:
    """The advertised authorization server (issuer), or None after reporting why there is none."""
    document = protected_resource_document(report, base + "/.well-known/oauth-protected-resource/mcp")
    if document is None:
        return None
    expected = base + "/mcp"
    if document.get("resource") != expected:
        report.failed(
            "resource",
            f"resource is {document.get('resource')!r}, clients expect {expected!r}",
            f"set PUBLIC_BASE_URL={base} in .env, then docker compose up -d",
        )
    else:
        report.passed(f"protected resource metadata: resource = {expected}")
    servers = document.get("authorization_servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], str):
        report.failed(
            "authorization-servers",
            "authorization_servers is missing or empty",
            "set AUTH0_DOMAIN or OAUTH_ISSUER in .env",
        )
        return None
    report.passed(f"authorization server advertised: {servers[0]}")
    return servers[0]
