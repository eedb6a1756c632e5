"""The first check and the gate: the server answers, over TLS this machine trusts, for a host name
Caddy serves; otherwise one FAIL says why and what to check instead."""

from __future__ import annotations

import ssl
import urllib.error
from pathlib import Path

import pytest
from verify_deployment import deployment, probe
from verify_deployment.checks.reachable import address_to_use, check_reachable
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer
from tests.scripts.verify_deployment.conftest import printed


def test_a_loopback_stack_passes_over_plain_http(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes[("GET", "/")] = (200, {"Content-Type": "text/html"}, b"<h1>status</h1>")

    report = Report()

    assert check_reachable(report, server.url)
    assert printed(capsys) == [f"PASS  {server.url} reachable over plain HTTP (loopback)"]
    assert report.failures == 0


def test_nothing_listening_names_dns_ports_and_the_stack(
    nothing_listens: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not check_reachable(Report(), nothing_listens)

    failed, fix = printed(capsys)
    assert failed == f"FAIL  [reachable] {nothing_listens} is not reachable ([Errno 111] Connection refused)"
    assert fix == (
        "      -> check the DDNS name resolves to your public IP, the router forwards 80 and 443, the stack "
        "runs"
    )


def test_a_tls_failure_is_explained_as_a_certificate_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    untrusted = ssl.SSLCertVerificationError(1, "certificate verify failed: self-signed certificate")

    def refuse(url: str, **_: object) -> None:
        raise urllib.error.URLError(untrusted)

    monkeypatch.setattr(probe, "fetch", refuse)

    assert not check_reachable(Report(), "https://mcp.example.net")
    assert printed(capsys)[0].startswith(
        "FAIL  [certificate] https://mcp.example.net has no certificate this"
    )


def test_our_caddyfiles_404_names_the_site_address_to_use(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes[("GET", "/")] = (404, {"X-Site-Address": "home.example.net"}, b"")
    host = server.url.split("//")[1]

    assert not check_reachable(Report(), server.url)
    assert printed(capsys) == [
        f"FAIL  [unserved-host] {server.url}: Caddy serves no site for the host name {host} (its site "
        "address "
        "is home.example.net)",
        "      -> check the address it serves: ./scripts/verify-deployment https://home.example.net; or, if "
        f"{host} is the right name, set SITE_ADDRESS to it in .env and restart (docker compose up -d)",
    ]


@pytest.mark.parametrize(
    ("dotenv", "use"),
    [
        (
            "SITE_ADDRESS=http://localhost:8080\n",
            "./scripts/verify-deployment http://localhost:8080 (SITE_ADDRESS in .env is "
            "http://localhost:8080)",
        ),
        (None, "the exact host name in SITE_ADDRESS (.env)"),
    ],
)
def test_another_caddys_empty_200_names_the_checkouts_site_address(
    server: FakeServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dotenv: str | None,
    use: str,
) -> None:
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    monkeypatch.setattr(deployment, "CHECKOUT", tmp_path)
    server.routes[("GET", "/")] = (200, {"Server": "Caddy"}, b"")
    host = server.url.split("//")[1]

    assert not check_reachable(Report(), server.url)
    assert printed(capsys) == [
        f"FAIL  [unserved-host] {server.url}: Caddy answered an empty 200, so it serves no site for the host "
        f"name {host}",
        f"      -> use {use}; or set SITE_ADDRESS to {host} in .env and restart (docker compose up -d)",
    ]


def test_an_empty_200_from_another_server_is_not_caddys(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes[("GET", "/")] = (200, {"Server": "nginx"}, b"")

    assert check_reachable(Report(), server.url)
    assert printed(capsys)[0].startswith("PASS  ")


def test_the_address_to_use_is_the_first_site_address_as_a_url() -> None:
    site_addresses = ["home.example.net", "home.example.net, www.home.example.net", "http://localhost:8080/"]

    used = [address_to_use(site_address) for site_address in site_addresses]

    assert used == ["https://home.example.net", "https://home.example.net", "http://localhost:8080"]
