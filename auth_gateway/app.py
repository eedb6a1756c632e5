"""`create_app(settings)`: builds each room's start-up root and mounts only the routes configured.

    AUTH_MODE=none                       /verify lets everything through; no token is read
    AUTH_MODE=oauth                      /verify checks issuer and/or own tokens (verify/)
      + OAUTH_CLIENT_ID/SECRET           the authorization server's routes (authorization_server/)
        + OWNER_PASSWORD_HASH            its login page, POST /oauth/authorize, /oauth/register

What is not configured answers with a message naming the variable that turns it on
(authorization_server/routes/switched_off.py). Roots live on `app.state` (`verification`,
`authorization_server`, `login_pages`, `settings`); /verify reads its root as a plain attribute.

Every /mcp request costs one `GET /verify` (Caddy's forward_auth), so that one route skips FastAPI's
routing and dependency machinery: `GatewayApp` hands it straight to the mode's route function
(`verify.verify`, or `verify.verify_open` in AUTH_MODE=none), which already catches everything (fail
closed) and needs nothing FastAPI adds. Together with uvicorn's httptools parser this took the
gateway's CPU per forward_auth request from 1.6 ms to 0.7 ms (bench/gateway_cpu.py). Every other path,
and any other method on /verify, goes through FastAPI as before.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from auth_gateway.authorization_server.login.owner_login import build_owner_login
from auth_gateway.authorization_server.login.pages import LoginPages
from auth_gateway.authorization_server.other_clients import NoOtherClients, OtherClients
from auth_gateway.authorization_server.root import build_authorization_server
from auth_gateway.authorization_server.routes import authorize, login, register, revoke, switched_off, token
from auth_gateway.config import GatewaySettings
from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from auth_gateway.lifecycle import Lifecycle
from auth_gateway.state.access_store import AccessStore
from auth_gateway.state.revocations import RevocationList
from auth_gateway.status import routes as status
from auth_gateway.verify import route as verify
from auth_gateway.verify.root import OwnTokenChecks, build_verification

__all__ = ["GatewayApp", "create_app"]

log = logging.getLogger("auth_gateway")


async def _not_assembled(request: Request) -> Response:
    """The door before `create_app` chose the mode's check: shut, never open (fail closed)."""
    return Response(status_code=503, headers={"Cache-Control": "no-store"})


class GatewayApp(FastAPI):
    verify_endpoint: Callable[[Request], Awaitable[Response]] = staticmethod(_not_assembled)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == verify.PATH and scope["method"] == "GET":
            scope["app"] = self  # what Starlette sets, so request.app works as on any route
            response = await self.verify_endpoint(Request(scope, receive))
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(settings: GatewaySettings) -> GatewayApp:
    lifecycle = Lifecycle()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        _announce(settings)
        await lifecycle.start()
        try:
            yield
        finally:
            await lifecycle.close()

    app = GatewayApp(
        title="real-estate-mcp auth gateway",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    _mount_rooms(app, settings, lifecycle)
    app.include_router(status.router)
    return app


def _mount_rooms(app: GatewayApp, settings: GatewaySettings, lifecycle: Lifecycle) -> None:
    if not settings.oauth:
        app.verify_endpoint = verify.verify_open
        app.include_router(verify.open_router)
        app.include_router(switched_off.server_off)
        app.include_router(switched_off.owner_login_off)
        return
    client_id, secret = settings.OAUTH_CLIENT_ID, settings.OAUTH_CLIENT_SECRET
    if client_id is None or secret is None:  # issuer tokens only: no authorization server of our own
        app.state.verification = build_verification(settings, None, lifecycle)
        app.verify_endpoint = verify.verify
        app.include_router(verify.router)
        app.include_router(switched_off.server_off)
        app.include_router(switched_off.owner_login_off)
        return
    access = AccessStore(settings.OAUTH_STATE_PATH)
    lifecycle.on_close(access.close)
    revocations = RevocationList(settings.OAUTH_STATE_PATH)
    lifecycle.on_close(revocations.close)
    other_clients: OtherClients = NoOtherClients()
    if settings.owner_login and settings.OWNER_PASSWORD_HASH is not None:
        owner_login = build_owner_login(
            settings,
            secret=secret.get_secret_value(),
            password_hash=settings.OWNER_PASSWORD_HASH.get_secret_value(),
            access=access,
            lifecycle=lifecycle,
        )
        other_clients = app.state.login_pages = LoginPages(settings, owner_login)
    own_tokens = OwnTokenAuthority(
        client_id=client_id,
        client_secret=secret.get_secret_value(),
        issuer=settings.base_url,
        audience=settings.resource,
        ttl=settings.OAUTH_TOKEN_TTL,
        scopes=settings.required_scopes,
        owner_clients=other_clients.is_public_client_id,
    )
    checks = OwnTokenChecks(own_tokens, is_revoked=revocations.is_revoked, policy=access.policy)
    app.state.verification = build_verification(settings, checks, lifecycle)
    app.state.authorization_server = build_authorization_server(
        settings,
        client_id=client_id,
        client_secret=secret.get_secret_value(),
        own_tokens=own_tokens,
        revocations=revocations,
        access=access,
        other_clients=other_clients,
        lifecycle=lifecycle,
    )
    app.verify_endpoint = verify.verify
    app.include_router(verify.router)
    app.include_router(authorize.router)
    app.include_router(token.router)
    app.include_router(revoke.router)
    if isinstance(other_clients, LoginPages):
        app.include_router(login.router)
        app.include_router(register.router)
    else:
        app.include_router(switched_off.owner_login_off)


def _announce(settings: GatewaySettings) -> None:
    if settings.open_to_anyone_over_https:
        log.warning(
            "AUTH_MODE=none while PUBLIC_BASE_URL is %s: ANYONE who can reach this server can use it. "
            "Set AUTH_MODE=oauth unless it is only reachable from a trusted network.",
            settings.PUBLIC_BASE_URL,
        )
    if settings.oauth:
        log.info(
            "issuer tokens: %s (audience %s); own client_credentials tokens: %s; required scopes: %s; "
            "owner login: %s",
            settings.issuer or "no",
            settings.audience,
            "yes" if settings.has_client_credentials else "no",
            " ".join(settings.required_scopes) or "none",
            "yes" if settings.owner_login else "no",
        )
    if settings.OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK:
        log.warning(
            "OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK is on: client metadata documents are fetched from "
            "loopback addresses. This is for tests only; remove it from a real server's .env."
        )
