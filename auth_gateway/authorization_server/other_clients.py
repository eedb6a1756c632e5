"""Clients other than the configured one (OAUTH_CLIENT_ID), as the authorize and token routes see them.

With owner login (OWNER_PASSWORD_HASH) they are clients that registered themselves or name a metadata
document, and the authorization request gets the login page (login/pages.py). Without it there are
none: `NoOtherClients` answers the authorization request with the 400 page and vouches for no
client_id at the token endpoint. One interface for both, so no route asks whether owner login is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fastapi import Request
from fastapi.responses import Response

from auth_gateway.authorization_server.errors import AuthorizationPageError

__all__ = ["NoOtherClients", "OtherClients"]


class OtherClients(Protocol):
    def is_public_client_id(self, client_id: str) -> bool:
        """Whether `client_id` is a public client whose codes and tokens may stand."""
        ...

    async def authorization_page(self, request: Request, pairs: Sequence[tuple[str, str]]) -> Response:
        """The answer to GET /oauth/authorize from such a client; `AuthorizationPageError` if none."""
        ...


class NoOtherClients:
    def is_public_client_id(self, client_id: str) -> bool:
        return False

    async def authorization_page(self, request: Request, pairs: Sequence[tuple[str, str]]) -> Response:
        raise AuthorizationPageError(
            "unknown client_id: this server knows only the client configured as OAUTH_CLIENT_ID"
        )
