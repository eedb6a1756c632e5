"""``GET /internal/status``: what the status page shows about the MCP server, as JSON for the gateway.

The auth gateway renders the page at ``/`` (auth_gateway/status/page.py) and asks this endpoint on the
internal network. Caddy proxies only ``/mcp`` to the MCP server, so the endpoint is never reachable from
outside. It says whether each key is configured (never the key), today's upstream requests per service
against the daily quota, and the month cache's size and hit rate: nothing about who asked.
"""

from __future__ import annotations

from typing import Any

from mcp_server.config import Settings
from mcp_server.kst import next_midnight_kst
from mcp_server.molit.cache import MonthCache
from mcp_server.upstream.usage import UpstreamUsage

__all__ = ["STATUS_PATH", "status_document"]

STATUS_PATH = "/internal/status"


async def status_document(
    settings: Settings, usage: UpstreamUsage, cache: MonthCache | None, version: str
) -> dict[str, Any]:
    day, services = await usage.today()
    hits, misses = await usage.cache_hits_today()
    months, size = await cache.size() if cache is not None else (0, 0)
    quota = settings.DATA_GO_KR_DAILY_QUOTA
    return {
        "service": "real-estate-mcp",
        "version": version,
        "keys": {"data_go_kr": settings.has_data_go_kr_key(), "odcloud": settings.has_odcloud_key()},
        "day": day,
        "quota_resets_at": next_midnight_kst().isoformat(timespec="minutes"),
        "daily_quota": quota,
        "upstream": [
            {
                "service": name,
                "requests": use.requests,
                "answered": use.answered,
                "errors": dict(sorted(use.errors.items())),
                "last_error_at": use.last_error_at,
                "last_error_kind": use.last_error_kind,
                "quota_used": round(use.requests / quota, 4),
            }
            for name, use in sorted(services.items())
        ],
        "cache": {
            "enabled": cache is not None,
            "months": months,
            "bytes": size,
            "hits_today": hits,
            "misses_today": misses,
            "hit_rate_today": round(hits / (hits + misses), 4) if hits + misses else None,
        },
    }
