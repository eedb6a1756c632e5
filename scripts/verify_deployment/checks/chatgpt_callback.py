"""Step 6, within the round trip: ChatGPT's per-app callback is allowed for the configured client.

ChatGPT's developer-mode apps each send their own https://chatgpt.com/connector/oauth/<callback id>;
older gateways allowed only the legacy connector_platform_oauth_redirect and refused it, which the
user sees as "Cannot sign in". A code must come back to that callback (it is never used, and expires
within a minute).
"""

from __future__ import annotations

import secrets
from typing import Any

from .. import probe
from ..oauth import authorize
from ..report import Report
from .built_in_endpoints import GATEWAY_FIX
from .registration import CHATGPT_REDIRECT_URI


def check_chatgpt_callback(report: Report, metadata: dict[str, Any], client_id: str, challenge: str) -> None:
    try:
        status, location = authorize(
            metadata, client_id, CHATGPT_REDIRECT_URI, challenge, secrets.token_urlsafe(16)
        )
    except probe.ProbeError as error:
        what = "authorization request with ChatGPT's callback failed"
        report.unanswered("chatgpt-callback", what, error, GATEWAY_FIX)
        return
    if status == 302 and location.startswith(CHATGPT_REDIRECT_URI + "?") and "code=" in location:
        report.passed(f"ChatGPT's per-app callback is allowed ({CHATGPT_REDIRECT_URI})")
        return
    report.failed(
        "chatgpt-callback",
        f"the authorization request with ChatGPT's per-app callback {CHATGPT_REDIRECT_URI} answered "
        f"HTTP {status}, not a redirect to it",
        "update real-estate-mcp (git pull, docker compose up -d --build): older versions allow only the "
        "legacy https://chatgpt.com/connector_platform_oauth_redirect; meanwhile add ChatGPT's callback "
        "to OAUTH_REDIRECT_URIS",
    )
