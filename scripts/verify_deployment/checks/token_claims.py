"""Step 7, with --token T (an access token a client received): its iss, aud and exp, decoded without
trusting them, against what the metadata says; then tools/list with it (tools_list.py).

An opaque or encrypted token is what Auth0 issues when the resource is not one of its APIs: the gateway
would refuse it for the same reason, so one line with the Auth0 fix is enough. The token itself is
never printed.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from .. import probe
from ..deployment import Deployment
from ..report import Report
from .tools_list import check_tools_list


def run(report: Report, deployment: Deployment) -> None:
    if deployment.token is None:
        return
    advertised = deployment.metadata.get("issuer") if deployment.metadata is not None else None
    check_token(
        report, deployment.base, deployment.token, advertised if isinstance(advertised, str) else None
    )


def check_token(report: Report, base: str, token: str, issuer: str | None) -> None:
    audience = base + "/mcp"
    claims = token_claims(report, token, audience)
    if claims is None:
        return  # the gateway would refuse it for the same reason; one line is enough
    check_token_claims(report, claims, issuer, audience)
    check_tools_list(report, base, token)


def b64url_json(segment: str) -> dict[str, Any]:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        return probe.read_json_object(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError):
        return {}


def token_claims(report: Report, token: str, audience: str) -> dict[str, Any] | None:
    """The payload of a JWS, decoded without checking anything; None after explaining an opaque or
    encrypted token."""
    auth0_fix = (
        f"In Auth0, create an API whose identifier is {audience} and enable the Resource Parameter "
        "Compatibility Profile (or make that API the tenant's default audience): "
        "./scripts/auth0-setup --apply"
    )
    segments = token.split(".")
    if len(segments) == 5:
        report.failed(
            "token-shape", "the token is encrypted (JWE): nobody but Auth0 can read or verify it", auth0_fix
        )
        return None
    claims = b64url_json(segments[1]) if len(segments) == 3 else {}
    if not claims:
        report.failed(
            "token-shape", "the token is opaque, not a signed JWT: it cannot be verified here", auth0_fix
        )
        return None
    return claims


def check_token_claims(report: Report, claims: dict[str, Any], issuer: str | None, audience: str) -> None:
    if issuer is not None:
        if claims.get("iss") == issuer:
            report.passed(f"token iss = {issuer}")
        else:
            report.failed(
                "token-issuer",
                f"token iss is {claims.get('iss')!r}, the metadata's issuer is {issuer!r}",
                "the token comes from another authorization server (or another Auth0 tenant): "
                "get one through the server the metadata names",
            )
    audiences = claims.get("aud")
    listed = audiences if isinstance(audiences, list) else [audiences]
    if audience in listed:
        report.passed(f"token aud includes {audience}")
    else:
        report.failed(
            "token-audience",
            f"token aud is {audiences!r}, the protected resource is {audience!r}",
            f"the Auth0 API identifier must be {audience} (or set AUTH0_AUDIENCE to the identifier of the "
            "API you use); a token for https://TENANT/userinfo means the resource parameter was ignored: "
            "enable the Resource Parameter Compatibility Profile",
        )
    expires = claims.get("exp")
    if not isinstance(expires, (int, float)):
        report.failed(
            "token-expiry", "the token has no exp claim", "the gateway refuses tokens without an expiry"
        )
    elif expires <= time.time():
        expired = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(expires))
        report.failed("token-expiry", f"the token expired at {expired}", "get a fresh token and run again")
    else:
        report.passed(f"token exp: valid for {int(expires - time.time()) // 60} more minutes")
