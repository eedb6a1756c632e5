"""The certificate checks: trusted at all, valid for the host, and how many days until it expires.

A real stack on loopback has no certificate, so these run against HTTPS fakes (certificates.py): a
self-signed certificate must get the "wait for Caddy to obtain it" fix and no later failures that
would only repeat it; one our test CA issued is trusted, and its names and dates decide PASS, WARN or
FAIL. Users meet these first on a new domain, before anything else can be checked.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
from cryptography import x509

from tests.e2e.fake_deployment import FakeServer, auth0_like
from tests.e2e.verify_deployment.certificates import LOOPBACK_IP, LocalAuthority
from tests.e2e.verify_deployment.support import failed_checks, failures, verify


def test_an_untrusted_certificate_gets_the_certificate_fix(self_signed_server: str) -> None:
    result = verify(self_signed_server)

    assert result.returncode == 1
    (line,) = failures(result)  # one failure: the later checks would only repeat it
    assert line.startswith(f"FAIL  [certificate] {self_signed_server} has no certificate this machine trusts")
    assert "CERTIFICATE_VERIFY_FAILED" in line
    assert "wait for Caddy to obtain it" in result.stdout


@pytest.fixture
def authority(tmp_path: Path) -> LocalAuthority:
    return LocalAuthority(tmp_path)


def verify_https(
    authority: LocalAuthority, names: list[x509.GeneralName], valid_for: datetime.timedelta
) -> subprocess.CompletedProcess[str]:
    """The script against an otherwise correct deployment whose certificate the authority issued."""
    context = authority.server_context(names=names, valid_for=valid_for)
    resource, issuer = FakeServer(tls=context), FakeServer()
    auth0_like(resource, issuer)
    try:
        return verify(resource.url, env=authority.env())
    finally:
        resource.close()
        issuer.close()


def test_a_valid_certificate_reports_its_days_left(authority: LocalAuthority) -> None:
    # An hour past 60 days, so the whole days left are 60 however long the run takes.
    result = verify_https(authority, LOOPBACK_IP, datetime.timedelta(days=60, hours=1))

    assert result.returncode == 0, result.stdout
    assert "PASS  certificate valid for 127.0.0.1, expires in 60 days" in result.stdout


def test_a_certificate_close_to_expiry_warns(authority: LocalAuthority) -> None:
    result = verify_https(authority, LOOPBACK_IP, datetime.timedelta(days=5, hours=1))

    assert result.returncode == 0, result.stdout  # a warning, not a failure: it still works today
    assert "WARN  [certificate-expiry] the certificate for 127.0.0.1 expires in 5 days" in result.stdout
    assert "docker compose logs caddy" in result.stdout


@pytest.mark.parametrize(
    ("names", "valid_for", "check", "fix"),
    [
        (
            [x509.DNSName("other.example.net")],
            datetime.timedelta(days=60),
            "certificate-host",
            "SITE_ADDRESS",
        ),
        (LOOPBACK_IP, datetime.timedelta(days=-1), "certificate-expired", "docker compose logs caddy"),
    ],
)
def test_a_certificate_for_another_name_or_expired_fails(
    authority: LocalAuthority,
    names: list[x509.GeneralName],
    valid_for: datetime.timedelta,
    check: str,
    fix: str,
) -> None:
    result = verify_https(authority, names, valid_for)

    assert result.returncode == 1
    assert failed_checks(result) == [check]  # the later checks would only repeat it
    assert fix in result.stdout
