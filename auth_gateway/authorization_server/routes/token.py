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

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from auth_gateway.authorization_server.client_auth import (
    PUBLIC_CLIENT_METHOD,
    credentials_match,
    presented_credentials,
)
from auth_gateway.authorization_server.errors import RateLimited, TokenRequestError
from auth_gateway.authorization_server.rate_limit import address_key
from auth_gateway.authorization_server.root import AuthorizationServer
from auth_gateway.authorization_server.routes.deps import ServerDep
from auth_gateway.authorization_server.routes.grants import (
    GRANT_TYPES,
    GRANTS,
    AuthenticatedClient,
    TokenRequest,
    required,
)
from auth_gateway.errors import BodyTooLarge
from auth_gateway.logging_setup import log_decision
from auth_gateway.web.answers import NO_STORE, too_many_requests
from auth_gateway.web.bodies import FORM_CONTENT_TYPE, content_type, parse_form, read_bounded
from auth_gateway.web.client_ip import client_ip_of

__all__ = [
    "AuthenticatedClient",
    "admitted_form",
    "authenticated_client",
    "read_form",
    "refusal",
    "router",
    "token_error",
]

router = APIRouter()
log = logging.getLogger("auth_gateway.token")
MAX_BODY_BYTES = 8192


@router.post("/oauth/token")
async def token(request: Request, gateway: ServerDep) -> JSONResponse:
    started = time.perf_counter()
    address = client_ip_of(request, gateway.settings)
    try:
        form = await admitted_form(request, gateway, address)
        grant_type = required(form, "grant_type", f" (one of: {', '.join(GRANT_TYPES)})")
        grant = GRANTS.get(grant_type)
        if grant is None:
            raise TokenRequestError(
                "unsupported_grant_type", f"supported grant types: {', '.join(GRANT_TYPES)}"
            )
        client = authenticated_client(request, form, gateway, address)
        issued = await grant(TokenRequest(gateway, form, client))
    except (RateLimited, TokenRequestError) as refused:
        return refusal(request, "token", refused, started=started, address=address)
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


async def admitted_form(request: Request, gateway: AuthorizationServer, address: str) -> dict[str, str]:
    """The form of a request from an address still under the failed-authentication limit.

    Checked before the body is read, so an address past the limit costs us no parsing
    (`RateLimited` otherwise); shared by /oauth/token and /oauth/revoke, which count failures together.
    """
    retry_after = gateway.rate_limiter.retry_after(address_key(address))
    if retry_after is not None:
        raise RateLimited(retry_after)
    return await read_form(request)


def refusal(
    request: Request,
    endpoint: str,
    refused: RateLimited | TokenRequestError,
    *,
    started: float,
    address: str,
) -> JSONResponse:
    """The logged answer to a refused /oauth/token or /oauth/revoke request: 429 past the limit, else
    the RFC 6749 §5.2 error."""
    if isinstance(refused, RateLimited):
        log_decision(endpoint, "deny", reason="rate_limited", started=started, client_ip=address)
        return too_many_requests("too many failed client authentications", refused.retry_after)
    log_decision(endpoint, "deny", reason=refused.error, started=started, client_ip=address)
    return token_error(request, refused)


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
        return AuthenticatedClient(public_id, PUBLIC_CLIENT_METHOD)
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
