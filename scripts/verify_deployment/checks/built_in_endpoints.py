"""Step 6: when the gateway is the authorization server (no Auth0/OIDC issuer), every endpoint its
metadata advertises answers as an OAuth endpoint does to an empty request: a 400 with its kind of
error, not a 404 or 502. Nothing the metadata promises may be unserved (Caddy's /oauth/* route, the
gateway behind it).
"""

from __future__ import annotations

from typing import Any

from .. import probe
from ..deployment import Deployment
from ..report import Report

GATEWAY_FIX = (
    "the gateway does not serve it: check docker compose logs auth-gateway and the Caddyfile's /oauth/* route"
)
# (metadata field, method, body, headers, what the 400's Content-Type must contain)
PROBES: list[tuple[str, str, bytes | None, dict[str, str], str]] = [
    ("authorization_endpoint", "GET", None, {}, "text/html"),
    ("token_endpoint", "POST", b"", {"Content-Type": "application/x-www-form-urlencoded"}, "json"),
    ("registration_endpoint", "POST", b"{}", {"Content-Type": "application/json"}, "json"),
]


def run(report: Report, deployment: Deployment) -> None:
    if deployment.metadata is not None and deployment.built_in:
        check_built_in_endpoints(report, deployment.metadata)


def check_built_in_endpoints(report: Report, metadata: dict[str, Any]) -> None:
    for field, method, body, headers, kind in PROBES:
        url = metadata.get(field)
        if not url:
            continue
        try:
            status, response_headers, _text = probe.fetch(url, method=method, body=body, headers=headers)
        except probe.ProbeError as error:
            report.unanswered("built-in-endpoints", f"{field} {url} unreachable", error, GATEWAY_FIX)
            continue
        content_type = response_headers.get("Content-Type", "")
        if status == 400 and kind in content_type:
            report.passed(f"{field} answers: {url}")
        else:
            report.failed(
                "built-in-endpoints",
                f"{field} {url} answered HTTP {status} ({content_type or 'no content type'})",
                GATEWAY_FIX,
            )
