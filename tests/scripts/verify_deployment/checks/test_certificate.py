"""The certificate: which fix each TLS failure gets, and the days left (a WARN under 14). The handshake
is the standard library's; these tests fake what it returns or raises (e2e tests do the real one)."""

from __future__ import annotations

import ssl
import time
from typing import Any

import pytest
from verify_deployment.checks import certificate
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.scripts.verify_deployment.conftest import printed

BASE = "https://mcp.example.net"


def verify_error(code: int, message: str) -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError(
        1, f"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {message}"
    )
    error.verify_code = code
    return error


@pytest.mark.parametrize(
    ("code", "check", "fix"),
    [
        (
            62,
            "certificate-host",
            "SITE_ADDRESS in .env must be exactly mcp.example.net (docker compose up -d)",
        ),
        (64, "certificate-host", "Caddy then obtains a certificate for that name"),
        (10, "certificate-expired", "then docker compose restart caddy"),
        (18, "certificate", "wait for Caddy to obtain it, check ports 80/443 reach this host"),
    ],
)
def test_each_verification_failure_gets_its_fix(
    capsys: pytest.CaptureFixture[str], code: int, check: str, fix: str
) -> None:
    report = Report()

    certificate.report_tls_failure(report, BASE, verify_error(code, "some reason"))

    failed, fixed = printed(capsys)
    assert failed.startswith(f"FAIL  [{check}] ")
    assert "some reason" in failed
    assert fix in fixed
    assert report.failures == 1


def expiring_in(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    not_after = time.strftime("%b %d %H:%M:%S %Y GMT", time.gmtime(time.time() + seconds))
    monkeypatch.setattr(certificate, "peer_certificate", lambda base: {"notAfter": not_after})


def test_a_valid_certificate_passes_with_its_days_left(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expiring_in(monkeypatch, 60 * 86400 + 3600)

    certificate.check_certificate(Report(), BASE)

    (line,) = printed(capsys)
    assert line.startswith("PASS  certificate valid for mcp.example.net, expires in 60 days (")


def test_under_fourteen_days_is_a_warning_about_renewal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expiring_in(monkeypatch, 13 * 86400 + 3600)
    report = Report()

    certificate.check_certificate(report, BASE)

    warned, fix = printed(capsys)
    assert warned.startswith(
        "WARN  [certificate-expiry] the certificate for mcp.example.net expires in 13 days ("
    )
    assert fix == (
        "      -> Caddy should have renewed it 30 days ahead: docker compose logs caddy shows why it cannot "
        "(ports 80/443 forwarded, DDNS up to date)"
    )
    assert report.failures == 0


def test_a_handshake_failure_is_explained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(base: str) -> dict[str, Any]:
        raise verify_error(62, "Hostname mismatch")

    monkeypatch.setattr(certificate, "peer_certificate", refuse)

    certificate.check_certificate(Report(), BASE)

    assert printed(capsys)[0].startswith(
        "FAIL  [certificate-host] the certificate https://mcp.example.net presents"
    )


def test_an_unreadable_certificate_asks_to_run_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(certificate, "peer_certificate", lambda base: {})

    certificate.check_certificate(Report(), BASE)

    assert printed(capsys) == [
        "FAIL  [reachable] https://mcp.example.net: the certificate could not be read ('notAfter')",
        "      -> run the check again",
    ]


def test_plain_http_has_no_certificate_to_check(capsys: pytest.CaptureFixture[str]) -> None:
    certificate.run(Report(), Deployment("http://127.0.0.1:8080"))

    assert printed(capsys) == []
