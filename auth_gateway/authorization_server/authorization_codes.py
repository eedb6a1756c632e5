"""Authorization codes (RFC 6749 §4.1.2): random, single-use, 60 s, held in a bounded in-memory store.

Why in memory rather than sealed (encrypted) stateless codes: a code lives for seconds, so losing the
pending ones on a gateway restart costs a user one retry, while a store needs no key and therefore
works the same for every kind of client (the pre-registered one, whose secret could derive a sealing
key, and self-registered public ones, which have no secret). Single use needs state anyway: a sealed
code would still need a remembered set of used codes. The store keys entries by SHA-256 of the code,
forgets expired entries first and, past `max_codes`, the oldest, so a flood of authorization requests
costs bounded memory (and at worst makes a real user retry).

Each code starts a sign-in (a token family, auth_gateway/state/revocations.py): `redeem` returns the family
id that the tokens issued for the code carry. A redeemed code leaves a tombstone holding that id until
the code would have expired, so a second redemption is told apart from a made-up code: `redeem`
answers `CodeRefusal("replayed", family)`, and the token route revokes every token the first one
produced (RFC 6749 §4.1.2: the code was copied, so its tokens may be in someone else's hands). The
store only answers what it knows; the route words the `invalid_grant` (routes/grants.py).
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from auth_gateway.credentials.secret_keys import token_digest

__all__ = ["CODE_TTL_SECONDS", "AuthorizationCodeStore", "AuthorizationGrant", "CodeRefusal", "RedeemedCode"]

CODE_TTL_SECONDS = 60
MAX_CODES = 10_000


@dataclass(frozen=True, slots=True)
class AuthorizationGrant:
    """What the user (or the pre-registered client's own configuration) agreed to at /oauth/authorize.

    Everything the token step must check again is bound here: the client, the exact redirect URI,
    the PKCE challenge (S256), the resource (RFC 8707) and the granted scopes.
    """

    client_id: str
    redirect_uri: str
    code_challenge: str
    resource: str
    scopes: tuple[str, ...]
    subject: str  # who the access token speaks for: the client itself, or the user after a login
    client_name: str = ""  # as the login page named the client (sessions list it); empty otherwise


@dataclass(frozen=True, slots=True)
class RedeemedCode:
    grant: AuthorizationGrant
    family: str  # the sign-in the tokens issued for this code belong to


@dataclass(frozen=True, slots=True)
class CodeRefusal:
    reason: Literal["unknown", "expired", "replayed"]
    family: str | None = None  # the sign-in a replayed code started


@dataclass(slots=True)
class _Entry:
    grant: AuthorizationGrant | None  # None once redeemed: the tombstone that names reuse
    family: str
    expires_at: float


class AuthorizationCodeStore:
    def __init__(
        self,
        *,
        ttl_seconds: float = CODE_TTL_SECONDS,
        max_codes: int = MAX_CODES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max_codes = max_codes
        self._clock = clock
        self._entries: OrderedDict[bytes, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def issue(self, grant: AuthorizationGrant) -> str:
        """A fresh code for `grant`: 256 random bits, URL-safe, valid for `ttl_seconds`, once."""
        self._forget_expired()
        code = secrets.token_urlsafe(32)
        self._entries[token_digest(code)] = _Entry(grant, secrets.token_hex(16), self._clock() + self._ttl)
        while len(self._entries) > self._max_codes:
            self._entries.popitem(last=False)
        return code

    def redeem(self, code: str) -> RedeemedCode | CodeRefusal:
        """The grant behind `code`, spent by this call; or why there is none."""
        digest = token_digest(code)
        entry = self._entries.get(digest)
        if entry is None:
            return CodeRefusal("unknown")
        if entry.expires_at <= self._clock():
            del self._entries[digest]
            return CodeRefusal("expired")
        if entry.grant is None:
            return CodeRefusal("replayed", entry.family)
        grant, entry.grant = entry.grant, None
        return RedeemedCode(grant, entry.family)

    @property
    def ttl_seconds(self) -> float:
        return self._ttl

    def _forget_expired(self) -> None:
        # Entries are appended in expiry order (one TTL for all), so expired ones are at the front.
        now = self._clock()
        while self._entries:
            digest, entry = next(iter(self._entries.items()))
            if entry.expires_at > now:
                break
            del self._entries[digest]
