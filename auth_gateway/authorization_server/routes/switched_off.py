"""What the authorization server's addresses answer when it, or its owner-login part, is not configured.

Its real routes are mounted only when configured (auth_gateway/app.py); these say which variable
turns each endpoint on, instead of a bare 404 a client developer cannot act on.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from auth_gateway.authorization_server.authorization_request import error_page, requested_client_id
from auth_gateway.authorization_server.errors import AuthorizationPageError
from auth_gateway.logging_setup import log_decision
from auth_gateway.web.answers import NO_STORE

__all__ = ["owner_login_off", "server_off"]

server_off = APIRouter()  # AUTH_MODE=none, or no OAUTH_CLIENT_ID / OAUTH_CLIENT_SECRET
owner_login_off = APIRouter()  # no OWNER_PASSWORD_HASH (or the server is off)


@server_off.get("/oauth/authorize")
async def authorize_off(request: Request) -> Response:
    started = time.perf_counter()
    try:
        requested_client_id(request.query_params.multi_items())
        description = "unknown client_id: this server knows only the client configured as OAUTH_CLIENT_ID"
    except AuthorizationPageError as exc:
        description = exc.description
    log_decision("authorize", "deny", reason="page", started=started)
    return error_page(description)


@server_off.post("/oauth/token")
async def token_off() -> JSONResponse:
    log_decision("token", "deny", reason="unsupported_grant_type", started=time.perf_counter())
    return _json_error(
        400,
        "unsupported_grant_type",
        "this server issues no tokens of its own (AUTH_MODE=oauth with OAUTH_CLIENT_ID and "
        "OAUTH_CLIENT_SECRET turns its authorization server on)",
    )


@server_off.post("/oauth/revoke")
async def revoke_off() -> JSONResponse:
    log_decision("revoke", "deny", reason="invalid_request", started=time.perf_counter())
    return _json_error(
        404, "invalid_request", "this server issues no tokens of its own, so it has none to revoke"
    )


@owner_login_off.post("/oauth/authorize")
async def login_off() -> Response:
    return error_page("there is no login here: owner login is off on this server", status=404)


@owner_login_off.post("/oauth/register")
async def register_off() -> JSONResponse:
    return _json_error(
        404,
        "not_found",
        "dynamic client registration is off on this server "
        "(OWNER_PASSWORD_HASH with AUTH_MODE=oauth turns it on)",
    )


def _json_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers=NO_STORE
    )
