"""Step 5: one test registration, as ChatGPT makes it first (RFC 7591): a public client with PKCE and
ChatGPT's per-app callback. It creates a client (at Auth0, an application: --skip-dcr leaves it out).

Each refusal Auth0 is known to give is explained with the setting behind it: a disabled registration
(401/403, or 404 where the endpoint is gone), a refused redirect URI, a refused scope
(invalid_client_metadata) and too many registrations (429).
"""

from __future__ import annotations

import json
from typing import Any

from .. import probe
from ..deployment import Deployment
from ..report import Report
from .capabilities import AUTH0_DCR_FIX

# What ChatGPT registers: a public client with PKCE and its callback. Developer-mode apps each have their
# own callback, https://chatgpt.com/connector/oauth/<callback id>; the check uses one with a test id,
# for the test registration and for the configured client's authorization request.
CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector/oauth/verify-deployment-check"


def run(report: Report, deployment: Deployment) -> None:
    if deployment.metadata is None:
        return
    if deployment.skip_dcr:
        report.note("test registration skipped (--skip-dcr)")
    else:
        check_test_registration(report, deployment.metadata, deployment.built_in)


def check_test_registration(report: Report, metadata: dict[str, Any], built_in: bool) -> None:
    endpoint = metadata.get("registration_endpoint")
    if not endpoint:
        return
    request = {
        "client_name": "verify-deployment test (safe to delete)",
        "redirect_uris": [CHATGPT_REDIRECT_URI],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    }
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    try:
        status, _headers, text = probe.fetch(
            str(endpoint), method="POST", body=json.dumps(request).encode(), headers=headers
        )
    except probe.ProbeError as error:
        fix = "the metadata advertises an endpoint that does not answer: check the issuer configuration"
        report.unanswered("registration", f"test registration at {endpoint} failed", error, fix)
        return
    answer = probe.read_json_object(text)
    if status in (200, 201) and answer.get("client_id"):
        cleanup = (
            "./scripts/auth0-access apps prune removes it later" if not built_in else "nothing to clean up"
        )
        report.passed(
            f"test registration with ChatGPT's redirect URI: client {answer['client_id']} ({cleanup})"
        )
        return
    registration_refused(report, status, answer, built_in)


def registration_refused(report: Report, status: int, answer: dict[str, Any], built_in: bool) -> None:
    """Name the setting behind each known refusal."""
    error = str(answer.get("error") or "")
    description = str(answer.get("error_description") or answer.get("message") or "")
    said = f"HTTP {status}" + (f" ({error}: {description})" if error or description else "")
    if status in (401, 403, 404) or "disabled" in description.lower() or "not enabled" in description.lower():
        fix = (
            "self-registration needs owner login: ./scripts/set-owner-password, then docker compose up -d"
            if built_in
            else AUTH0_DCR_FIX
        )
        report.failed("registration-disabled", f"test registration refused: {said}", fix)
    elif error == "invalid_redirect_uri":
        report.failed(
            "registration-redirect-uri",
            f"test registration refused ChatGPT's redirect URI {CHATGPT_REDIRECT_URI}: {said}",
            "the authorization server restricts redirect URIs for registered clients: allow that callback "
            "(Auth0 accepts any https callback at registration; check Actions or policies that limit it)",
        )
    elif error == "invalid_client_metadata":
        report.failed(
            "registration-metadata",
            f"test registration refused the client metadata: {said}",
            "a scope problem, usually: define a permission on the Auth0 API, authorize it for third-party "
            "applications and set OAUTH_SCOPES to it (docs/deployment.md section 4, Scopes)",
        )
    elif status == 429:
        report.failed(
            "registration-rate-limit",
            f"test registration rate-limited: {said}",
            "the authorization server limits registrations: wait a minute and run the check again",
        )
    else:
        report.failed(
            "registration",
            f"test registration failed: {said}",
            "check the authorization server's logs (Auth0: Monitoring > Logs) for the reason",
        )
