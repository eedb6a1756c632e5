"""A loopback, private or LAN-only address is a WARN: ChatGPT and Claude connect from the internet."""

from __future__ import annotations

import pytest
from verify_deployment.checks import public
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.scripts.verify_deployment.conftest import printed


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "app.localhost",
        "192.168.0.10",
        "10.1.2.3",
        "[fe80::1]",
        "[::1]",
        "nas.local",
        "router.lan",
        "server.home.arpa",
        "nas",
    ],
)
def test_a_private_address_is_a_warning(capsys: pytest.CaptureFixture[str], host: str) -> None:
    deployment = Deployment(f"https://{host}:8443")
    report = Report()

    public.run(report, deployment)

    warned, fix = printed(capsys)
    assert warned.startswith(f"WARN  [not-public] {host.strip('[]')} is a loopback or private address: ")
    assert fix == (
        "      -> give them your public https:// address (the DDNS name in SITE_ADDRESS, port 443 forwarded "
        "to "
        "this server), and run this check against that address"
    )
    assert deployment.public is False
    assert report.failures == 0


@pytest.mark.parametrize("host", ["home.example.ddns.net", "8.8.8.8"])
def test_a_public_address_says_nothing(capsys: pytest.CaptureFixture[str], host: str) -> None:
    deployment = Deployment(f"https://{host}")

    public.run(Report(), deployment)

    assert printed(capsys) == []
    assert deployment.public is True
