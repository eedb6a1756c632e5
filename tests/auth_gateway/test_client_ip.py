"""Which address a request is counted against: X-Forwarded-For only through a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest

from auth_gateway.client_ip import client_address
from auth_gateway.config import DEFAULT_TRUSTED_PROXIES

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
