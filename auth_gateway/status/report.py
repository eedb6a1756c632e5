"""What the status page and /status.json report: the gateway's own settings and the MCP server's
internal status document (mcp_server/status.py), of which only the fields named here are published."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import httpx

from auth_gateway.config import GatewaySettings

__all__ = ["MCP_STATUS_TIMEOUT", "StatusReport", "gateway_version", "read_status"]

MCP_STATUS_TIMEOUT = 3.0


def gateway_version() -> str:
    try:
        return version("real-estate-mcp")
    except PackageNotFoundError:  # the container copies the code without installing the package
        return "0.1.0"


@dataclass(frozen=True)
class StatusReport:
    """What the page and /status.json show. ``mcp`` is the MCP server's document, None if it did not
    answer (``mcp_problem`` says how)."""

    settings: GatewaySettings
    mcp_url: str
    via_caddy: bool
    mcp: dict[str, Any] | None
    mcp_problem: str | None

    def as_json(self) -> dict[str, Any]:
        s = self.settings
        return {
            "components": {
                "caddy": "up" if self.via_caddy else "unknown",
                "auth_gateway": "up",
                "mcp_server": "up" if self.mcp is not None else "down",
            },
            "auth_mode": s.AUTH_MODE,
            "sign_in": {
                "env_client": s.oauth and s.has_client_credentials,
                "owner_login": s.owner_login,
                "issuer": s.issuer if s.oauth else None,
            },
            "mcp_url": self.mcp_url,
            "version": {
                "auth_gateway": gateway_version(),
                "mcp_server": (self.mcp or {}).get("version"),
            },
            "mcp": _public_part(self.mcp),
        }


_PUBLIC_FIELDS = {
    "keys": ("data_go_kr", "odcloud"),
    "upstream": (
        "service",
        "requests",
        "answered",
        "errors",
        "last_error_at",
        "last_error_kind",
        "quota_used",
    ),
    "cache": ("enabled", "months", "bytes", "hits_today", "misses_today", "hit_rate_today"),
}


def _public_part(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only the fields the page knows, at every level: should the MCP server's document grow, nothing
    new is published without a change here."""
    if document is None:
        return None

    def pick(value: object, fields: tuple[str, ...]) -> dict[str, Any]:
        return {name: value.get(name) for name in fields} if isinstance(value, dict) else {}

    rows = document.get("upstream")
    return {
        "day": document.get("day"),
        "quota_resets_at": document.get("quota_resets_at"),
        "daily_quota": document.get("daily_quota"),
        "keys": pick(document.get("keys"), _PUBLIC_FIELDS["keys"]),
        "upstream": [pick(row, _PUBLIC_FIELDS["upstream"]) for row in rows] if isinstance(rows, list) else [],
        "cache": pick(document.get("cache"), _PUBLIC_FIELDS["cache"]),
    }


async def read_status(settings: GatewaySettings) -> tuple[dict[str, Any] | None, str | None]:
    """The MCP server's status document, or (None, why not)."""
    try:
        async with httpx.AsyncClient(timeout=MCP_STATUS_TIMEOUT, follow_redirects=False) as client:
            response = await client.get(settings.mcp_status_url)
    except httpx.HTTPError as exc:
        return None, f"{settings.MCP_UPSTREAM}: {type(exc).__name__}"
    if response.status_code != 200:
        return None, f"{settings.MCP_UPSTREAM}: HTTP {response.status_code}"
    try:
        document = response.json()
    except ValueError:
        return None, f"{settings.MCP_UPSTREAM}: not JSON"
    if not isinstance(document, dict):
        return None, f"{settings.MCP_UPSTREAM}: not a JSON object"
    return document, None
