"""The client address behind Caddy: X-Forwarded-For is believed only when the peer is a trusted proxy.

Walking X-Forwarded-For from the right and skipping trusted hops yields the first address no proxy
of ours vouches for; a client that forges the header only adds entries to the left of it.

Behind a Cloudflare tunnel every request reaches Caddy from the cloudflared container, so that walk
ends at cloudflared's own (trusted, private) address and every visitor would share one rate-limit
key. cloudflared passes Cloudflare's `CF-Connecting-IP` (the visitor's address as Cloudflare's edge
saw it); with CLIENT_IP_HEADER=CF-Connecting-IP it is believed, but only when every hop, down to the
one that connected to Caddy, is in TRUSTED_PROXIES. A visitor who reaches Caddy directly (its ports
stay published) is an untrusted hop, so a forged CF-Connecting-IP of theirs is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.requests import Request

from auth_gateway.config import GatewaySettings

__all__ = ["client_address", "client_ip_of"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(
    peer: str | None,
    forwarded_for: str | None,
    trusted: Sequence[Network],
    connecting_ip: str | None = None,
) -> str:
    """`connecting_ip`: the CF-Connecting-IP header when CLIENT_IP_HEADER names it, else None."""
    if peer is None:
        return "unknown"
    if not forwarded_for or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a garbled header from a trusted proxy: fall back to the proxy itself
    # Every hop is one of ours: the request came through trusted proxies only (cloudflared, or a client
    # on the LAN). The tunnel's header names the visitor; otherwise the rightmost hop, which our proxy
    # wrote, is the client.
    if connecting_ip is not None and _is_ip(connecting_ip.strip()):
        return str(ipaddress.ip_address(connecting_ip.strip()))
    return hops[-1] if hops and _is_ip(hops[-1]) else peer


def _is_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip_of(request: Request, settings: GatewaySettings) -> str:
    """The address a route logs and rate-limits by, with this gateway's proxy settings."""
    peer = request.client.host if request.client else None
    connecting_ip = (
        request.headers.get("cf-connecting-ip") if settings.CLIENT_IP_HEADER == "CF-Connecting-IP" else None
    )
    return client_address(
        peer, request.headers.get("x-forwarded-for"), settings.trusted_proxy_networks, connecting_ip
    )
