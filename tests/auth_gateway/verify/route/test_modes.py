"""GET /verify around the token itself: open mode, HTTP methods, CORS preflight, header hygiene, and
failing closed.

None of these depends on which kind of token is presented; they guard the route's edges, where a
mistake would let a request through without a check (or with a forged identity header).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.auth_gateway.conftest import bearer
from tests.support.oidc_issuer.issuer import OidcTestIssuer


def test_none_mode_lets_everything_through() -> None:
    from auth_gateway.app import create_app
    from auth_gateway.config import GatewaySettings

    with TestClient(create_app(GatewaySettings(AUTH_MODE="none"))) as client:
        assert client.get("/verify").status_code == 200
        assert client.get("/verify", headers=bearer("anything")).status_code == 200


def test_only_get_takes_the_fast_path_other_methods_are_refused_as_before(
    gateway: TestClient, issuer: OidcTestIssuer
) -> None:
    """GET /verify skips FastAPI's routing (auth_gateway/app.py); anything else must still be routed."""
    token = issuer.mint()
    assert gateway.get("/verify", headers=bearer(token)).status_code == 200
    for method in ("POST", "PUT", "DELETE"):
        response = gateway.request(method, "/verify", headers=bearer(token))
        assert response.status_code == 405, method
        assert "x-auth-subject" not in response.headers
    assert gateway.get("/verify/", headers=bearer(token)).status_code != 200


def test_cors_preflight_passes_without_a_token(gateway: TestClient) -> None:
    assert gateway.get("/verify", headers={"X-Forwarded-Method": "OPTIONS"}).status_code == 200
    assert gateway.get("/verify", headers={"X-Forwarded-Method": "POST"}).status_code == 401


def test_identity_headers_are_always_valid_header_values(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    response = gateway.get("/verify", headers=bearer(issuer.mint(sub="kakao|홍길동\r\nX-Evil: 1")))
    assert response.status_code == 200
    assert "\n" not in response.headers["x-auth-subject"]
    assert "x-evil" not in response.headers


def test_unexpected_failure_fails_closed_with_401(
    gateway: TestClient, issuer: OidcTestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auth_gateway.verify.bearer_verifier import BearerVerifier

    async def broken(self: BearerVerifier, authorization: str | None) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(BearerVerifier, "verify", broken)
    response = gateway.get("/verify", headers=bearer(issuer.mint()))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
