"""Client authentication at the token endpoint (RFC 6749 §2.3.1): Basic header or form body.

The comparison is constant-time (`hmac.compare_digest`) for both the id and the secret, and both are
always compared, so response timing says nothing about how much of a guess was right.
"""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from urllib.parse import unquote_plus

from auth_gateway.authorization_server.errors import TokenRequestError

__all__ = [
    "PUBLIC_CLIENT_METHOD",
    "SECRET_METHODS",
    "PresentedCredentials",
    "credentials_match",
    "presented_credentials",
]

# How the configured client (OAUTH_CLIENT_ID) may authenticate; the discovery document lists these.
CLIENT_SECRET_BASIC = "client_secret_basic"  # noqa: S105 (a method name, not a secret)
CLIENT_SECRET_POST = "client_secret_post"  # noqa: S105
SECRET_METHODS = (CLIENT_SECRET_BASIC, CLIENT_SECRET_POST)
# Clients that registered themselves are public: they send no secret and prove themselves with PKCE.
PUBLIC_CLIENT_METHOD = "none"


@dataclass(frozen=True, slots=True)
class PresentedCredentials:
    client_id: str
    client_secret: str
    method: str  # "client_secret_basic" | "client_secret_post"


def presented_credentials(authorization: str | None, form: dict[str, str]) -> PresentedCredentials:
    """Exactly one authentication method per request (RFC 6749 §2.3); raise `TokenRequestError` otherwise."""
    basic = _basic_credentials(authorization)
    in_body = "client_id" in form or "client_secret" in form
    if basic is not None and "client_secret" in form:
        raise TokenRequestError(
            "invalid_request", "use either HTTP Basic or client_secret in the body, not both"
        )
    if basic is not None:
        if form.get("client_id", basic.client_id) != basic.client_id:
            raise TokenRequestError(
                "invalid_request", "client_id in the body differs from the Basic credentials"
            )
        return basic
    if not in_body:
        raise TokenRequestError(
            "invalid_client",
            "client authentication is required: HTTP Basic or client_id and client_secret in the body",
            status=401,
        )
    client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
    if not client_id or not client_secret:
        raise TokenRequestError(
            "invalid_client", "both client_id and client_secret are required in the body", status=401
        )
    return PresentedCredentials(client_id, client_secret, CLIENT_SECRET_POST)


def _basic_credentials(authorization: str | None) -> PresentedCredentials | None:
    if not authorization:
        return None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except ValueError:  # bad base64 (binascii.Error), non-UTF-8 bytes, or non-ASCII header characters
        raise TokenRequestError(
            "invalid_client", "the Basic credentials are not valid base64", status=401
        ) from None
    client_id, colon, client_secret = decoded.partition(":")
    if not colon or not client_id or not client_secret:
        raise TokenRequestError(
            "invalid_client", "Basic credentials must be client_id:client_secret", status=401
        )
    # RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return PresentedCredentials(unquote_plus(client_id), unquote_plus(client_secret), CLIENT_SECRET_BASIC)


def credentials_match(presented: PresentedCredentials, client_id: str, client_secret: str) -> bool:
    id_ok = hmac.compare_digest(presented.client_id.encode("utf-8"), client_id.encode("utf-8"))
    secret_ok = hmac.compare_digest(presented.client_secret.encode("utf-8"), client_secret.encode("utf-8"))
    return id_ok & secret_ok
