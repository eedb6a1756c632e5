"""GET /healthz (liveness for compose and ./scripts/dev: the mode, never configuration), GET / (the
status page) and GET /status.json (the same facts for ./scripts/verify-deployment).

STATUS_PAGE=off answers both with a plain 404, as if there were no page. The MCP URL is PUBLIC_BASE_URL's
when set, else the address the visitor used (Caddy passes the Host and X-Forwarded-Proto on).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from auth_gateway.config import GatewaySettings
from auth_gateway.status.page import CONTENT_SECURITY_POLICY, render_status_page
from auth_gateway.status.report import StatusReport, read_status
from auth_gateway.web.answers import NO_STORE

__all__ = ["router"]

router = APIRouter()


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


SettingsDep = Annotated[GatewaySettings, Depends(_settings)]


@router.get("/healthz")
async def healthz(settings: SettingsDep) -> JSONResponse:
    return JSONResponse({"status": "ok", "auth_mode": settings.AUTH_MODE})


async def _report(request: Request, settings: SettingsDep) -> StatusReport:
    if settings.PUBLIC_BASE_URL:
        base = settings.base_url
    else:
        scheme = request.headers.get("x-forwarded-proto") or request.url.scheme
        base = f"{'https' if scheme == 'https' else 'http'}://{request.headers.get('host', 'localhost')}"
    mcp, problem = await read_status(settings)
    return StatusReport(
        settings=settings,
        mcp_url=f"{base}/mcp",
        via_caddy="x-forwarded-proto" in request.headers,
        mcp=mcp,
        mcp_problem=problem,
    )


@router.get("/", response_model=None)
async def status_page(request: Request, settings: SettingsDep) -> Response:
    if not settings.status_page:
        return PlainTextResponse("404 page not found (STATUS_PAGE=off)", status_code=404)
    report = await _report(request, settings)
    copy_requested = request.query_params.get("copy") == "1"
    return HTMLResponse(
        render_status_page(report, copy_requested=copy_requested),
        headers={**NO_STORE, "Content-Security-Policy": CONTENT_SECURITY_POLICY},
    )


@router.get("/status.json", response_model=None)
async def status_json(request: Request, settings: SettingsDep) -> Response:
    if not settings.status_page:
        return JSONResponse({"error": "not_found", "detail": "STATUS_PAGE=off"}, status_code=404)
    report = await _report(request, settings)
    return JSONResponse(report.as_json(), headers=NO_STORE)
