"""Which address a request is counted against: X-Forwarded-For only through a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest

from auth_gateway.config import DEFAULT_TRUSTED_PROXIES
from auth_gateway.web.client_ip import client_address

TRUSTED = tuple(ipaddress.ip_network(n) for n in DEFAULT_TRUSTED_PROXIES.split(","))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "expected"),
    [
        pytest.param("127.0.0.1", "203.0.113.9", "203.0.113.9", id="caddy-on-loopback"),
        pytest.param("172.18.0.3", "203.0.113.9", "203.0.113.9", id="caddy-in-compose"),
        pytest.param("172.18.0.3", "1.2.3.4, 203.0.113.9", "203.0.113.9", id="client-forged-left-entry"),
        pytest.param("172.18.0.3", "203.0.113.9, 10.0.0.2", "203.0.113.9", id="two-trusted-hops"),
        pytest.param("198.51.100.7", "1.2.3.4", "198.51.100.7", id="untrusted-peer"),
        pytest.param("127.0.0.1", None, "127.0.0.1", id="no-header"),
        pytest.param("127.0.0.1", "192.168.1.20", "192.168.1.20", id="lan-client"),
        pytest.param("127.0.0.1", "not-an-ip", "127.0.0.1", id="garbled"),
        pytest.param(None, "1.2.3.4", "unknown", id="no-peer"),
    ],
)
def test_client_address(peer: str | None, forwarded_for: str | None, expected: str) -> None:
    assert client_address(peer, forwarded_for, TRUSTED) == expected


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "connecting_ip", "expected"),
    [
        pytest.param("172.18.0.3", "172.18.0.5", "203.0.113.9", "203.0.113.9", id="through-cloudflared"),
        pytest.param("172.18.0.3", "172.18.0.5", " 2001:db8::7 ", "2001:db8::7", id="ipv6-visitor"),
        pytest.param("172.18.0.3", "198.51.100.7", "203.0.113.9", "198.51.100.7", id="direct-visitor-forges"),
        pytest.param("198.51.100.7", None, "203.0.113.9", "198.51.100.7", id="untrusted-peer-forges"),
        pytest.param("172.18.0.3", "172.18.0.5", "garbage", "172.18.0.5", id="garbled-header"),
        pytest.param("172.18.0.3", "172.18.0.5", None, "172.18.0.5", id="no-header-shared-address"),
    ],
)
def test_cf_connecting_ip_is_believed_only_through_trusted_hops(
    peer: str, forwarded_for: str | None, connecting_ip: str | None, expected: str
) -> None:
    assert client_address(peer, forwarded_for, TRUSTED, connecting_ip) == expected
