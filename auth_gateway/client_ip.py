"""The client address behind Caddy: X-Forwarded-For is believed only when the peer is a trusted proxy.

Walking X-Forwarded-For from the right and skipping trusted hops yields the first address no proxy
of ours vouches for; a client that forges the header only adds entries to the left of it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

__all__ = ["client_address"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
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
    # Every hop is one of ours (a client on the LAN): the rightmost was written by our proxy.
    return hops[-1] if hops and _is_ip(hops[-1]) else peer


def _is_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
