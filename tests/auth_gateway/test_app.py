"""Gateway start-up: it says which token sources are active, and warns loudly when it is open to all."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from auth_gateway.app import GatewayApp, create_app
from auth_gateway.config import GatewaySettings
from tests.auth_gateway.conftest import CLIENT_SECRET, GatewayFactory


def test_none_mode_behind_https_warns_at_start(caplog: pytest.LogCaptureFixture) -> None:
    settings = GatewaySettings(AUTH_MODE="none", PUBLIC_BASE_URL="https://home.example.ddns.net")
    with caplog.at_level(logging.WARNING, logger="auth_gateway"), TestClient(create_app(settings)):
        pass
    assert "ANYONE who can reach this server can use it" in caplog.text


def test_no_warning_in_oauth_mode(gateway_client: GatewayFactory, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="auth_gateway"):
        gateway_client(OAUTH_CLIENT_ID="c", OAUTH_CLIENT_SECRET=CLIENT_SECRET)
    assert "ANYONE" not in caplog.text


def test_active_token_sources_are_announced(
    gateway_client: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="auth_gateway"):
        gateway_client(OAUTH_CLIENT_ID="c", OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_SCOPES="mcp:tools")
    assert "issuer tokens: no" in caplog.text
    assert "own client_credentials tokens: yes; required scopes: mcp:tools" in caplog.text
    assert CLIENT_SECRET not in caplog.text


def test_the_direct_verify_path_is_shut_until_a_mode_chose_its_check() -> None:
    """GatewayApp answers GET /verify itself (the hot path); before create_app picks the mode's check it
    must refuse, so an app assembled wrongly can never let every /mcp request through."""
    with TestClient(GatewayApp()) as client:
        assert client.get("/verify").status_code == 503
