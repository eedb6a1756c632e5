"""POST /oauth/token — the token endpoint (RFC 6749 §3.2) of the built-in authorization server.

Grants: `client_credentials` (§4.4, scripts), `authorization_code` (§4.1.3, with PKCE, for Claude,
ChatGPT and command-line clients) and `refresh_token` (§6, rotating). Every grant first
authenticates the client (`authenticated_client`, the one place that decides who is asking); failed
client authentications are counted per client address, and past the limit the answer is 429 with
`Retry-After`. Access tokens are always the gateway's own JWTs (auth_gateway/credentials/own_tokens.py), so
/verify checks them the way it checks client_credentials tokens.

Every answer carries `Cache-Control: no-store`; every failure is an RFC 6749 §5.2 JSON error, never a
500 (an unexpected failure, such as an unwritable state file, answers 503 `temporarily_unavailable`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from auth_gateway.authorization_server.authorization_request import granted_scopes
from auth_gateway.authorization_server.client_auth import credentials_match, presented_credentials
from auth_gateway.authorization_server.errors import RateLimited, TokenRequestError
from auth_gateway.authorization_server.pkce import verifier_matches, well_formed_verifier
from auth_gateway.authorization_server.rate_limit import address_key
from auth_gateway.authorization_server.refresh_tokens import RefreshGrant
from auth_gateway.authorization_server.root import AuthorizationServer
from auth_gateway.authorization_server.routes.deps import ServerDep
from auth_gateway.credentials.own_tokens import IssuedToken
from auth_gateway.errors import BodyTooLarge
from auth_gateway.logging_setup import log_decision
from auth_gateway.web.answers import NO_STORE, too_many_requests
from auth_gateway.web.bodies import FORM_CONTENT_TYPE, content_type, parse_form, read_bounded
from auth_gateway.web.client_ip import client_ip_of

__all__ = ["AuthenticatedClient", "authenticated_client", "read_form", "router", "token_error"]

router = APIRouter()
log = logging.getLogger("auth_gateway.token")
MAX_BODY_BYTES = 8192
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")


@dataclass(frozen=True, slots=True)
class AuthenticatedClient:
    client_id: str
    method: str  # "client_secret_basic" | "client_secret_post" | "none" (a public client)


@dataclass(frozen=True, slots=True)
class _TokenRequest:
    gateway: AuthorizationServer
    form: dict[str, str]
    client: AuthenticatedClient


@dataclass(frozen=True, slots=True)
class _Issued:
    access: IssuedToken
    refresh_token: str | None = None


@router.post("/oauth/token")
async def token(request: Request, gateway: ServerDep) -> JSONResponse:
    started = time.perf_counter()
    address = client_ip_of(request, gateway.settings)
    try:
        retry_after = gateway.rate_limiter.retry_after(address_key(address))
        if retry_after is not None:
            raise RateLimited(retry_after)
        form = await read_form(request)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise TokenRequestError(
                "invalid_request", f"grant_type is required (one of: {', '.join(GRANT_TYPES)})"
            )
        grant = _GRANTS.get(grant_type)
        if grant is None:
            raise TokenRequestError(
                "unsupported_grant_type", f"supported grant types: {', '.join(GRANT_TYPES)}"
            )
        client = authenticated_client(request, form, gateway, address)
        issued = await grant(_TokenRequest(gateway, form, client))
    except RateLimited as limited:
        log_decision("token", "deny", reason="rate_limited", started=started, client_ip=address)
        return too_many_requests("too many failed client authentications", limited.retry_after)
    except TokenRequestError as exc:
        log_decision("token", "deny", reason=exc.error, started=started, client_ip=address)
        return token_error(request, exc)
    except Exception:  # never a 500: an unexpected failure (e.g. the state file) is logged, not shown
        log.exception("the token request failed unexpectedly")
        log_decision("token", "deny", reason="internal", started=started, client_ip=address)
        return token_error(
            request,
            TokenRequestError(
                "temporarily_unavailable", "the token could not be issued; try again", status=503
            ),
        )
    log_decision(
        "token",
        "allow",
        reason=f"{grant_type}/{client.method}",
        started=started,
        subject=client.client_id,
        client_id=client.client_id,
        client_ip=address,
    )
    body: dict[str, str | int] = {
        "access_token": issued.access.access_token,
        "token_type": "Bearer",
        "expires_in": issued.access.expires_in,
    }
    if issued.access.scope:
        body["scope"] = issued.access.scope
    if issued.refresh_token is not None:
        body["refresh_token"] = issued.refresh_token
    return JSONResponse(body, headers=NO_STORE)


def authenticated_client(
    request: Request, form: dict[str, str], gateway: AuthorizationServer, address: str
) -> AuthenticatedClient:
    """Who is asking: the configured confidential client, authenticated by its secret (RFC 6749 §2.3.1),
    or, with owner login, a public client that registered itself.

    The one place that decides client authentication for every grant. A secret is only compared
    after the attempt took its slot in the rate limiter (`RateLimited` otherwise), and the slot is
    given back when the secret was right, so a burst of guesses gets at most the limit's worth of
    comparisons. A public client (RFC 6749 §2.1) names itself with client_id in the body and proves
    nothing here: its codes and refresh tokens are bound to its client_id, and the code to its PKCE
    challenge. A client_secret it sends anyway is ignored (it never received one).
    """
    public_id = form.get("client_id")
    if (
        public_id
        and public_id != gateway.client_id
        and not (request.headers.get("authorization") or "").lower().startswith("basic")
        and gateway.other_clients.is_public_client_id(public_id)
    ):
        return AuthenticatedClient(public_id, "none")
    attempt = gateway.rate_limiter.admit(address_key(address))
    try:
        presented = presented_credentials(request.headers.get("authorization"), form)
    except TokenRequestError as exc:
        if exc.error != "invalid_client":
            attempt.succeeded()  # a malformed request, not a guess: it does not count
        raise
    if not credentials_match(presented, gateway.client_id, gateway.client_secret):
        raise TokenRequestError("invalid_client", "unknown client or wrong client secret", status=401)
    attempt.succeeded()
    return AuthenticatedClient(presented.client_id, presented.method)


async def _client_credentials(request: _TokenRequest) -> _Issued:
    if request.client.method == "none":
        raise TokenRequestError(
            "unauthorized_client", "client_credentials is only for the configured client (OAUTH_CLIENT_ID)"
        )
    return _Issued(request.gateway.own_tokens.issue())


async def _authorization_code(request: _TokenRequest) -> _Issued:
    """RFC 6749 §4.1.3 with RFC 7636 §4.6: the code is spent first, so a wrong verifier burns it."""
    form, gateway = request.form, request.gateway
    code = _required(form, "code")
    verifier = _required(form, "code_verifier", " (PKCE)")
    redirect_uri = _required(form, "redirect_uri", ": the one the authorization request used")
    redeemed = gateway.codes.redeem(code)
    grant = redeemed.grant
    if grant.client_id != request.client.client_id:
        raise TokenRequestError("invalid_grant", "the authorization code was issued to another client")
    if redirect_uri != grant.redirect_uri:
        raise TokenRequestError(
            "invalid_grant", "redirect_uri differs from the one the authorization code was issued for"
        )
    if not well_formed_verifier(verifier):
        raise TokenRequestError(
            "invalid_grant", "code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)"
        )
    if not verifier_matches(verifier, grant.code_challenge):
        raise TokenRequestError("invalid_grant", "code_verifier does not match the code_challenge")
    _check_resource(form, grant.resource)
    refresh = gateway.refresh_tokens.issue(
        RefreshGrant(
            client_id=grant.client_id, subject=grant.subject, resource=grant.resource, scopes=grant.scopes
        ),
        family=redeemed.family,
    )
    gateway.access.record_session(
        redeemed.family,
        subject=grant.subject,
        client_id=grant.client_id,
        client_name=grant.client_name or "configured client (OAUTH_CLIENT_ID)",
        redirect_host=urlsplit(grant.redirect_uri).netloc,
    )
    access = request.gateway.own_tokens.issue(
        scopes=grant.scopes, subject=grant.subject, client_id=grant.client_id, family=redeemed.family
    )
    return _Issued(access, refresh)


async def _refresh_token(request: _TokenRequest) -> _Issued:
    """RFC 6749 §6: a narrower `scope` may be asked for the access token; the refresh token keeps all."""
    form, gateway = request.form, request.gateway
    presented = _required(form, "refresh_token")
    requested = form.get("scope")

    def acceptable(grant: RefreshGrant) -> None:
        _check_resource(form, grant.resource)
        beyond = set((requested or "").split()) & set(gateway.settings.required_scopes) - set(grant.scopes)
        if beyond:
            raise TokenRequestError(
                "invalid_scope", f"not granted originally: {' '.join(sorted(beyond))[:100]}"
            )

    rotation = gateway.refresh_tokens.rotate(presented, client_id=request.client.client_id, check=acceptable)
    grant = rotation.grant
    gateway.access.touch_session(rotation.family)
    scopes = grant.scopes if requested is None else granted_scopes(requested, grant.scopes)
    access = request.gateway.own_tokens.issue(
        scopes=scopes, subject=grant.subject, client_id=grant.client_id, family=rotation.family
    )
    return _Issued(access, rotation.refresh_token)


_GRANTS: dict[str, Callable[[_TokenRequest], Awaitable[_Issued]]] = {
    "authorization_code": _authorization_code,
    "refresh_token": _refresh_token,
    "client_credentials": _client_credentials,
}


def _required(form: dict[str, str], name: str, hint: str = "") -> str:
    value = form.get(name)
    if not value:
        raise TokenRequestError("invalid_request", f"{name} is required{hint}")
    return value


def _check_resource(form: dict[str, str], resource: str) -> None:
    requested = form.get("resource")
    if requested is not None and requested.rstrip("/") != resource:
        raise TokenRequestError(
            "invalid_target", f"this server only issues tokens for the resource {resource}"
        )


def token_error(request: Request, exc: TokenRequestError) -> JSONResponse:
    """The RFC 6749 §5.2 answer (also /oauth/revoke's, RFC 7009 §2.2.1)."""
    headers = dict(NO_STORE)
    if exc.status == 401 and (request.headers.get("authorization") or "").lower().startswith("basic"):
        headers["WWW-Authenticate"] = 'Basic realm="real-estate-mcp"'  # RFC 6749 §5.2
    if exc.status == 503:
        headers["Retry-After"] = "5"
    return JSONResponse(
        {"error": exc.error, "error_description": exc.description}, status_code=exc.status, headers=headers
    )


async def read_form(request: Request) -> dict[str, str]:
    """The urlencoded body as a dict, refusing what RFC 6749 refuses (repeated parameters, §3.2)."""
    if content_type(request) != FORM_CONTENT_TYPE:
        raise TokenRequestError(
            "invalid_request", "send the parameters as application/x-www-form-urlencoded (RFC 6749 §3.2)"
        )
    try:
        pairs = parse_form(await read_bounded(request, MAX_BODY_BYTES))
    except BodyTooLarge:
        raise TokenRequestError("invalid_request", "the request body is too large") from None
    except ValueError:
        raise TokenRequestError("invalid_request", "the request body is not valid form data") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            # RFC 6749 §3.2: parameters must not be included more than once.
            raise TokenRequestError("invalid_request", f"the parameter {name[:40]!r} appears more than once")
        form[name] = value
    return form
