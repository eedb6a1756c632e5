"""The login form's anti-forgery token: signed, short-lived, bound to one authorization request and to
the browser that was shown the form.

The token is `<issued_at>.<mac>`, the MAC (HMAC-SHA256 with a key derived from OAUTH_CLIENT_SECRET)
covering the issue time, the exact authorization parameters the page displayed (client, redirect URI,
PKCE challenge, state, resource, scope) and a random nonce that travels separately in a SameSite=Strict
cookie. So a posted form is accepted only if this server rendered it, recently, for precisely the
request being approved, and in the same browser: another site cannot post one (it would lack the
cookie), and a form rendered for one client cannot approve another. Nothing is stored server-side.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping

from auth_gateway.credentials.secret_keys import derive_key

__all__ = ["FORM_TOKEN_TTL", "LoginFormTokens"]

KEY_PURPOSE = "owner login form token v1"
FORM_TOKEN_TTL = 600  # ten minutes to type a password
MAC_BYTES = 16


class LoginFormTokens:
    def __init__(self, client_secret: str, *, clock: Callable[[], float] = time.time) -> None:
        self._key = derive_key(client_secret, KEY_PURPOSE)
        self._clock = clock

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(18)

    def issue(self, request: Mapping[str, str], nonce: str) -> str:
        issued_at = int(self._clock())
        return f"{issued_at}.{self._mac(issued_at, request, nonce)}"

    def check(self, token: str, request: Mapping[str, str], nonce: str) -> bool:
        issued, dot, mac = token.partition(".")
        if not dot or not issued.isdigit() or len(issued) > 12 or not nonce:
            return False
        issued_at = int(issued)
        age = self._clock() - issued_at
        fresh = -60 <= age <= FORM_TOKEN_TTL  # a minute of leeway for a clock step back
        return hmac.compare_digest(mac, self._mac(issued_at, request, nonce)) and fresh

    def _mac(self, issued_at: int, request: Mapping[str, str], nonce: str) -> str:
        message = json.dumps([issued_at, nonce, sorted(request.items())], separators=(",", ":"))
        return hmac.new(self._key, message.encode("utf-8"), hashlib.sha256).hexdigest()[: MAC_BYTES * 2]
