"""Step 1: the address is public. ChatGPT and Claude call the server from their own machines on the
internet: a loopback, private or LAN-only name only works for clients on this network. It still works
for them, so a WARN, and the closing line then asks for the public address instead of advising to add
the connector with this one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..deployment import Deployment, ip_address, is_loopback
from ..report import Report

# Names that only resolve on a home or office network (mDNS, router and RFC 8375 conventions).
PRIVATE_SUFFIXES = (".local", ".lan", ".home", ".internal", ".home.arpa", ".localdomain")


def run(report: Report, deployment: Deployment) -> None:
    deployment.public = check_public(report, deployment.base)


def is_private(host: str) -> bool:
    """Loopback, private or link-local addresses; loopback, single-label and LAN-only names."""
    address = ip_address(host)
    if address is None:
        return is_loopback(host) or "." not in host or host.lower().endswith(PRIVATE_SUFFIXES)
    return address.is_private or address.is_loopback or address.is_link_local


def check_public(report: Report, base: str) -> bool:
    host = urlsplit(base).hostname or ""
    private = is_private(host)
    if private:
        report.warned(
            "not-public",
            f"{host} is a loopback or private address: ChatGPT and Claude connect from the internet and "
            "cannot reach it",
            "give them your public https:// address (the DDNS name in SITE_ADDRESS, port 443 forwarded to "
            "this server), and run this check against that address",
        )
    return not private
