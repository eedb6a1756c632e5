"""Step 6, with --client-credentials-from FILE (the .env the stack runs with): one authorization code
+ PKCE round trip with OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET from that file, as Claude runs it with them:
authorize, token, one /mcp request with the access token, one refresh.

The redirect URI is an RFC 8252 loopback one that nothing listens on: the code is read from the 302's
Location header. Only the built-in server knows that client; with an Auth0/OIDC issuer it is a NOTE.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .. import probe
from ..deployment import Deployment
from ..mcp import check_mcp_with_token
from ..oauth import authorize, oauth_error, pkce_pair, post_form
from ..report import Report
from .built_in_endpoints import GATEWAY_FIX
from .chatgpt_callback import check_chatgpt_callback

# Allowed by the gateway for its client, and never contacted.
LOOPBACK_REDIRECT_URI = "http://127.0.0.1:9/verify-deployment/callback"


def run(report: Report, deployment: Deployment) -> None:
    if deployment.metadata is None or not deployment.credentials_file:
        return
    client_id, secret = deployment.credentials
    if not client_id or not secret:
        report.failed(
            "credentials-file",
            "the credentials file has no OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET",
            "pass the .env the stack runs with (./scripts/init-env creates both)",
        )
    elif not deployment.built_in:
        report.note("authorization code round trip skipped: the authorization server is not this gateway")
    else:
        check_authorization_code_round_trip(report, deployment.base, deployment.metadata, client_id, secret)


def check_authorization_code_round_trip(
    report: Report, base: str, metadata: dict[str, Any], client_id: str, secret: str
) -> None:
    """authorize → token → one /mcp request → refresh, with the configured client, as Claude does."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    try:
        status, location = authorize(
            metadata, client_id, LOOPBACK_REDIRECT_URI, challenge, state, resource=base + "/mcp"
        )
    except probe.ProbeError as error:
        report.unanswered("round-trip-authorize", "authorization request failed", error, GATEWAY_FIX)
        return
    if status != 302 or not location.startswith(LOOPBACK_REDIRECT_URI):
        report.failed(
            "round-trip-client-id",
            f"authorization request answered HTTP {status}, not a redirect to the client",
            "OAUTH_CLIENT_ID in the file must be the gateway's (docker compose up -d after editing .env)",
        )
        return
    answer = dict(parse_qsl(urlsplit(location).query))
    if "error" in answer or not answer.get("code"):
        report.failed(
            "round-trip-authorize",
            f"authorization refused: {answer.get('error')}: {answer.get('error_description')}",
            GATEWAY_FIX,
        )
        return
    if answer.get("state") != state or answer.get("iss") != metadata.get("issuer"):
        report.failed(
            "round-trip-authorize", "the authorization response's state or iss is wrong", GATEWAY_FIX
        )
        return
    report.passed("authorization code + PKCE: /oauth/authorize redirected to the client with a code")
    check_chatgpt_callback(report, metadata, client_id, challenge)
    exchange_and_refresh(report, base, metadata, client_id, secret, answer["code"], verifier)


def exchange_and_refresh(
    report: Report, base: str, metadata: dict[str, Any], client_id: str, secret: str, code: str, verifier: str
) -> None:
    """The code for tokens, one /mcp request with the access token, the refresh token for new ones."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": LOOPBACK_REDIRECT_URI,
        "code_verifier": verifier,
        "resource": base + "/mcp",
    }
    status, tokens = post_form(metadata["token_endpoint"], form, client_id, secret)
    if status != 200 or not tokens.get("access_token") or not tokens.get("refresh_token"):
        if tokens.get("error") == "invalid_client":
            report.failed(
                "round-trip-secret",
                f"code exchange answered HTTP {status} ({oauth_error(tokens)})",
                "OAUTH_CLIENT_SECRET in the file is not the gateway's "
                "(docker compose up -d after editing .env)",
            )
        else:
            report.failed(
                "round-trip-token",
                f"code exchange answered HTTP {status} ({oauth_error(tokens)})",
                GATEWAY_FIX,
            )
        return
    report.passed("code exchanged at the token endpoint for an access and a refresh token")
    check_mcp_with_token(report, base, str(tokens["access_token"]))
    status, refreshed = post_form(
        metadata["token_endpoint"],
        {"grant_type": "refresh_token", "refresh_token": str(tokens["refresh_token"])},
        client_id,
        secret,
    )
    if status == 200 and refreshed.get("access_token") and refreshed.get("refresh_token"):
        report.passed("refresh token exchanged for new tokens")
    else:
        report.failed(
            "round-trip-refresh", f"refresh answered HTTP {status} ({oauth_error(refreshed)})", GATEWAY_FIX
        )
