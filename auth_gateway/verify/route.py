"""GET /verify — Caddy's forward_auth target for every /mcp request.

2xx lets the request through (Caddy copies X-Auth-Subject and X-Auth-Client-Id to the MCP server);
any other answer goes back to the client unchanged, so the 401 carries the RFC 9728 `resource_metadata`
challenge MCP clients start their OAuth discovery from, and RFC 6750 §3 error codes.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from auth_gateway.errors import InsufficientScope, MissingToken, TokenRejected
from auth_gateway.logging_setup import log_decision
from auth_gateway.verify.root import Verification
from auth_gateway.web.client_ip import client_ip_of

__all__ = ["PATH", "challenge", "open_router", "router", "verify", "verify_open"]

PATH = "/verify"
router = APIRouter()
open_router = APIRouter()  # AUTH_MODE=none: the door is open
log = logging.getLogger("auth_gateway.verify")
_UNSAFE_IN_QUOTED_STRING = re.compile(r'[^\x20-\x7e]|["\\]')
_PRINTABLE_ASCII = re.compile(r"^[\x21-\x7e]*$")


@open_router.get(PATH)
async def verify_open(request: Request) -> Response:
    return Response(status_code=200)


@router.get(PATH)
async def verify(request: Request) -> Response:
    started = time.perf_counter()
    room: Verification = request.app.state.verification  # not a Depends: the hot path of every request
    verifier = room.verifier
    if request.headers.get("x-forwarded-method", "").upper() == "OPTIONS":
        # CORS preflight carries no credentials by design (Fetch standard); Caddy answers it.
        log_decision("verify", "allow", reason="cors_preflight", started=started)
        return Response(status_code=200)
    try:
        identity = await verifier.verify(request.headers.get("authorization"))
    except TokenRejected as exc:
        log_decision(
            "verify",
            "deny",
            reason=exc.reason,
            started=started,
            client_ip=client_ip_of(request, room.settings),
        )
        return _denied(room, exc)
    except Exception:  # fail closed: an unexpected bug must never open the door or show a 500
        log.exception("token verification failed unexpectedly")
        log_decision(
            "verify",
            "deny",
            reason="internal",
            started=started,
            client_ip=client_ip_of(request, room.settings),
        )
        return _denied(room, TokenRejected("the token could not be verified", reason="internal"))
    log_decision(
        "verify",
        "allow",
        reason=identity.source,
        started=started,
        subject=identity.subject,
        client_id=identity.client_id,
    )
    return Response(
        status_code=200,
        headers={
            "X-Auth-Subject": _header_safe(identity.subject),
            "X-Auth-Client-Id": _header_safe(identity.client_id),
        },
    )


def challenge(room: Verification, error: TokenRejected | None) -> str:
    """The RFC 6750 §3 / RFC 9728 §5.1 `WWW-Authenticate` value."""
    settings = room.settings
    params = [f'resource_metadata="{settings.resource_metadata_url}"']
    if settings.required_scopes:
        params.append(f'scope="{" ".join(settings.required_scopes)}"')
    if error is not None and not isinstance(error, MissingToken):
        code = "insufficient_scope" if isinstance(error, InsufficientScope) else "invalid_token"
        params.append(f'error="{code}"')
        params.append(f'error_description="{_UNSAFE_IN_QUOTED_STRING.sub("?", error.description)}"')
    return "Bearer " + ", ".join(params)


def _denied(room: Verification, error: TokenRejected) -> JSONResponse:
    if isinstance(error, MissingToken):
        status, body = 401, {"error": "unauthorized", "error_description": "a bearer token is required"}
    elif isinstance(error, InsufficientScope):
        status, body = 403, {"error": "insufficient_scope", "error_description": error.description}
    else:
        status, body = 401, {"error": "invalid_token", "error_description": error.description}
    return JSONResponse(
        body,
        status_code=status,
        headers={"WWW-Authenticate": challenge(room, error), "Cache-Control": "no-store"},
    )


def _header_safe(value: str) -> str:
    return value if _PRINTABLE_ASCII.match(value) else quote(value, safe="")
