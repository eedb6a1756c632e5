"""GET /healthz: up, which mode, and nothing secret."""

from __future__ import annotations

from fastapi.testclient import TestClient

from auth_gateway.app import create_app
from auth_gateway.config import GatewaySettings
from tests.auth_gateway.conftest import CLIENT_SECRET, GatewayFactory


def test_reports_oauth_mode_without_configuration(gateway_client: GatewayFactory) -> None:
    response = gateway_client(OAUTH_CLIENT_ID="c", OAUTH_CLIENT_SECRET=CLIENT_SECRET).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "auth_mode": "oauth"}


def test_reports_none_mode() -> None:
    with TestClient(create_app(GatewaySettings(AUTH_MODE="none"))) as client:
        assert client.get("/healthz").json() == {"status": "ok", "auth_mode": "none"}
