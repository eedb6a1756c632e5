"""The failures the gateway's callers handle differently, in one place.

    TokenRejected            → /verify answers 401 error="invalid_token" (or a bare challenge)
    └── InsufficientScope    → /verify answers 403 error="insufficient_scope"
    TokenRequestError        → /oauth/token answers RFC 6749 §5.2 JSON with `status`
    IssuerUnavailable        → discovery/JWKS fetch failed; cached keys keep working, callers log it
    RegistrationRefused      → /oauth/register answers RFC 7591 §3.2.2 JSON (400)
    UnknownClient            → /oauth/authorize answers a 400 page naming the problem, no redirect

Descriptions are written for the operator or client developer who must act on them; they never
contain the token or a secret.
"""

from __future__ import annotations

__all__ = [
    "InsufficientScope",
    "IssuerUnavailable",
    "RegistrationRefused",
    "TokenRejected",
    "TokenRequestError",
    "UnknownClient",
]


class TokenRejected(Exception):
    """The bearer token does not grant access; `description` is safe to send to the client."""

    def __init__(self, description: str, *, reason: str) -> None:
        super().__init__(description)
        self.description = description
        self.reason = reason  # short machine-friendly tag for the decision log


class InsufficientScope(TokenRejected):
    """The token is valid but lacks a scope listed in OAUTH_SCOPES."""


class IssuerUnavailable(Exception):
    """The issuer's discovery document or JWKS could not be fetched or understood."""


class TokenRequestError(Exception):
    """An RFC 6749 §5.2 error response from the token endpoint."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


class RegistrationRefused(Exception):
    """An RFC 7591 §3.2.2 error from the registration endpoint (`error` is the RFC's code)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class UnknownClient(Exception):
    """A client_id the authorization endpoint cannot vouch for: answered with a 400 page, never a
    redirect (RFC 6749 §4.1.2.1). `description` says why and is safe to show."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description
