"""Signing in with the SDK's `OAuthClientProvider` through a stack's Caddy: the provider for a client name
and its redirect URIs, and the owner's (or a user's) browser that fills in the login page's password.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx2
from mcp.client.auth import OAuthClientProvider
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata
from pydantic import AnyUrl

from tests.e2e.mcp_client import BrowserlessLogin, MemoryStorage
from tests.support.login_form import parse_login_form


def sdk_provider(
    base_url: str,
    login: BrowserlessLogin,
    client_name: str,
    redirect_uris: Sequence[str],
    storage: MemoryStorage | None = None,
) -> OAuthClientProvider:
    """The SDK's OAuth client for the MCP endpoint at base_url, signing in through `login`."""
    return OAuthClientProvider(
        server_url=f"{base_url}/mcp",
        client_metadata=OAuthClientMetadata(
            client_name=client_name, redirect_uris=[AnyUrl(uri) for uri in redirect_uris]
        ),
        storage=MemoryStorage() if storage is None else storage,
        redirect_handler=login.open,
        callback_handler=login.callback,
    )


@dataclass
class PasswordLogin(BrowserlessLogin):
    """Plays the owner's browser: opens the authorization URL, fills in the password, follows nothing
    but reads the code from the redirect."""

    password: str = ""

    async def open(self, url: str) -> None:
        assert self.password, "PasswordLogin needs the password the stack was started with"
        self.authorization_urls.append(url)
        async with httpx2.AsyncClient() as browser:  # keeps the page's cookie for the post
            page = await browser.get(url)
            assert page.status_code == 200, page.text
            form = parse_login_form(page.text)
            answer = await browser.post(urljoin(url, form.action), data=form.filled(self.password))
        assert answer.status_code == 302, answer.text
        query = dict(parse_qsl(urlsplit(answer.headers["location"]).query))
        assert "error" not in query, query
        self.result = AuthorizationCodeResult(
            code=query["code"], state=query.get("state"), iss=query.get("iss")
        )


def urljoin(page_url: str, action: str) -> str:
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}{action}"
