"""Refresh tokens (RFC 6749 §6) that rotate on every use, survive restarts and die with the secret.

Why a SQLite file (OAUTH_STATE_PATH, a named volume in compose) and not stateless tokens: rotation
means a refresh token that was already exchanged must be refused, also after a restart, and only
remembered state can know that a token was used. The file holds SHA-256 digests, never a token.

- Rotation (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2): each exchange marks the presented token used and
  issues a new one in the same family. A used token presented again means it was copied somewhere:
  the whole family is revoked and the client must authorize again. The store answers what it knows
  (`load`, `rotate`, `revoke_family`); the token route decides and words the refusal
  (routes/grants.py), outside any transaction.
- Lifetime: each new token lives `ttl` seconds (OAUTH_REFRESH_TTL) from its issue, so a connector in
  regular use stays connected, and one left unused for longer must sign in again.
- Secret change: every row records an `epoch`, a value derived from OAUTH_CLIENT_SECRET (the caller
  computes it, see `secret_epoch`). A token from another epoch is refused, so changing the secret
  revokes every refresh token as it already revokes every access token.
- Families are sign-ins: the family id is also the `sid` of every access token issued with the family's
  tokens, so a replay revokes those too (auth_gateway/state/revocations.py).

One connection guarded by a lock: the gateway is one process and each operation is a few
microseconds of indexed SQL, so nothing is gained by a pool or a thread hop.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from auth_gateway.credentials.secret_keys import derive_key, token_digest
from auth_gateway.state.revocations import RevocationList
from auth_gateway.state.state_file import StateFileStore

__all__ = [
    "RefreshGrant",
    "RefreshTokenStore",
    "Rotation",
    "StoredRefreshToken",
    "new_family",
    "secret_epoch",
]

EPOCH_PURPOSE = "refresh-token epoch v1"  # see auth_gateway/credentials/secret_keys.py


def secret_epoch(client_secret: str) -> bytes:
    """16 bytes that change whenever the secret does, and say nothing about it (HKDF, RFC 5869)."""
    return derive_key(client_secret, EPOCH_PURPOSE)[:16]  # HKDF's first 16 bytes: a 16-byte HKDF


def new_family() -> str:
    """A new sign-in id: 128 random bits, hex."""
    return secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class RefreshGrant:
    client_id: str
    subject: str
    resource: str
    scopes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredRefreshToken:
    grant: RefreshGrant
    family: str
    current_secret: bool  # issued under today's OAUTH_CLIENT_SECRET
    expired: bool
    spent: bool  # already exchanged: presenting it again is a replay


@dataclass(frozen=True, slots=True)
class Rotation:
    grant: RefreshGrant
    refresh_token: str  # the next token of the family
    family: str


class RefreshTokenStore(StateFileStore):
    def __init__(
        self,
        path: str,
        *,
        epoch: bytes,
        ttl_seconds: int,
        revocations: RevocationList | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`revocations` (the gateway passes its list) learns of every family a replay revokes, so the
        family's access tokens are refused too, not only its refresh tokens."""
        self._path = path
        self._epoch = epoch
        self._ttl = ttl_seconds
        self._revocations = revocations
        self._clock = clock
        super().__init__(path)

    def issue(self, grant: RefreshGrant, *, family: str | None = None) -> str:
        """A refresh token starting the family `family` (a new one by default), after a code exchange."""
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM refresh_tokens WHERE expires_at <= ?", (self._clock(),))
            return self._insert(grant, family=family or new_family())

    def family_of(self, token: str, *, client_id: str) -> str | None:
        """The family of a refresh token `client_id` holds (spent or not), for revocation; None if the
        token is unknown, expired, of another epoch, or another client's."""
        with self._lock:
            row = self._db.execute(
                "SELECT family, epoch, client_id, expires_at FROM refresh_tokens WHERE token_hash = ?",
                (token_digest(token),),
            ).fetchone()
        if row is None:
            return None
        family, epoch, owner, expires_at = row
        if epoch != self._epoch or owner != client_id or expires_at <= self._clock():
            return None
        return str(family)

    def owner_of(self, token: str) -> str | None:
        """The client_id a refresh token was issued to, whatever its state."""
        with self._lock:
            row = self._db.execute(
                "SELECT client_id FROM refresh_tokens WHERE token_hash = ?", (token_digest(token),)
            ).fetchone()
        return None if row is None else str(row[0])

    def load(self, token: str) -> StoredRefreshToken | None:
        """What the store knows of `token`, spent or not; None if it never issued it (or forgot it).

        No lock is held past the read: the route judges the token (routes/grants.py) and then asks
        `rotate`, which spends it only if it is still unspent."""
        with self._lock:
            row = self._db.execute(
                "SELECT family, epoch, client_id, subject, resource, scopes, expires_at, used "
                "FROM refresh_tokens WHERE token_hash = ?",
                (token_digest(token),),
            ).fetchone()
        if row is None:
            return None
        family, epoch, owner, subject, resource, scopes, expires_at, used = row
        grant = RefreshGrant(
            client_id=owner, subject=subject, resource=resource, scopes=tuple(scopes.split())
        )
        return StoredRefreshToken(
            grant=grant,
            family=family,
            current_secret=epoch == self._epoch,
            expired=expires_at <= self._clock(),
            spent=bool(used),
        )

    def rotate(self, token: str) -> Rotation | None:
        """Spend `token` and issue the next of its family; None if it was spent (or expired) meanwhile."""
        digest = token_digest(token)
        with self._lock, self._transaction():
            row = self._db.execute(
                "SELECT family, client_id, subject, resource, scopes FROM refresh_tokens "
                "WHERE token_hash = ? AND used = 0 AND epoch = ? AND expires_at > ?",
                (digest, self._epoch, self._clock()),
            ).fetchone()
            if row is None:
                return None
            family, owner, subject, resource, scopes = row
            grant = RefreshGrant(
                client_id=owner, subject=subject, resource=resource, scopes=tuple(scopes.split())
            )
            self._db.execute("UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?", (digest,))
            return Rotation(grant, self._insert(grant, family=family), family)

    def revoke_family(self, family: str) -> None:
        """A replay: every refresh token of the sign-in goes, and (with `revocations`) its access tokens."""
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM refresh_tokens WHERE family = ?", (family,))
        if self._revocations is not None:
            self._revocations.revoke_family(family)

    def _insert(self, grant: RefreshGrant, *, family: str) -> str:
        token = secrets.token_urlsafe(32)
        self._db.execute(
            "INSERT INTO refresh_tokens "
            "(token_hash, family, epoch, client_id, subject, resource, scopes, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                token_digest(token),
                family,
                self._epoch,
                grant.client_id,
                grant.subject,
                grant.resource,
                " ".join(grant.scopes),
                self._clock() + self._ttl,
            ),
        )
        return token
