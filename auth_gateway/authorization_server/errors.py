"""The authorization server's failures, one class per answer a route gives (see auth_gateway/errors.py).

    TokenRequestError          /oauth/token, /oauth/revoke: RFC 6749 §5.2 JSON with `status`
    RegistrationRefused        /oauth/register: RFC 7591 §3.2.2 JSON (400)
    UnknownClient              /oauth/authorize: a 400 page naming the problem, no redirect
    AuthorizationPageError     the client or redirect URI cannot be trusted: a page (RFC 6749 §4.1.2.1)
    AuthorizationRedirectError any later problem: redirect with `error=`, `state` and `iss`
    RateLimited                over a failure limit: 429 with Retry-After
    UnreadableHost             a host name the owner could not read as it is on the login page
    LoginRefused               the login form ends before the password check: a page with `status`

Storage (codes, refresh tokens, clients) never raises these: it returns values or None, and the
route words the error.
"""

from __future__ import annotations

from auth_gateway.errors import GatewayError

__all__ = [
    "AuthorizationPageError",
    "AuthorizationRedirectError",
    "LoginRefused",
    "RateLimited",
    "RegistrationRefused",
    "TokenRequestError",
    "UnknownClient",
    "UnreadableHost",
]


class _Described(GatewayError):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class TokenRequestError(GatewayError):
    """An RFC 6749 §5.2 error response from the token endpoint."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


class RegistrationRefused(GatewayError):
    """An RFC 7591 §3.2.2 error from the registration endpoint (`error` is the RFC's code)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class UnknownClient(_Described):
    """A client_id the authorization endpoint cannot vouch for: answered with a 400 page, never a
    redirect (RFC 6749 §4.1.2.1). `description` says why and is safe to show."""


class AuthorizationPageError(_Described):
    """The client or redirect URI cannot be trusted: show a page, never redirect (RFC 6749 §4.1.2.1)."""


class AuthorizationRedirectError(GatewayError):
    """Any other problem: redirect to the (already validated) redirect URI with `error=` (§4.1.2.1)."""

    def __init__(self, error: str, description: str, *, redirect_uri: str, state: str | None) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.redirect_uri = redirect_uri
        self.state = state


class RateLimited(GatewayError):
    """Over the limit: refuse with 429 and `Retry-After: retry_after`."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry in {retry_after} s")
        self.retry_after = retry_after


class UnreadableHost(_Described):
    """A host name that cannot be shown to a person honestly; `description` says why."""


class LoginRefused(GatewayError):
    """The login request ends before the password is checked: shown as the error page with `status`,
    logged with `reason`."""

    def __init__(self, description: str, reason: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.reason = reason
        self.status = status
