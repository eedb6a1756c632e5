"""Revoked sign-ins: what makes /verify refuse a live access token on the very next request.

A sign-in (a token *family*) is everything one authorization produced: the authorization code, the
refresh tokens that rotate from it, and every access token minted along the way, which carries the
family id in its `sid` claim (auth_gateway/credentials/own_tokens.py). Revoking a family deletes its refresh
tokens and records its id, so its access tokens are refused although their signature and `exp` are
still good. Callers: a replayed authorization code or refresh token (RFC 9700 §4.14.2), POST
/oauth/revoke (RFC 7009), and operator tools that end one person's or one client's access.

Each record is kept for `MAX_TOKEN_TTL` seconds (the upper bound of OAUTH_TOKEN_TTL), the longest any
access token can live, and then forgotten: by then every access token of that family has expired.

Where it is kept, and why /verify stays fast:

- the records are in the state file (OAUTH_STATE_PATH, table `revoked_families`), so a restart keeps
  them, and another process (a command-line tool) can add one with `revoke_family(path, family)`;
- the gateway holds them in a dict, and re-reads the small table only when the file changed. Whether
  it changed is told by the *file change counter* SQLite keeps in the database header (4 bytes at
  offset 24, incremented by every transaction that modifies the file in the rollback-journal mode the
  state file uses; `state_file.StateFileChanges`): one `pread` of 4 bytes per request, about a
  microsecond, no lock and no query. So a revocation written by another process is seen on the
  gateway's very next request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from auth_gateway.config import MAX_TOKEN_TTL
from auth_gateway.state.state_file import StateFileChanges, open_state_file

__all__ = ["MAX_TOKEN_TTL", "RevocationList", "revoke_family"]


class RevocationList:
    """The revoked families of one state file: `revoke_family` to add, `is_revoked` to ask."""

    def __init__(
        self, path: str, *, retention_seconds: float = MAX_TOKEN_TTL, clock: Callable[[], float] = time.time
    ) -> None:
        self._retention = retention_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._db = open_state_file(path)
        self._changes = StateFileChanges(path)
        self._revoked: dict[str, float] = {}
        with self._lock:
            self._reload_if_changed()

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._changes.close()

    def revoke_family(self, family: str) -> None:
        """End the sign-in `family`: its refresh tokens go at once, its access tokens are refused."""
        with self._lock:
            now = self._clock()
            expires_at = now + self._retention
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM refresh_tokens WHERE family = ?", (family,))
                self._db.execute(
                    "INSERT OR REPLACE INTO revoked_families (family, expires_at) VALUES (?, ?)",
                    (family, expires_at),
                )
                self._db.execute("DELETE FROM revoked_families WHERE expires_at <= ?", (now,))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._revoked[family] = expires_at

    def is_revoked(self, family: str) -> bool:
        with self._lock:
            self._reload_if_changed()
            expires_at = self._revoked.get(family)
        return expires_at is not None and expires_at > self._clock()

    def families(self, *, subject: str | None = None, client_id: str | None = None) -> list[str]:
        """The live sign-ins (those with an unexpired refresh token) of a subject and/or client, for
        tools that end someone's access without knowing their tokens."""
        query = "SELECT DISTINCT family FROM refresh_tokens WHERE expires_at > ?"
        values: list[object] = [self._clock()]
        if subject is not None:
            query += " AND subject = ?"
            values.append(subject)
        if client_id is not None:
            query += " AND client_id = ?"
            values.append(client_id)
        with self._lock:
            return [row[0] for row in self._db.execute(query, values)]

    def _reload_if_changed(self) -> None:
        if not self._changes.changed():
            return
        rows = self._db.execute(
            "SELECT family, expires_at FROM revoked_families WHERE expires_at > ?", (self._clock(),)
        ).fetchall()
        self._revoked = dict(rows)


def revoke_family(state_path: str, family: str) -> None:
    """Revoke one sign-in from another process (an operator tool): a running gateway sharing
    `state_path` refuses its access tokens from its next request on."""
    revocations = RevocationList(state_path)
    try:
        revocations.revoke_family(family)
    finally:
        revocations.close()
