"""Step 3: the authorization server the resource names publishes metadata (RFC 8414, or OIDC
Discovery), and its issuer is exactly the advertised one.

MCP clients compare issuers character by character, so a missing or extra trailing slash (Auth0's
issuer ends with '/') breaks the sign-in; the FAIL names it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from .. import probe
from ..deployment import Deployment
from ..report import Report


def run(report: Report, deployment: Deployment) -> None:
    if deployment.issuer is None:
        return
    deployment.metadata = check_authorization_server(report, deployment.issuer)
    if deployment.metadata is not None:
        check_issuer(report, deployment.issuer, deployment.metadata)


def metadata_urls(issuer: str) -> list[str]:
    """Where clients look for authorization server metadata (RFC 8414 section 3, OIDC Discovery)."""
    parts = urlsplit(issuer)
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if path:
        return [
            f"{origin}/.well-known/oauth-authorization-server{path}",
            f"{origin}/.well-known/openid-configuration{path}",
            f"{origin}{path}/.well-known/openid-configuration",
        ]
    return [f"{origin}/.well-known/oauth-authorization-server", f"{origin}/.well-known/openid-configuration"]


def check_authorization_server(report: Report, issuer: str) -> dict[str, Any] | None:
    """The first metadata document found, or None after listing every address tried and its answer."""
    tried: list[str] = []
    for url in metadata_urls(issuer):
        try:
            status, _headers, body = probe.fetch(url)
        except probe.ProbeError as error:
            tried.append(f"{url} ({probe.reason(error)})")
            continue
        if status != 200:
            tried.append(f"{url} (HTTP {status})")
            continue
        try:
            document = json.loads(body)
        except ValueError:
            tried.append(f"{url} (not JSON)")
            continue
        if isinstance(document, dict):
            report.passed(f"authorization server metadata found at {url}")
            return document
    report.failed(
        "authorization-server-metadata",
        "no authorization server metadata for " + issuer + ": tried " + "; ".join(tried),
        "check AUTH0_DOMAIN / OAUTH_ISSUER in .env (the issuer, not an API or application URL)",
    )
    return None


def check_issuer(report: Report, issuer: str, metadata: dict[str, Any]) -> None:
    actual = metadata.get("issuer")
    if actual == issuer:
        report.passed(f"issuer matches exactly: {issuer}")
        return
    hint = "clients compare issuers character by character"
    if isinstance(actual, str) and actual.rstrip("/") == issuer.rstrip("/"):
        hint += " (the trailing slash matters: Auth0's issuer ends with '/')"
    report.failed(
        "issuer",
        f"issuer mismatch: advertised {issuer!r}, metadata says {actual!r}",
        f"{hint}; set OAUTH_ISSUER={actual}",
    )
