"""The authorization request (RFC 6749 §4.1.1, OAuth 2.1) as every client sends it, and its answers.

Which client is asking, and so which redirect URIs it may use, is the caller's business (the route
resolves the client and passes `redirect_allowed`); everything else is the same for every client:

- the client and its redirect URI are checked first. If either is wrong the user agent must not be
  sent anywhere (RFC 6749 §4.1.2.1, an open redirector otherwise): `AuthorizationPageError`, shown as
  a 400 page by `error_page`;
- every later problem goes back to the client as a redirect with `error=`, `state` and `iss`
  (`AuthorizationRedirectError`, `error_redirect`);
- PKCE with S256 is required, `plain` refused; `resource` (RFC 8707), when sent, must be ours;
- scopes: the token gets the configured scopes the request names, or all of them when it names none.
  `offline_access` and scopes we do not know are ignored rather than refused, because real clients
  send them (the MCP SDK appends offline_access, Claude and ChatGPT add their own).
- only `USED_PARAMETERS` are read; every other parameter (`prompt`, `nonce`, `login_hint`, `max_age`,
  `ui_locales`, `claims`, anything unknown) is ignored, never refused, as RFC 6749 §3.1 requires:
  not checked for repetition or length, and not carried through the owner's login form.

Success is `success_redirect`: `code`, `state` unchanged, and `iss` (RFC 9207) so a client talking to
several authorization servers can tell which one answered.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi.responses import HTMLResponse

from auth_gateway.authorization_server.authorization_codes import AuthorizationGrant
from auth_gateway.authorization_server.errors import AuthorizationPageError, AuthorizationRedirectError
from auth_gateway.authorization_server.pkce import CHALLENGE_PATTERN
from auth_gateway.authorization_server.redirect_rules import MAX_URL_LENGTH

__all__ = [
    "USED_PARAMETERS",
    "AuthorizationRequest",
    "error_page",
    "error_redirect",
    "granted_scopes",
    "requested_client_id",
    "success_redirect",
    "validate_authorization_request",
]

MAX_PARAMETER_LENGTH = MAX_URL_LENGTH
# The authorization request parameters this server reads (RFC 6749 §4.1.1, RFC 7636, RFC 8707).
USED_PARAMETERS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "code_challenge",
    "code_challenge_method",
    "state",
    "resource",
    "scope",
)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    state: str | None
    code_challenge: str
    resource: str
    scopes: tuple[str, ...]

    def grant(self, *, subject: str, client_name: str = "") -> AuthorizationGrant:
        """What a code issued for this request is bound to, speaking for `subject`; `client_name` is
        what the login page showed, kept for `./scripts/access sessions`."""
        return AuthorizationGrant(
            client_id=self.client_id,
            redirect_uri=self.redirect_uri,
            code_challenge=self.code_challenge,
            resource=self.resource,
            scopes=self.scopes,
            subject=subject,
            client_name=client_name,
        )


def requested_client_id(pairs: Sequence[tuple[str, str]]) -> str:
    """The client_id the request names, for the caller to resolve before validating the rest."""
    values = [value for name, value in pairs if name == "client_id"]
    if len(values) > 1:
        raise AuthorizationPageError("the parameter client_id appears more than once")
    if not values or not values[0]:
        raise AuthorizationPageError("client_id is missing")
    return values[0]


def validate_authorization_request(
    pairs: Sequence[tuple[str, str]],
    *,
    redirect_allowed: Callable[[str], bool],
    resource: str,
    supported_scopes: Sequence[str],
) -> AuthorizationRequest:
    """Check the request in the order RFC 6749 §4.1.2.1 prescribes; raise one of the two errors above.

    `pairs` are the query's (or a login form's) name/value pairs in order; the caller has already
    resolved `requested_client_id(pairs)` to a client it knows and passes that client's redirect rule.
    """
    client_id = requested_client_id(pairs)
    params: dict[str, str] = {}
    repeated: set[str] = set()
    for name, value in pairs:
        if name not in USED_PARAMETERS:
            continue  # RFC 6749 §3.1: unrecognised parameters are ignored
        if name in params:
            repeated.add(name)
        params[name] = value
    if "redirect_uri" in repeated:
        raise AuthorizationPageError("the parameter redirect_uri appears more than once")
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri:
        raise AuthorizationPageError("redirect_uri is missing")
    if not redirect_allowed(redirect_uri):
        raise AuthorizationPageError(
            "this redirect_uri is not allowed for this client; the server owner can add it to "
            "OAUTH_REDIRECT_URIS"
        )
    state = params.get("state")

    def refuse(error: str, description: str) -> AuthorizationRedirectError:
        return AuthorizationRedirectError(error, description, redirect_uri=redirect_uri, state=state)

    if repeated:
        # RFC 6749 §3.1: request parameters must not be included more than once.
        raise refuse("invalid_request", f"parameters must not repeat: {' '.join(sorted(repeated))[:80]}")
    too_long = sorted(name for name, value in params.items() if len(value) > MAX_PARAMETER_LENGTH)
    if too_long:
        raise refuse("invalid_request", f"parameter too long: {too_long[0][:40]}")
    response_type = params.get("response_type")
    if not response_type:
        raise refuse("invalid_request", "response_type is missing (use response_type=code)")
    if response_type != "code":
        raise refuse("unsupported_response_type", "only response_type=code is supported")
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method")
    if not challenge:
        raise refuse(
            "invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256"
        )
    if method != "S256":
        # A missing method means `plain` (RFC 7636 §4.3), which OAuth 2.1 no longer allows.
        raise refuse("invalid_request", "code_challenge_method must be S256 (plain is not accepted)")
    if not CHALLENGE_PATTERN.fullmatch(challenge):
        raise refuse("invalid_request", "code_challenge must be 43 base64url characters (S256)")
    requested_resource = params.get("resource")
    if requested_resource is not None and requested_resource.rstrip("/") != resource:
        raise refuse("invalid_target", f"this server only issues tokens for the resource {resource}")
    return AuthorizationRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        state=state,
        code_challenge=challenge,
        resource=resource,
        scopes=granted_scopes(params.get("scope"), supported_scopes),
    )


def granted_scopes(requested: str | None, supported: Sequence[str]) -> tuple[str, ...]:
    """The supported scopes the request names (in configuration order), or all when it names none."""
    named = set((requested or "").split())
    chosen = tuple(scope for scope in supported if scope in named)
    return chosen or tuple(supported)


def success_redirect(request: AuthorizationRequest, code: str, *, issuer: str) -> str:
    return _with_parameters(request.redirect_uri, {"code": code, "state": request.state, "iss": issuer})


def error_redirect(error: AuthorizationRedirectError, *, issuer: str) -> str:
    return _with_parameters(
        error.redirect_uri,
        {"error": error.error, "error_description": error.description, "state": error.state, "iss": issuer},
    )


def _with_parameters(uri: str, values: dict[str, str | None]) -> str:
    """Append to the redirect URI's own query (RFC 6749 §3.1.2 allows one), keeping it intact."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((name, value) for name, value in values.items() if value is not None)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def error_page(description: str, *, status: int = 400) -> HTMLResponse:
    """A small self-contained page for the errors that must not redirect; no script, nothing external."""
    text = html.escape(description)
    body = f"""<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>로그인할 수 없습니다 · Cannot sign in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>로그인할 수 없습니다 · Cannot sign in</h1>
<p>이 연결 요청은 거부되었습니다. This authorization request was refused:</p>
<p><strong>{text}</strong></p>
<p>연결하려는 앱의 설정을 확인하세요. Check the connector's settings in the app that sent you here.</p>
</body>
</html>
"""
    return HTMLResponse(body, status_code=status, headers=NO_STORE)
