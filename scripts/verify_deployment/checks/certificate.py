"""Step 1: the certificate is trusted, valid for the host name, and not about to expire.

The handshake itself checks trust and the name; what is left to look at is the expiry date. Caddy
renews a 90-day certificate 30 days before it expires, so under CERTIFICATE_WARN_DAYS renewal is failing
and there is still time to fix it: a WARN, not a FAIL. A TLS failure on any request is explained here,
with a more precise fix for the two OpenSSL verify codes users actually meet.
"""

from __future__ import annotations

import socket
import ssl
import time
from typing import Any
from urllib.parse import urlsplit

from .. import probe
from ..deployment import Deployment
from ..report import Report

CERTIFICATE_WARN_DAYS = 14
# OpenSSL verify codes (X509_V_ERR_*) that have a more precise fix than "not trusted".
CERT_HAS_EXPIRED = 10
HOSTNAME_MISMATCH = 62
IP_ADDRESS_MISMATCH = 64


def run(report: Report, deployment: Deployment) -> None:
    if deployment.base.startswith("https:"):
        check_certificate(report, deployment.base)


def report_tls_failure(report: Report, base: str, tls: ssl.SSLError) -> None:
    host = urlsplit(base).hostname
    code = getattr(tls, "verify_code", None)
    if code in (HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH):
        report.failed(
            "certificate-host",
            f"the certificate {base} presents is not valid for {host} ({tls})",
            f"SITE_ADDRESS in .env must be exactly {host} (docker compose up -d); Caddy then obtains a "
            "certificate for that name",
        )
    elif code == CERT_HAS_EXPIRED:
        report.failed(
            "certificate-expired",
            f"the certificate of {base} has expired ({tls})",
            "Caddy renews by itself unless it cannot reach the CA or the CA cannot reach you: "
            "docker compose logs caddy (ports 80/443 forwarded, DDNS up to date), "
            "then docker compose restart caddy",
        )
    else:
        report.failed(
            "certificate",
            f"{base} has no certificate this machine trusts ({tls})",
            "wait for Caddy to obtain it, check ports 80/443 reach this host (docker compose logs caddy)",
        )


def peer_certificate(base: str) -> dict[str, Any]:
    """The verified certificate (trusted and valid for the host, or ssl raises) of an https base."""
    parts = urlsplit(base)
    host = parts.hostname or ""
    context = ssl.create_default_context()
    with socket.create_connection((host, parts.port or 443), timeout=probe.TIMEOUT) as connection:  # noqa: SIM117 (3.8)
        with context.wrap_socket(connection, server_hostname=host) as tls:
            return tls.getpeercert() or {}


def check_certificate(report: Report, base: str) -> None:
    """Valid for the host (the handshake checks it) and how long it has left."""
    host = urlsplit(base).hostname
    try:
        certificate = peer_certificate(base)
        expires = ssl.cert_time_to_seconds(str(certificate["notAfter"]))
    except ssl.SSLError as error:
        report_tls_failure(report, base, error)
        return
    except (OSError, KeyError, ValueError) as error:
        report.failed(
            "reachable", f"{base}: the certificate could not be read ({error})", "run the check again"
        )
        return
    days = int((expires - time.time()) // 86400)
    expiry = time.strftime("%Y-%m-%d", time.gmtime(expires))
    if days < CERTIFICATE_WARN_DAYS:
        report.warned(
            "certificate-expiry",
            f"the certificate for {host} expires in {days} days ({expiry})",
            "Caddy should have renewed it 30 days ahead: docker compose logs caddy shows why it cannot "
            "(ports 80/443 forwarded, DDNS up to date)",
        )
    else:
        report.passed(f"certificate valid for {host}, expires in {days} days ({expiry})")
