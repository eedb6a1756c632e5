"""Users, the door and sign-ins in the state file: the gateway's handle on the access tables.

The gateway and `./scripts/access` (auth_gateway/access_cli/) both open the SQLite file at
OAUTH_STATE_PATH, the gateway for its whole life and the command for one change. SQLite's own locking
(`BEGIN IMMEDIATE`, a busy timeout) makes each change one transaction, so the command is safe to run
while the gateway serves requests. The gateway keeps a `Policy` snapshot in memory and re-reads it
only when the file changed (`state_file.StateFileChanges`: a stat per request), so a change is in force
from the next request on, without a restart or a signal.

- Users: a name, an Argon2id hash, a blocked flag, when they were added and last signed in. The owner
  is the user `owner`, whose password stays OWNER_PASSWORD_HASH in .env: its row (made on first
  sign-in or first block) holds no hash, so there is nothing to migrate.
- The door: `closed` refuses new sign-ins and registrations; sessions already made go on.
- Sessions: each sign-in (a token family, auth_gateway/state/revocations.py) with its user, client name
  and redirect host, for `./scripts/access sessions`.

The operator's changes (add, block, revoke, ...) are `access_admin.AccessAdmin`, built on this class.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from auth_gateway.errors import StateStoreError
from auth_gateway.state.access_policy import Policy, read_policy
from auth_gateway.state.state_file import StateFileChanges, open_state_file

__all__ = ["AccessStore"]


class AccessStore:
    """The access tables of one state file, as the gateway reads (policy) and writes (sign-ins) them."""

    def __init__(self, path: str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._db = open_state_file(path)
        self._changes = StateFileChanges(path)
        self._policy = Policy()

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._changes.close()

    def policy(self) -> Policy:
        """The current policy; re-read only when the state file changed since the last look."""
        with self._lock:
            if self._changes.changed():
                self._policy = read_policy(self._db)
            return self._policy

    def password_hash(self, name: str) -> str | None:
        """The Argon2id hash of user `name` (not the owner's: that one is OWNER_PASSWORD_HASH)."""
        with self._lock:
            row = self._db.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    def record_sign_in(self, name: str) -> None:
        with self._lock, self._transaction():
            now = self._clock()
            self._db.execute(
                "INSERT INTO users (name, created_at, last_sign_in) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET last_sign_in = excluded.last_sign_in",
                (name, now, now),
            )

    def record_session(
        self, family: str, *, subject: str, client_id: str, client_name: str, redirect_host: str
    ) -> None:
        """Remember a new sign-in for `sessions`; rows of sign-ins that ended are dropped here."""
        with self._lock, self._transaction():
            now = self._clock()
            self._db.execute("DELETE FROM sessions WHERE family NOT IN (SELECT family FROM refresh_tokens)")
            self._db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
                (family, subject, client_id, client_name[:100], redirect_host[:255], now, now),
            )

    def touch_session(self, family: str) -> None:
        with self._lock, self._transaction():
            self._db.execute("UPDATE sessions SET last_used = ? WHERE family = ?", (self._clock(), family))

    def _cutoff(self) -> float:
        """Tokens issued before this moment are refused. Access tokens state their `iat` in whole
        seconds, so the cut-off is the start of the current second: a token issued a moment after the
        command is never refused, while one issued in that same second just before it goes on until it
        expires; the sign-in (family) revocations close that gap for every token that has one."""
        return float(math.floor(self._clock()))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StateStoreError(f"OAUTH_STATE_PATH: cannot write {self.path} ({exc})") from None
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        self._changes.forget()
