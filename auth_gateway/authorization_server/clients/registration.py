"""Dynamic client registration (RFC 7591) without a database: the client_id is the signed registration.

`dcr.<payload>.<mac>`: payload is the base64url of compact JSON (name, redirect URIs, issue time), mac
a truncated HMAC-SHA256 with a key derived from OAUTH_CLIENT_SECRET. A registration therefore survives
restarts and needs no storage, nobody can forge or edit one (e.g. add a redirect URI), and changing
the secret retires every registration together with every token.

Every client registered here is public (`token_endpoint_auth_method: none`, PKCE at the token step).
A request for `client_secret_post` or `client_secret_basic` is answered with `none` instead of being
refused, as RFC 7591 §3.2.1 allows ("MAY ... substitute them with suitable values"): Claude asks for
`client_secret_post` and follows the method in the response, and refusing breaks it (reported in
anthropics/claude-ai-mcp issues 82 and 1043). Methods that need keys we do not handle
(`private_key_jwt`, mutual TLS) are refused.

The client_id grows with the registration (about 4/3 of its JSON), and every later request carries it:
a registration whose client_id would be longer than an authorization request accepts
(`MAX_CLIENT_ID_LENGTH`, the authorization endpoint's parameter limit) could never be used, so it is
refused here, where the client can still be told to register fewer or shorter redirect URIs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from typing import Any

from auth_gateway.authorization_server.clients.self_registered import SelfRegisteredClient, display_name
from auth_gateway.authorization_server.errors import RegistrationRefused
from auth_gateway.authorization_server.redirect_rules import MAX_URL_LENGTH, redirect_uri_problem
from auth_gateway.credentials.secret_keys import derive_key

__all__ = ["ClientRegistry", "registration_response"]

PREFIX = "dcr."
KEY_PURPOSE = "dynamic client registration v1"
MAC_BYTES = 16
MAX_REDIRECT_URIS = 10
MAX_CLIENT_ID_LENGTH = MAX_URL_LENGTH  # the authorization request's parameter bound
SUBSTITUTED_AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")
GRANT_TYPES = ("authorization_code", "refresh_token")
DEFAULT_NAME = "an unnamed client"


class ClientRegistry:
    """Turns registration requests into signed client ids, and client ids back into clients."""

    def __init__(self, client_secret: str) -> None:
        self._key = derive_key(client_secret, KEY_PURPOSE)

    def register(self, metadata: object, *, now: float | None = None) -> SelfRegisteredClient:
        """Validate an RFC 7591 request body; raise `RegistrationRefused` with the RFC's error code."""
        if not isinstance(metadata, dict):
            raise RegistrationRefused("invalid_client_metadata", "the body must be a JSON object")
        redirect_uris = _redirect_uris(metadata.get("redirect_uris"))
        _check_auth_method(metadata.get("token_endpoint_auth_method"))
        _check_grant_and_response_types(metadata)
        name = _client_name(metadata.get("client_name"))
        issued_at = int(time.time() if now is None else now)
        payload = json.dumps(
            {"n": name, "r": redirect_uris, "t": issued_at}, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
        body = PREFIX + _b64(payload)
        client_id = f"{body}.{_b64(self._mac(body))}"
        if len(client_id) > MAX_CLIENT_ID_LENGTH:
            raise RegistrationRefused(
                "invalid_client_metadata",
                f"this registration is too large to use: its client_id would be {len(client_id)} "
                f"characters, and authorization requests accept at most {MAX_CLIENT_ID_LENGTH}; register "
                "fewer or shorter redirect_uris (or a shorter client_name)",
            )
        return SelfRegisteredClient(client_id, name, tuple(redirect_uris), "registration", issued_at)

    def lookup(self, client_id: str) -> SelfRegisteredClient | None:
        """The registration this client_id carries, or None when it is not one of ours (or forged)."""
        if not client_id.startswith(PREFIX) or len(client_id) > MAX_CLIENT_ID_LENGTH:
            return None
        body, dot, mac = client_id.rpartition(".")
        if not dot:
            return None
        try:
            presented = _unb64(mac)
            if not hmac.compare_digest(presented, self._mac(body)):
                return None
            fields = json.loads(_unb64(body.removeprefix(PREFIX)))
            name, uris, issued_at = fields["n"], fields["r"], fields["t"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            return None
        return SelfRegisteredClient(client_id, name, tuple(uris), "registration", int(issued_at))

    def _mac(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()[:MAC_BYTES]


def registration_response(client: SelfRegisteredClient) -> dict[str, Any]:
    """RFC 7591 §3.2.1: the client information response, everything as registered."""
    return {
        "client_id": client.client_id,
        "client_id_issued_at": client.issued_at,
        "client_name": client.client_name,
        "redirect_uris": list(client.redirect_uris),
        "grant_types": list(GRANT_TYPES),
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    }


def _redirect_uris(value: object) -> list[str]:
    if not isinstance(value, list) or not value:
        raise RegistrationRefused("invalid_redirect_uri", "redirect_uris must be a non-empty list of URLs")
    if len(value) > MAX_REDIRECT_URIS:
        raise RegistrationRefused(
            "invalid_redirect_uri", f"at most {MAX_REDIRECT_URIS} redirect_uris may be registered"
        )
    uris: list[str] = []
    for uri in value:
        if not isinstance(uri, str):
            raise RegistrationRefused("invalid_redirect_uri", "every redirect URI must be a string")
        problem = redirect_uri_problem(uri)
        if problem is not None:
            raise RegistrationRefused("invalid_redirect_uri", f"the redirect URI {uri[:200]!r} {problem}")
        if uri not in uris:
            uris.append(uri)
    return uris


def _check_auth_method(value: object) -> None:
    if value is None or value in SUBSTITUTED_AUTH_METHODS:
        return
    raise RegistrationRefused(
        "invalid_client_metadata",
        f"token_endpoint_auth_method {str(value)[:60]!r} is not supported: this server registers public "
        "clients (none) that prove themselves with PKCE",
    )


def _check_grant_and_response_types(metadata: dict[str, Any]) -> None:
    grant_types = metadata.get("grant_types", ["authorization_code"])
    if not isinstance(grant_types, list) or "authorization_code" not in grant_types:
        raise RegistrationRefused(
            "invalid_client_metadata",
            "grant_types must include authorization_code (refresh_token is also supported)",
        )
    response_types = metadata.get("response_types", ["code"])
    if not isinstance(response_types, list) or "code" not in response_types:
        raise RegistrationRefused("invalid_client_metadata", "response_types must include code")


def _client_name(value: object) -> str:
    if value is not None and not isinstance(value, str):
        raise RegistrationRefused("invalid_client_metadata", "client_name must be a string")
    return display_name(value, DEFAULT_NAME)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
