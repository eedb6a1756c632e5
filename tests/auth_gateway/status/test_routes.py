"""GET / and /status.json: the status page from the gateway's settings and the MCP server's numbers.

The MCP server's internal document comes from a loopback document server here (the real one is
proven in tests/mcp_server/test_status.py and, through Caddy in a real browser, in
tests/e2e/test_status_page_browser.py). What is asserted is what an owner reads, and what a visitor
must never read: no secret, no client id, no password hash.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from auth_gateway.config import GatewaySettings, load_settings
from auth_gateway.errors import SettingsError
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    OWNER_PASSWORD_HASH,
    GatewayFactory,
    owner_login_settings,
)
from tests.support.document_server import DocumentServer

APT = "국토교통부_아파트 매매 실거래가 자료 (RTMSDataSvcAptTrade)"
MCP_DOCUMENT: dict[str, Any] = {
    "service": "real-estate-mcp",
    "version": "9.8.7",
    "keys": {"data_go_kr": True, "odcloud": False},
    "day": "2026-12-02",
    "quota_resets_at": "2026-12-03T00:00+09:00",
    "daily_quota": 10000,
    "upstream": [
        {
            "service": APT,
            "requests": 8600,
            "answered": 8597,
            "errors": {"quota": 1, "timeout": 2},
            "last_error_at": "2026-12-02T20:15:03+09:00",
            "last_error_kind": "quota",
            "quota_used": 0.86,
        }
    ],
    "cache": {
        "enabled": True,
        "months": 42,
        "bytes": 3_500_000,
        "hits_today": 30,
        "misses_today": 10,
        "hit_rate_today": 0.75,
        "secret_field_the_page_does_not_know": "must not be shown",
    },
}


@pytest.fixture
def mcp() -> Iterator[DocumentServer]:
    with DocumentServer() as server:
        server.put("/internal/status", lambda _url: MCP_DOCUMENT)
        yield server


def upstream_of(server: DocumentServer) -> str:
    return f"127.0.0.1:{server.port}"


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html.split("<script>")[0])


def test_the_page_shows_health_sign_in_key_quota_cache_and_the_url(
    gateway_client: GatewayFactory, mcp: DocumentServer
) -> None:
    client = gateway_client(MCP_UPSTREAM=upstream_of(mcp), **owner_login_settings())

    response = client.get("/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'sha256-" in response.headers["content-security-policy"]
    text = visible_text(response.text)
    for expected in (
        "Caddy served this page",
        "auth gateway up",
        "MCP server up",
        "AUTH_MODE=oauth",
        "the .env client",
        "owner login",
        "no Auth0/OIDC issuer",
        "data.go.kr key configured",
        "no 청약홈 (odcloud) key",
        APT,
        "8,600 / 10,000 (86%)",
        "할당량 초과 · quota 1",
        "시간 초과 · timeout 2",
        "20:15:03 KST",
        "2026-12-03 00:00 KST에 초기화",
        "42 (3.5 MB)",
        "75% (30 / 40)",
        "MCP server 9.8.7",
    ):
        assert expected in text, expected
    assert f'value="{BASE_URL}/mcp"' in response.text
    assert 'class="num warn"' in response.text  # 86 % of the quota: shown as a warning
    assert mcp.hits["/internal/status"] == 1


def test_the_page_shows_no_secret_client_or_hash(gateway_client: GatewayFactory, mcp: DocumentServer) -> None:
    client = gateway_client(MCP_UPSTREAM=upstream_of(mcp), **owner_login_settings())

    for path in ("/", "/status.json"):
        body = client.get(path).text
        for secret in (CLIENT_SECRET, CLIENT_ID, OWNER_PASSWORD_HASH, "$argon2", "must not be shown"):
            assert secret not in body, (path, secret)


def test_status_json_carries_the_same_facts(gateway_client: GatewayFactory, mcp: DocumentServer) -> None:
    client = gateway_client(
        MCP_UPSTREAM=upstream_of(mcp), OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
    )

    document = client.get("/status.json").json()

    assert document["components"] == {"caddy": "unknown", "auth_gateway": "up", "mcp_server": "up"}
    assert document["auth_mode"] == "oauth"
    assert document["sign_in"] == {"env_client": True, "owner_login": False, "issuer": None}
    assert document["mcp_url"] == f"{BASE_URL}/mcp"
    assert document["mcp"]["keys"] == {"data_go_kr": True, "odcloud": False}
    assert document["mcp"]["upstream"][0]["requests"] == 8600
    assert document["version"]["mcp_server"] == "9.8.7"


def test_an_mcp_server_that_does_not_answer_is_shown_down(gateway_client: GatewayFactory) -> None:
    with DocumentServer() as stopped:
        address = upstream_of(stopped)  # nothing listens there once it is closed
    client = gateway_client(
        MCP_UPSTREAM=address, OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
    )

    page = client.get("/")
    document = client.get("/status.json").json()

    assert page.status_code == 200
    assert "MCP server not answering" in visible_text(page.text)
    assert document["components"]["mcp_server"] == "down"
    assert document["mcp"] is None


def test_none_mode_says_anyone_can_use_it_and_uses_the_visitors_address(mcp: DocumentServer) -> None:
    from fastapi.testclient import TestClient

    from auth_gateway.app import create_app

    settings = GatewaySettings(AUTH_MODE="none", MCP_UPSTREAM=upstream_of(mcp))
    with TestClient(create_app(settings), base_url="http://localhost:8080") as client:
        page = client.get("/")
    assert "AUTH_MODE=none" in visible_text(page.text)
    assert "anyone who reaches this address can use it" in visible_text(page.text)
    assert 'value="http://localhost:8080/mcp"' in page.text


def test_status_page_off_hides_both(gateway_client: GatewayFactory, mcp: DocumentServer) -> None:
    client = gateway_client(
        STATUS_PAGE="off",
        MCP_UPSTREAM=upstream_of(mcp),
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )

    assert client.get("/").status_code == 404
    assert client.get("/status.json").status_code == 404
    assert mcp.hits["/internal/status"] == 0


def test_the_copy_button_without_javascript_reloads_with_the_address_field_focused(
    gateway_client: GatewayFactory, mcp: DocumentServer
) -> None:
    client = gateway_client(
        MCP_UPSTREAM=upstream_of(mcp), OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
    )

    plain = client.get("/").text
    asked = client.get("/", params={"copy": "1"}).text

    assert '<form class="copy" method="get" action="/">' in plain
    assert "Ctrl+C" not in plain
    assert "press Ctrl+A, then Ctrl+C" in asked
    assert re.search(r'<input id="mcp-url"[^>]* autofocus>', asked)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("STATUS_PAGE", "maybe", "must be 'on' or 'off'"),
        ("MCP_UPSTREAM", "http://mcp-server:8000", "host:port"),
    ],
)
def test_bad_values_are_refused_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=re.escape(says)):
        load_settings()
