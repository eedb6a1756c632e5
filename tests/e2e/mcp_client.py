"""The official MCP SDK client over streamable HTTP, as ChatGPT/Claude-like code would use it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import (
    AuthorizationCodeResult,
    OAuthClientInformationFull,
    OAuthToken,
)
from pydantic import AnyUrl

APARTMENT_TRADES = ("get_apartment_trades", {"region_code": "11440", "year_month": "202501"})
# From tests/fixtures/upstream/README.md, "The 3-page apartment set": all three pages together.
APARTMENT_TOTAL_COUNT = 250
APARTMENT_MEDIAN_10K = 149800
# A raw JSON-RPC request, for tests about what reaches /mcp rather than about MCP itself.
PING = b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}'
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def json_rpc_answer(response: httpx.Response) -> Any:
    """The JSON-RPC answer of a raw /mcp POST: the server streams it as SSE (the last ``data:`` line),
    and an error before the stream starts is one plain JSON body."""
    data = [line[5:] for line in response.text.splitlines() if line.startswith("data:")]
    return json.loads(data[-1]) if data else response.json()


@dataclass
class MemoryStorage:
    """Token storage for the SDK's OAuth providers that lives as long as one test's client."""

    tokens: OAuthToken | None = None
    client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info

    @classmethod
    def pre_registered(
        cls,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        method: Literal["client_secret_post", "client_secret_basic"],
    ) -> MemoryStorage:
        """Holding a client id and secret from `.env`, as Claude's and ChatGPT's advanced settings do:
        the SDK then skips registration."""
        info = OAuthClientInformationFull(
            client_id=client_id,
            client_secret=client_secret,
            redirect_uris=[AnyUrl(redirect_uri)],
            token_endpoint_auth_method=method,
        )
        return cls(client_info=info)


@dataclass
class BrowserlessLogin:
    """Plays the user's browser: opens the authorization URL, reads the code from the redirect."""

    authorization_urls: list[str] = field(default_factory=list)
    result: AuthorizationCodeResult | None = None

    async def open(self, url: str) -> None:
        self.authorization_urls.append(url)
        async with httpx2.AsyncClient() as browser:
            response = await browser.get(url)
        assert response.status_code == 302, response.text
        query = dict(parse_qsl(urlsplit(response.headers["location"]).query))
        assert "error" not in query, query
        self.result = AuthorizationCodeResult(
            code=query["code"], state=query.get("state"), iss=query.get("iss")
        )

    async def callback(self) -> AuthorizationCodeResult:
        assert self.result is not None
        return self.result


@asynccontextmanager
async def connect(
    url: str, *, headers: Mapping[str, str] | None = None, auth: httpx2.Auth | None = None
) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(headers=dict(headers or {}), auth=auth, timeout=httpx2.Timeout(30.0)) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


async def apartment_trades(client: Client) -> dict[str, Any]:
    """Call the 3-page apartment month and return its structured result (asserting it is not an error)."""
    name, arguments = APARTMENT_TRADES
    result = await client.call_tool(name, arguments)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def own_token(base_url: str, client_id: str, client_secret: str) -> str:
    """A client_credentials token from the gateway's /oauth/token, through Caddy at base_url."""
    response = httpx.post(
        f"{base_url}/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, client_secret)
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
