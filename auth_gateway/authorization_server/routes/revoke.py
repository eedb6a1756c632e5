"""POST /oauth/revoke — token revocation (RFC 7009) for the built-in authorization server's tokens.

A client that signs out (or an app that is removed) tells us its tokens are no longer needed. Both
kinds are accepted, with or without `token_type_hint` (a hint never narrows the search, §2.1):

- a refresh token revokes its whole sign-in, access tokens included (§2.1: "SHOULD also invalidate
  all access tokens based on the same authorization grant");
- an access token revokes its sign-in too (§2.1 allows it), so a client cannot keep the refresh token
  of an access token it asked us to forget.

The client authenticates exactly as at /oauth/token (`authenticated_client`: the secret for the
configured client, the client_id alone for a public client), with the same failure limit. A token we
do not know, that expired or is not ours at all gets 200 (§2.2: the client cannot do anything more
about it); a token issued to another client is refused (§2.1) and nothing is revoked.
"""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from auth_gateway.authorization_server.errors import RateLimited, TokenRequestError
from auth_gateway.authorization_server.root import AuthorizationServer
from auth_gateway.authorization_server.routes.deps import ServerDep
from auth_gateway.authorization_server.routes.grants import required
from auth_gateway.authorization_server.routes.token import admitted_form, authenticated_client, refusal
from auth_gateway.errors import TokenRejected
from auth_gateway.logging_setup import log_decision
from auth_gateway.verify.bearer_verifier import MAX_TOKEN_LENGTH
from auth_gateway.web.answers import NO_STORE
from auth_gateway.web.client_ip import client_ip_of

__all__ = ["router"]

router = APIRouter()
log = logging.getLogger("auth_gateway.revoke")


@router.post("/oauth/revoke")
async def revoke(request: Request, gateway: ServerDep) -> Response:
    started = time.perf_counter()
    address = client_ip_of(request, gateway.settings)
    try:
        form = await admitted_form(request, gateway, address)
        token = required(form, "token", ": the token to revoke")
        client = authenticated_client(request, form, gateway, address)
        family = _family_of(gateway, token, client.client_id)
    except (RateLimited, TokenRequestError) as refused:
        return refusal(request, "revoke", refused, started=started, address=address)
    except Exception:  # never a 500
        log.exception("the revocation request failed unexpectedly")
        log_decision("revoke", "deny", reason="internal", started=started, client_ip=address)
        return _unavailable()
    if family is not None:
        try:
            gateway.revocations.revoke_family(family)
        except Exception:
            log.exception("the revocation could not be recorded")
            return _unavailable()
    log_decision(
        "revoke",
        "allow",
        reason="revoked" if family is not None else "unknown_token",
        started=started,
        client_id=client.client_id,
        client_ip=address,
    )
    return Response(status_code=200, headers=NO_STORE)


def _family_of(gateway: AuthorizationServer, token: str, client_id: str) -> str | None:
    """The sign-in `token` belongs to, if it is a live token of `client_id`; refuse another client's."""
    refresh_tokens, own_tokens = gateway.refresh_tokens, gateway.own_tokens
    owner = refresh_tokens.owner_of(token)
    if owner is not None:
        if owner != client_id:
            raise _another_clients()
        return refresh_tokens.family_of(token, client_id=client_id)
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
        return None
    try:
        identity = own_tokens.verify(token)
    except TokenRejected:  # not ours, expired, or from before a secret change: nothing left to revoke
        return None
    if identity.client_id != client_id:
        raise _another_clients()
    return identity.family


def _another_clients() -> TokenRequestError:
    return TokenRequestError(
        "invalid_request", "this token was issued to another client; nothing was revoked"
    )


def _unavailable() -> JSONResponse:
    return JSONResponse(
        {
            "error": "temporarily_unavailable",
            "error_description": "the token could not be revoked; try again",
        },
        status_code=503,
        headers={**NO_STORE, "Retry-After": "5"},
    )
