"""Step 5: the authorization server can do what ChatGPT and Claude do: PKCE S256, an authorization
and a token endpoint, and, for clients that register themselves, dynamic client registration.

Without a registration endpoint the built-in server is still usable (Claude takes the client id and
secret from the connector's Advanced settings), so that is a NOTE there; at Auth0 it is a FAIL naming
the tenant setting.
"""

from __future__ import annotations

from typing import Any

from ..deployment import Deployment
from ..report import Report

AUTH0_DCR_FIX = (
    "Auth0: Settings > Advanced > Dynamic Client Registration on, or ./scripts/auth0-setup --apply "
    "(item dcr), or ./scripts/auth0-access open (docs/deployment.md section 4, step 5)"
)


def run(report: Report, deployment: Deployment) -> None:
    if deployment.metadata is not None:
        check_capabilities(report, deployment.metadata, deployment.built_in)


def check_capabilities(report: Report, metadata: dict[str, Any], built_in: bool) -> None:
    if metadata.get("registration_endpoint"):
        report.passed(f"dynamic client registration: {metadata['registration_endpoint']}")
    elif built_in:
        report.note(
            "no registration_endpoint: Claude connects with OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET in its "
            "connector's Advanced settings; clients that register themselves need owner login "
            "(OWNER_PASSWORD_HASH, docs/deployment.md)"
        )
    else:
        report.failed(
            "registration-endpoint",
            "no registration_endpoint: ChatGPT and Claude cannot register themselves",
            AUTH0_DCR_FIX,
        )
    methods = metadata.get("code_challenge_methods_supported") or []
    if "S256" in methods:
        report.passed("PKCE S256 supported")
    else:
        report.failed(
            "pkce",
            f"code_challenge_methods_supported is {methods!r}, S256 is required",
            "use an authorization server that supports PKCE S256 (Auth0 does)",
        )
    for field in ("authorization_endpoint", "token_endpoint"):
        if not metadata.get(field):
            report.failed(
                "authorization-server-endpoints",
                f"authorization server metadata has no {field}",
                "check the issuer configuration",
            )
