"""GET / (the status page) and GET /status.json (the same facts for ./scripts/verify-deployment).

STATUS_PAGE=off answers both with a plain 404, as if there were no page. The MCP URL is PUBLIC_BASE_URL's
when set, else the address the visitor used (Caddy passes the Host and X-Forwarded-Proto on).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from auth_gateway.routes.deps import GatewayDep
from auth_gateway.status_page import CONTENT_SECURITY_POLICY, StatusReport, read_status, render_status_page

__all__ = ["router"]

router = APIRouter()

NO_STORE = {"Cache-Control": "no-store"}


async def _report(request: Request, gateway: GatewayDep) -> StatusReport:
    settings = gateway.settings
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
async def status_page(request: Request, gateway: GatewayDep) -> Response:
    if not gateway.settings.status_page:
        return PlainTextResponse("404 page not found (STATUS_PAGE=off)", status_code=404)
    report = await _report(request, gateway)
    copy_requested = request.query_params.get("copy") == "1"
    return HTMLResponse(
        render_status_page(report, copy_requested=copy_requested),
        headers={**NO_STORE, "Content-Security-Policy": CONTENT_SECURITY_POLICY},
    )


@router.get("/status.json", response_model=None)
async def status_json(request: Request, gateway: GatewayDep) -> Response:
    if not gateway.settings.status_page:
        return JSONResponse({"error": "not_found", "detail": "STATUS_PAGE=off"}, status_code=404)
    report = await _report(request, gateway)
    return JSONResponse(report.as_json(), headers=NO_STORE)
