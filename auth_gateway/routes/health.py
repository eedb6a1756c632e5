"""GET /healthz — liveness for compose and ./scripts/dev; reports the mode, never configuration."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from auth_gateway.routes.deps import GatewayDep

__all__ = ["router"]

router = APIRouter()


@router.get("/healthz")
async def healthz(gateway: GatewayDep) -> JSONResponse:
    return JSONResponse({"status": "ok", "auth_mode": gateway.settings.AUTH_MODE})
