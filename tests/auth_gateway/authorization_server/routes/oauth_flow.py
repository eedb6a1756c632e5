"""Helpers for tests of the built-in authorization server: one authorization request, one exchange."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi.testclient import TestClient

from auth_gateway.authorization_server.pkce import s256_challenge
from tests.auth_gateway.conftest import CLIENT_ID, CLIENT_SECRET, RESOURCE

REDIRECT_URI = "http://127.0.0.1:43110/callback"


def authorization_query(verifier: str, /, **overrides: str | None) -> dict[str, str]:
    query: dict[str, str | None] = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "code_challenge": s256_challenge(verifier),
        "code_challenge_method": "S256",
        "state": "state-" + secrets.token_hex(4),
        "resource": RESOURCE,
    }
    query.update(overrides)
    return {name: value for name, value in query.items() if value is not None}


def redirect_parameters(response: Any) -> dict[str, str]:
    assert response.status_code == 302, response.text
    assert response.headers["cache-control"] == "no-store"
    return dict(parse_qsl(urlsplit(response.headers["location"]).query))


def authorize(client: TestClient, verifier: str, /, **overrides: str | None) -> dict[str, str]:
    """The parameters of the redirect /oauth/authorize answers with (asserting it is a 302)."""
    response = client.get("/oauth/authorize", params=authorization_query(verifier, **overrides))
    return redirect_parameters(response)


def exchange(
    client: TestClient,
    code: str,
    verifier: str,
    /,
    auth: tuple[str, str] | None = (CLIENT_ID, CLIENT_SECRET),
    **overrides: str | None,
) -> Any:
    """POST the code exchange; `auth` None leaves client authentication to `overrides` (or out)."""
    data: dict[str, str | None] = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
        "resource": RESOURCE,
    }
    data.update(overrides)
    form = {name: value for name, value in data.items() if value is not None}
    return client.post("/oauth/token", data=form, auth=auth)


def refresh(client: TestClient, refresh_token: str, secret: str = CLIENT_SECRET, **extra: str) -> Any:
    return client.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token, **extra},
        auth=(CLIENT_ID, secret),
    )


def new_verifier() -> str:
    return secrets.token_urlsafe(48)
