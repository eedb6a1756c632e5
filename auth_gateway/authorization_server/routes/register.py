"""POST /oauth/register — dynamic client registration (RFC 7591) for owner login.

Open to anyone, as the protocol intends: a registration alone grants nothing, the owner's password on
the login page does. It is still bounded: a JSON body of at most `MAX_BODY_BYTES`, and at most
`REGISTRATIONS_PER_MINUTE` registrations per address (429 with Retry-After). Errors are RFC 7591 §3.2.2
JSON; without owner login the endpoint answers 404, as nothing advertises it then. While the owner
has closed the door (`./scripts/access close`) it answers 403 `access_denied`, saying so.
"""

from __future__ import annotations

import json
import time
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from auth_gateway.authorization_server.clients.registration import registration_response
from auth_gateway.authorization_server.errors import RateLimited, RegistrationRefused
from auth_gateway.authorization_server.rate_limit import address_key
from auth_gateway.authorization_server.routes.deps import LoginPagesDep
from auth_gateway.errors import BodyTooLarge
from auth_gateway.logging_setup import log_decision
from auth_gateway.web.answers import NO_STORE, too_many_requests
from auth_gateway.web.bodies import content_type, read_bounded
from auth_gateway.web.client_ip import client_ip_of

__all__ = ["router"]

router = APIRouter()
MAX_BODY_BYTES = 16 * 1024


@router.post("/oauth/register")
async def register(request: Request, pages: LoginPagesDep) -> JSONResponse:
    started = time.perf_counter()
    address = client_ip_of(request, pages.settings)
    decide = partial(log_decision, "register", started=started, client_ip=address)
    owner_login = pages.owner_login
    if owner_login.sign_in.closed():
        decide("deny", reason="closed")
        return JSONResponse(
            {
                "error": "access_denied",
                "error_description": "this server is closed to new connections; apps already connected "
                "keep working (its owner opens it with ./scripts/access open)",
            },
            status_code=403,
            headers=NO_STORE,
        )
    try:
        owner_login.registrations.admit(address_key(address))  # every registration counts, none refunded
    except RateLimited as limited:
        decide("deny", reason="rate_limited")
        return too_many_requests("too many registrations from this address", limited.retry_after)
    try:
        client = owner_login.registry.register(await _json_body(request))
    except RegistrationRefused as exc:
        decide("deny", reason=exc.error)
        return JSONResponse(
            {"error": exc.error, "error_description": exc.description}, status_code=400, headers=NO_STORE
        )
    decide("allow", reason="public_client", subject=client.client_name, client_id=client.client_id)
    return JSONResponse(registration_response(client), status_code=201, headers=NO_STORE)


async def _json_body(request: Request) -> object:
    if content_type(request) != "application/json":
        raise RegistrationRefused("invalid_client_metadata", "send the client metadata as application/json")
    try:
        body = await read_bounded(request, MAX_BODY_BYTES)
    except BodyTooLarge:
        raise RegistrationRefused(
            "invalid_client_metadata", f"the request is larger than {MAX_BODY_BYTES // 1024} KiB"
        ) from None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RegistrationRefused("invalid_client_metadata", "the body is not valid JSON") from None
    except RecursionError:  # a few KB of [[[[... nest deeper than the parser goes
        raise RegistrationRefused(
            "invalid_client_metadata", "the body nests too deeply to be client metadata"
        ) from None
