"""The largest registration the gateway accepts: three long redirect URIs, each as long as they may be
while the client_id that carries them still fits an authorization request."""

from __future__ import annotations

from typing import Any

from auth_gateway.authorization_server.clients.registration import ClientRegistry
from auth_gateway.authorization_server.errors import RegistrationRefused


def registration_with_long_uris(origin: str, length: int) -> dict[str, Any]:
    """Client metadata with three redirect URIs under `origin`, each with a `length`-character path."""
    return {"client_name": "Long URIs", "redirect_uris": [f"{origin}/{i}/" + "p" * length for i in range(3)]}


def largest_usable_registration(origin: str, client_secret: str) -> dict[str, Any]:
    """The metadata of the largest registration `ClientRegistry` accepts (one character more per URI is
    refused); the key derived from `client_secret` does not change the length, only the MAC."""
    registry = ClientRegistry(client_secret)

    def fits(length: int) -> bool:
        try:
            registry.register(registration_with_long_uris(origin, length))
        except RegistrationRefused:
            return False
        return True

    return registration_with_long_uris(origin, max(length for length in range(300, 800) if fits(length)))
