"""Speaking OAuth to the built-in authorization server as a client does (RFC 6749, PKCE RFC 7636):
the authorization request, answered by a redirect that is read and never followed, and form posts to
the token endpoint with HTTP Basic client authentication.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

from . import probe


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(
    metadata: dict[str, Any], client_id: str, redirect_uri: str, challenge: str, state: str, **extra: str
) -> tuple[int, str]:
    """(status, Location) of an authorization request; ProbeError when nothing answers."""
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
        **extra,
    }
    status, headers, _text = probe.fetch(metadata["authorization_endpoint"] + "?" + urlencode(query))
    return status, headers.get("Location", "")


def post_form(url: str, form: dict[str, str], client_id: str, secret: str) -> tuple[int, dict[str, Any]]:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {basic}"}
    status, _headers, text = probe.fetch(url, method="POST", body=urlencode(form).encode(), headers=headers)
    return status, probe.read_json_object(text)


def oauth_error(document: dict[str, Any]) -> str:
    return f"{document.get('error')}: {document.get('error_description')}"
