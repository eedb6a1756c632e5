"""Step 1: the server answers at all, over TLS this machine trusts, for the host name Caddy serves.

Caddy answers a host name it serves no site for with an empty 200 (our Caddyfile: a 404 naming
SITE_ADDRESS). Every later check would then misread that answer (not JSON, no 401), so this check says
so and the run stops: e.g. http://127.0.0.1:8080 typed for a site at http://localhost:8080.
"""

from __future__ import annotations

from email.message import Message
from urllib.parse import urlsplit

from .. import probe
from ..deployment import Deployment, configured_site_address
from ..report import Report
from .certificate import report_tls_failure


def run(report: Report, deployment: Deployment) -> bool:
    """True when the later checks can go on."""
    return check_reachable(report, deployment.base)


def check_reachable(report: Report, base: str) -> bool:
    try:
        status, headers, body = probe.fetch(base + "/")
    except probe.ProbeError as error:
        tls = probe.tls_failure(error)
        if tls is not None:
            report_tls_failure(report, base, tls)
            return False
        fix = "check the DDNS name resolves to your public IP, the router forwards 80 and 443, the stack runs"
        report.unanswered("reachable", f"{base} is not reachable", error, fix)
        return False
    if not check_served_host(report, base, status, headers, body):
        return False
    scheme = "HTTPS with a trusted certificate" if base.startswith("https:") else "plain HTTP (loopback)"
    report.passed(f"{base} reachable over {scheme}")
    return True


def address_to_use(site_address: str) -> str:
    """The URL to check for a SITE_ADDRESS value ('name.ddns.net' -> https://name.ddns.net)."""
    first = site_address.replace(",", " ").split()[0].rstrip("/")
    return first if "://" in first else "https://" + first


def check_served_host(report: Report, base: str, status: int, headers: Message, body: str) -> bool:
    """False, after naming the address to use, when Caddy has no site for the host name checked."""
    host = urlsplit(base).netloc
    served = headers.get("X-Site-Address")
    if status == 404 and served:
        use = address_to_use(served)
        report.failed(
            "unserved-host",
            f"{base}: Caddy serves no site for the host name {host} (its site address is {served})",
            f"check the address it serves: ./scripts/verify-deployment {use}; or, if {host} is the right "
            "name, set SITE_ADDRESS to it in .env and restart (docker compose up -d)",
        )
        return False
    servers = " ".join(headers.get_all("Server") or []).lower()
    if status == 200 and not body.strip() and "caddy" in servers:
        configured = configured_site_address()
        use = (
            f"./scripts/verify-deployment {address_to_use(configured)} (SITE_ADDRESS in .env is {configured})"
            if configured
            else "the exact host name in SITE_ADDRESS (.env)"
        )
        report.failed(
            "unserved-host",
            f"{base}: Caddy answered an empty 200, so it serves no site for the host name {host}",
            f"use {use}; or set SITE_ADDRESS to {host} in .env and restart (docker compose up -d)",
        )
        return False
    return True
