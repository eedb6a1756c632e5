"""GET /verify with the gateway's own client_credentials tokens (OAUTH_CLIENT_ID/SECRET, no issuer).

Scripts without a browser use these; they must pass /verify with the same identity headers as issuer
tokens, and carry the scopes OAUTH_SCOPES requires. Their rejections run in test_over_http.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.auth_gateway.conftest import CLIENT_ID, CLIENT_SECRET, GatewayFactory, bearer


def test_own_client_credentials_token_passes(gateway: TestClient) -> None:
    token = gateway.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    ).json()["access_token"]
    response = gateway.get("/verify", headers=bearer(token))
    assert response.status_code == 200
    assert response.headers["x-auth-subject"] == CLIENT_ID
    assert response.headers["x-auth-client-id"] == CLIENT_ID


def test_own_tokens_carry_the_required_scopes(gateway_client: GatewayFactory) -> None:
    client = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_SCOPES="mcp:tools"
    )
    token = client.post(
        "/oauth/token", auth=(CLIENT_ID, CLIENT_SECRET), data={"grant_type": "client_credentials"}
    ).json()["access_token"]
    assert client.get("/verify", headers=bearer(token)).status_code == 200
