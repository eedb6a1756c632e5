"""`create_app(settings)`: assembles the FastAPI application; no logic of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from auth_gateway.config import GatewaySettings
from auth_gateway.gateway import build_gateway
from auth_gateway.routes import authorize, health, owner_login, register, revoke, status, token, verify

__all__ = ["create_app"]


def create_app(settings: GatewaySettings) -> FastAPI:
    gateway = build_gateway(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await gateway.start()
        try:
            yield
        finally:
            await gateway.close()

    app = FastAPI(
        title="real-estate-mcp auth gateway",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    app.include_router(verify.router)
    app.include_router(authorize.router)
    app.include_router(owner_login.router)
    app.include_router(token.router)
    app.include_router(revoke.router)
    app.include_router(register.router)
    app.include_router(health.router)
    app.include_router(status.router)
    return app
