"""What ./scripts/dev derives from SITE_ADDRESS: the port to wait on, the URL to print, Caddy's bind.

SITE_ADDRESS is Caddy's own site address syntax (a DDNS name, http://host:port, several addresses), so
the runner reads it the way Caddy will: split on commas and blanks, https unless http:// is written.
Kept apart from the runner's process handling because these rules decide who can reach a local stack.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["fallback_site", "loopback_bind_address", "public_url", "site_addresses", "site_port"]


def site_addresses(site_address: str) -> list[str]:
    """Caddy accepts several addresses for one site ('a.net, http://localhost:8080')."""
    return site_address.replace(",", " ").split()


def site_port(site_address: str) -> int:
    """The port of the first address: the one the URL is printed for and readiness is checked on."""
    address = site_addresses(site_address)[0]
    parts = urlsplit(address if "://" in address else f"https://{address}")
    return parts.port or (80 if parts.scheme == "http" else 443)


def loopback_bind_address(site_address: str) -> str | None:
    """The loopback address Caddy should listen on when every site address is local, else None.

    Caddy listens on all interfaces by default and routes by Host header; for http://localhost:8080 that
    would let anyone on the network in with a forged Host (and AUTH_MODE=none is the local default)."""
    binds = {_loopback_bind(address) for address in site_addresses(site_address)}
    return binds.pop() if len(binds) == 1 else None


def _loopback_bind(address: str) -> str | None:
    host = urlsplit(address if "://" in address else f"https://{address}").hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return "127.0.0.1"
    try:
        return host if ipaddress.ip_address(host).is_loopback else None
    except ValueError:
        return None


def fallback_site(site_address: str) -> str:
    """The Caddyfile's catch-all for host names the site does not serve, on the site's HTTP port, so
    that http://127.0.0.1:8080 for a site at localhost:8080 gets a 404 naming the right address."""
    address = site_addresses(site_address)[0]
    parts = urlsplit(address if "://" in address else f"https://{address}")
    try:
        port = parts.port if parts.scheme == "http" and parts.port else None
    except ValueError:  # main() refuses the address with a clear line
        return "http://"
    if not parts.hostname:  # the site answers every host name itself: the catch-all must not collide
        return f"http://unserved.invalid:{port or 80}"
    return f"http://:{port}" if port else "http://"


def public_url(site_address: str) -> str:
    address = site_addresses(site_address)[0].rstrip("/")
    return address if "://" in address else f"https://{address}"
