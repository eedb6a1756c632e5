"""The gateway's error tree: every exception it defines derives from `GatewayError`.

    GatewayError
    ├── SettingsError         the environment describes no gateway we may start (exit 2, the fix named)
    ├── StateStoreError       OAUTH_STATE_PATH cannot be opened or written (exit 2 at start-up)
    ├── DiscoveryPublishError DISCOVERY_DIR cannot be written (exit 2 at start-up)
    ├── BodyTooLarge          a request body over its route's bound; the route words the answer
    ├── AccessRefused         ./scripts/access cannot do what was asked (the message says why)
    ├── TokenRejected         /verify answers 401 error="invalid_token" (or a bare challenge)
    │   ├── MissingToken      no bearer credentials at all: the bare RFC 6750 §3.1 challenge
    │   └── InsufficientScope /verify answers 403 error="insufficient_scope"
    ├── verify.errors: IssuerUnavailable
    └── authorization_server.errors: TokenRequestError, RegistrationRefused, UnknownClient,
        AuthorizationPageError, AuthorizationRedirectError, RateLimited, UnreadableHost

The token errors live here, not under verify/, because the gateway's own tokens (credentials/) raise
them for both rooms. Descriptions are written for the operator or client developer who must act on
them; they never contain the token or a secret. Exceptions carry data, never a response.
"""

from __future__ import annotations

__all__ = [
    "AccessRefused",
    "BodyTooLarge",
    "DiscoveryPublishError",
    "GatewayError",
    "InsufficientScope",
    "MissingToken",
    "SettingsError",
    "StateStoreError",
    "TokenRejected",
]


class GatewayError(Exception):
    """Base of every failure the gateway models; anything else reaching a route is a bug."""


class SettingsError(GatewayError):
    """The environment does not describe a gateway we may start; the message says what to change."""


class StateStoreError(GatewayError):
    """The state file cannot be opened or written; the message names OAUTH_STATE_PATH and the fix."""


class DiscoveryPublishError(GatewayError):
    """The discovery documents cannot be written; the message names DISCOVERY_DIR and the fix."""


class BodyTooLarge(GatewayError):
    """The request body is longer than its route accepts; the route says so in its protocol's words."""


class AccessRefused(GatewayError):
    """The access command cannot do what was asked; the message says why and what to do instead."""


class TokenRejected(GatewayError):
    """The bearer token does not grant access; `description` is safe to send to the client."""

    def __init__(self, description: str, *, reason: str) -> None:
        super().__init__(description)
        self.description = description
        self.reason = reason  # short machine-friendly tag for the decision log


class MissingToken(TokenRejected):
    """No bearer credentials at all: answer with a bare challenge (RFC 6750 §3.1, no error code)."""


class InsufficientScope(TokenRejected):
    """The token is valid but lacks a scope listed in OAUTH_SCOPES."""
