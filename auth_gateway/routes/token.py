"""POST /oauth/token — the client_credentials grant (RFC 6749 §4.4) for scripts and custom clients.

Every failure is an RFC 6749 §5.2 JSON error with `Cache-Control: no-store`, never a 500. Failed client
authentications are counted per client address; past the limit the answer is 429 with `Retry-After`.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from auth_gateway.client_auth import credentials_match, presented_credentials
from auth_gateway.errors import TokenRequestError
from auth_gateway.logging_setup import log_decision
from auth_gateway.routes.deps import GatewayDep, client_ip_of

__all__ = ["router"]

router = APIRouter()
MAX_BODY_BYTES = 8192
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post("/oauth/token")
async def token(request: Request, gateway: GatewayDep) -> JSONResponse:
    started = time.perf_counter()
    address = client_ip_of(request, gateway)
    own_tokens = gateway.own_tokens
    settings = gateway.settings
    try:
        if own_tokens is None or settings.OAUTH_CLIENT_ID is None or settings.OAUTH_CLIENT_SECRET is None:
            raise TokenRequestError(
                "unsupported_grant_type",
                "client_credentials is not enabled on this server (AUTH_MODE=oauth with "
                "OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET turns it on)",
            )
        retry_after = gateway.rate_limiter.retry_after(address)
        if retry_after is not None:
            log_decision("token", "deny", reason="rate_limited", started=started, client_ip=address)
            return JSONResponse(
                {
                    "error": "too_many_requests",
                    "error_description": f"too many failed client authentications; retry in {retry_after} s",
                },
                status_code=429,
                headers={**NO_STORE, "Retry-After": str(retry_after)},
            )
        form = await _form(request)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise TokenRequestError("invalid_request", "grant_type is required (use client_credentials)")
        if grant_type != "client_credentials":
            raise TokenRequestError(
                "unsupported_grant_type", "only grant_type=client_credentials is supported here"
            )
        authorization = request.headers.get("authorization")
        try:
            presented = presented_credentials(authorization, form)
        except TokenRequestError as exc:
            if exc.error == "invalid_client":
                gateway.rate_limiter.record_failure(address)
            raise
        if not credentials_match(
            presented, settings.OAUTH_CLIENT_ID, settings.OAUTH_CLIENT_SECRET.get_secret_value()
        ):
            gateway.rate_limiter.record_failure(address)
            raise TokenRequestError("invalid_client", "unknown client or wrong client secret", status=401)
    except TokenRequestError as exc:
        log_decision("token", "deny", reason=exc.error, started=started, client_ip=address)
        headers = dict(NO_STORE)
        if exc.status == 401 and (request.headers.get("authorization") or "").lower().startswith("basic"):
            headers["WWW-Authenticate"] = 'Basic realm="real-estate-mcp"'  # RFC 6749 §5.2
        return JSONResponse(
            {"error": exc.error, "error_description": exc.description},
            status_code=exc.status,
            headers=headers,
        )
    issued = own_tokens.issue()
    log_decision(
        "token",
        "allow",
        reason=presented.method,
        started=started,
        subject=presented.client_id,
        client_id=presented.client_id,
        client_ip=address,
    )
    body: dict[str, str | int] = {
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
    }
    if issued.scope:
        body["scope"] = issued.scope
    return JSONResponse(body, headers=NO_STORE)


async def _form(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise TokenRequestError(
            "invalid_request", "send the parameters as application/x-www-form-urlencoded (RFC 6749 §4.4.2)"
        )
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise TokenRequestError("invalid_request", "the request body is too large")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise TokenRequestError("invalid_request", "the request body is not valid form data") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            # RFC 6749 §3.2: parameters must not be included more than once.
            raise TokenRequestError("invalid_request", f"the parameter {name[:40]!r} appears more than once")
        form[name] = value
    return form
