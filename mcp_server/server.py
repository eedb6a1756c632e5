"""Assembles the MCP server (tools, shared upstream client, cache) and its streamable-HTTP app.

``create_server(settings)`` is what stdio and HTTP both run, and what the tests drive in memory.
``create_http_app(settings)`` adds the HTTP specifics: stateless streamable HTTP at ``/mcp``, DNS-
rebinding protection that accepts the public host Caddy forwards (it keeps the Host header),
``GET /healthz`` for container health checks, which never touches upstream, and ``GET /internal/status``
for the gateway's status page (mcp_server/status.py), which Caddy never exposes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mcp_server.applyhome.client import ApplyhomeClient
from mcp_server.apps.views import register_views
from mcp_server.audit import AuditedMCPServer
from mcp_server.config import Settings
from mcp_server.molit.cache import MonthCache
from mcp_server.molit.client import MolitClient
from mcp_server.regions.index.lookup import RegionIndex
from mcp_server.status import STATUS_PATH, status_document
from mcp_server.tools import calendar, finance, range_tools, region, rents, subscription, trades
from mcp_server.upstream.http import UpstreamHttp
from mcp_server.upstream.usage import UpstreamUsage

__all__ = ["INSTRUCTIONS", "MCP_PATH", "SERVER_NAME", "create_http_app", "create_server"]

SERVER_NAME = "real-estate-mcp"
MCP_PATH = "/mcp"

INSTRUCTIONS = """\
Korean real-estate data from official public sources (국토교통부 실거래가, 청약홈). Amounts are in 만원.

Workflow: 1) get_region_code turns a place name (마포구, 분당, 공덕동) into the 5-digit region_code;
2) get_current_year_month gives the current month in Korea (YYYYMM) for "this/last month" and "최근";
3) for one month call the data tool for the property type and deal type asked about; for several months
use the range tools below (one call, statistics computed for you). Month results have total_count, items
(capped by limit) and a summary over every deal of the month (cancelled deals excluded), or over the
deals matching dong / name_contains / area / floor filters when given. Statistics with thin=true rest
on fewer than 5 deals: say so.

Which tool (Korean words in the question → tool):
- 아파트 매매, 아파트 시세/집값/매매가/실거래가/거래량, 평당가 (price per ㎡ × 3.3058) → get_apartment_trades
- 아파트 전세/월세, 전월세, 전셋값, 보증금, 임대료 → get_apartment_rent
- 오피스텔 매매 → get_officetel_trades; 오피스텔 전세/월세 → get_officetel_rent
- 빌라/연립/다세대 매매 → get_villa_trades; 빌라/연립/다세대 전세/월세 → get_villa_rent
- 단독/다가구 주택 매매 → get_single_house_trades; 단독/다가구 전세/월세 → get_single_house_rent
- 상가/상업용/업무용 건물, 오피스 빌딩, 근린생활시설 매매 → get_commercial_trade
- 토지/땅/대지/임야/농지 매매 → get_land_trades; 공장/창고/지식산업센터 → get_factory_warehouse_trades
- 아파트 분양권/입주권 전매 → get_presale_right_trades
- 가격 추이/변화/흐름, 올랐나/내렸나, 작년 대비 (trend over months) → get_price_trend
- 지역 비교, A vs B (2-5 regions) → compare_regions
- 전세가율 (전세 / 매매 ratio), 갭 → get_jeonse_ratio
- 단지 요약/시세, "래미안 ○○ 어때" (one apartment complex) → get_complex_summary
- 청약 분양 공고 (upcoming/recent APT notices, 모집공고, 청약 일정, 분양가상한제) → get_apt_subscription_info
- 청약 신청자/당첨자 통계 by region and age, 청약 경쟁률, 당첨 가점/커트라인 → get_apt_subscription_results
- 대출 상환액/이자 (loan payments, 원리금균등/원금균등/만기일시) → calculate_loan_payment;
  복리/수익률/적립 (growth) → calculate_compound_growth;
  임대 수익/현금흐름/임대수익률 (rental cash flow) → calculate_monthly_cashflow
- 동네/구 이름 → 코드 (마포구, 분당, 공덕동) → get_region_code; 이번 달/지난달/최근 → get_current_year_month

Rent summaries give 전세 (monthly rent 0) and 월세 apart; compare 전세 with 전세 only. The current and
previous month are incomplete (deals are reported up to 30 days late); say so when using them. If a tool
returns an error, relay its message: it says what to do (e.g. the operator must approve a data.go.kr
service). Range tools take start_month/end_month (at most 36 months; default the last 12 complete ones)
and report a month that could not be fetched instead of failing: mention it with the figures.
Boundary changes (화성 구 2026-02, 인천 2026-07, 강원/전북 codes): every month is read under the code its
deals were filed under, so a former or a new code answers for any month; source_codes and notes say
which codes were read. Pass that note on when it matters.
"""


def _version() -> str:
    try:
        return version("real-estate-mcp")
    except PackageNotFoundError:
        return "0.1.0"


def create_server(settings: Settings, *, regions: RegionIndex | None = None) -> MCPServer[None]:
    """The MCP server with every tool; its lifespan opens and closes the shared HTTP client."""
    regions = regions or RegionIndex.load_bundled()
    # Today's request counts are kept with the cache, so a restart keeps them (upstream/usage.py).
    usage = UpstreamUsage(settings.CACHE_PATH if settings.cache_enabled else None)
    http = UpstreamHttp(settings, usage)
    cache = MonthCache(settings.CACHE_PATH) if settings.cache_enabled else None
    molit = MolitClient(http, settings, cache, lineage=regions.lineage)
    applyhome = ApplyhomeClient(http, settings)

    @asynccontextmanager
    async def lifespan(_: MCPServer[None]) -> AsyncIterator[None]:
        try:
            async with http:
                yield None
        finally:
            await usage.close()

    server: MCPServer[None] = AuditedMCPServer(
        name=SERVER_NAME,
        title="Korean real estate (실거래가 · 청약)",
        instructions=INSTRUCTIONS,
        version=_version(),
        lifespan=lifespan,
        log_level=settings.LOG_LEVEL.upper(),  # type: ignore[arg-type]  # validated lower-case Literal
    )
    region.register(server, regions)
    calendar.register(server)
    trades.register(server, molit, regions)
    rents.register(server, molit, regions)
    range_tools.register(server, molit, regions)
    subscription.register(server, applyhome)
    finance.register(server)
    register_views(server)

    server.custom_route("/healthz", methods=["GET"], include_in_schema=False)(_healthz)

    async def status(_: Request) -> Response:
        document = await status_document(settings, usage, cache, _version())
        return JSONResponse(document, headers={"Cache-Control": "no-store"})

    server.custom_route(STATUS_PATH, methods=["GET"], include_in_schema=False)(status)

    return server


async def _healthz(_: Request) -> Response:
    """Liveness for compose/Caddy health checks: answers from memory, never calls upstream."""
    return JSONResponse({"status": "ok", "service": SERVER_NAME, "version": _version()})


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """DNS-rebinding protection on, allowing loopback, the compose name and the public host(s)."""
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=settings.allowed_hosts(),
        allowed_origins=settings.allowed_origins(),
    )


def create_http_app(settings: Settings, *, server: MCPServer[Any] | None = None) -> Starlette:
    """Stateless streamable-HTTP app at /mcp plus /healthz.

    The SDK's app runs the session manager in its lifespan, which enters the server lifespan once
    (opening the shared HTTP client) and leaves it at shutdown (closing it). Calls are answered as
    an SSE stream rather than one JSON body: only a stream carries the progress notifications the
    range tools send while they fetch months (a JSON body drops them), and every MCP client must
    accept both forms. Caddy flushes the stream as it comes (Caddyfile, ``flush_interval -1``)."""
    server = server or create_server(settings)
    return server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        json_response=False,
        transport_security=transport_security(settings),
    )
