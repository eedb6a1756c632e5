"""Helpers for owner-login tests: a self-registered client (ChatGPT's shape), its login page and form,
the password posted from that form, and the public client's code exchange with PKCE and no secret."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi.testclient import TestClient

from tests.auth_gateway.authorization_server.routes.oauth_flow import (
    authorization_query,
    new_verifier,
    redirect_parameters,
)
from tests.auth_gateway.conftest import OWNER_PASSWORD, RESOURCE
from tests.support.login_form import LoginForm, parse_login_form

CALLBACK = "https://chatgpt.com/connector_platform_oauth_redirect"


def register(client: TestClient, **metadata: Any) -> str:
    body = {"client_name": "ChatGPT", "redirect_uris": [CALLBACK], **metadata}
    response = client.post("/oauth/register", json=body)
    assert response.status_code == 201, response.text
    client_id: str = response.json()["client_id"]
    return client_id


def fresh_client(client: TestClient, redirect_uri: str = CALLBACK) -> str:
    """A registration no other test can share: registrations of equal metadata in the same second have
    equal client_ids, and approvals persist in the session's state file."""
    return register(client, client_name=f"unapproved {secrets.token_hex(6)}", redirect_uris=[redirect_uri])


def login_page(client: TestClient, client_id: str, **overrides: str | None) -> Any:
    query = authorization_query(
        new_verifier(), **{"client_id": client_id, "redirect_uri": CALLBACK, **overrides}
    )
    return client.get("/oauth/authorize", params=query)


def open_form(client: TestClient, client_id: str, **overrides: str | None) -> LoginForm:
    page = login_page(client, client_id, **overrides)
    assert page.status_code == 200, page.text
    return parse_login_form(page.text)


def post(client: TestClient, form: LoginForm, password: str, **changes: str) -> Any:
    return client.post(form.action, data={**form.filled(password), **changes})


def code_for(client: TestClient, client_id: str, verifier: str) -> str:
    query = authorization_query(verifier, client_id=client_id, redirect_uri=CALLBACK)
    form = parse_login_form(client.get("/oauth/authorize", params=query).text)
    return redirect_parameters(post(client, form, OWNER_PASSWORD))["code"]


def public_exchange(client: TestClient, client_id: str, code: str, verifier: str, **extra: str) -> Any:
    form = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code,
        "redirect_uri": CALLBACK,
        "code_verifier": verifier,
        "resource": RESOURCE,
        **extra,
    }
    return client.post("/oauth/token", data=form)


def public_refresh(client: TestClient, client_id: str, refresh_token: str) -> Any:
    """A public client's refresh: its client_id in the body, no secret (the token is bound to it)."""
    form = {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": refresh_token}
    return client.post("/oauth/token", data=form)
