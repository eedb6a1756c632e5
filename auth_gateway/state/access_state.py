"""Who may sign in, and whether anyone new may: users, the door, and token cut-offs, in the state file.

The gateway and `./scripts/access` (auth_gateway/access_cli.py) both open the SQLite file at
OAUTH_STATE_PATH, the gateway for its whole life and the command for one change. SQLite's own locking
(`BEGIN IMMEDIATE`, a busy timeout) makes each change one transaction, so the command is safe to run
while the gateway serves requests. The gateway keeps a `Policy` snapshot in memory and re-reads it
only when the file changed (`state_file.StateFileChanges`: a stat per request), so a change is in force
from the next request on, without a restart or a signal.

- Users: a name, an Argon2id hash, a blocked flag, when they were added and last signed in. The owner
  is the user `owner`, whose password stays OWNER_PASSWORD_HASH in .env: its row (made on first
  sign-in or first block) holds no hash, so there is nothing to migrate.
- The door: `closed` refuses new sign-ins and registrations; sessions already made go on.
- Sessions: each sign-in (a token family, auth_gateway/state/revocations.py) with its user, client name and
  redirect host, for `./scripts/access sessions`; listed while it has a live refresh token.
- Ending sessions: every sign-in of the user, the client or everyone is revoked through the revocation
  list (its refresh tokens deleted, its access tokens refused on the next request). Blocked and
  removed users are refused by name as well, whatever token they hold. Cut-offs by time (per user,
  per client, for all) catch the tokens that belong to no listed sign-in, such as client_credentials
  tokens under `revoke --all`.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from auth_gateway.errors import StateStoreError
from auth_gateway.state.revocations import RevocationList
from auth_gateway.state.state_file import StateFileChanges, open_state_file

__all__ = [
    "OWNER",
    "AccessStore",
    "Policy",
    "StateStoreError",
    "User",
    "UserState",
    "name_problem",
]

OWNER = "owner"  # the user whose password is OWNER_PASSWORD_HASH (own_tokens.OWNER_SUBJECT)
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
# A session is listed while its sign-in (refresh token family) has a live refresh token.
_LIVE_SESSIONS = """
SELECT family, subject, client_id, client_name, redirect_host, created_at, last_used FROM sessions
WHERE family IN (SELECT family FROM refresh_tokens WHERE used = 0 AND expires_at > ?)
ORDER BY created_at
"""
# The sign-ins (families) a command ends: every one with a refresh token or a recorded session.
_FAMILIES = {
    "subject": "SELECT family FROM refresh_tokens WHERE subject = ?1 "
    "UNION SELECT family FROM sessions WHERE subject = ?1",
    "client_id": "SELECT family FROM refresh_tokens WHERE client_id = ?1 "
    "UNION SELECT family FROM sessions WHERE client_id = ?1",
    "all": "SELECT family FROM refresh_tokens UNION SELECT family FROM sessions",
}
_LIVE_FAMILIES = "SELECT DISTINCT family FROM refresh_tokens WHERE used = 0 AND expires_at > ?"
# A session is listed while its sign-in (refresh token family) has a live refresh token.
_LIVE_SESSIONS = """
SELECT family, subject, client_id, client_name, redirect_host, created_at, last_used FROM sessions
WHERE family IN (SELECT family FROM refresh_tokens WHERE used = 0 AND expires_at > ?)
ORDER BY created_at
"""
# Which refresh tokens a cut-off deletes: (count the live sign-ins, delete every token).
_REFRESH_SCOPES = {
    "subject": (
        "SELECT COUNT(DISTINCT family) FROM refresh_tokens WHERE subject = ? AND used = 0",
        "DELETE FROM refresh_tokens WHERE subject = ?",
    ),
    "client_id": (
        "SELECT COUNT(DISTINCT family) FROM refresh_tokens WHERE client_id = ? AND used = 0",
        "DELETE FROM refresh_tokens WHERE client_id = ?",
    ),
    "all": (
        "SELECT COUNT(DISTINCT family) FROM refresh_tokens WHERE used = 0",
        "DELETE FROM refresh_tokens",
    ),
}


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a user name, or None. Names are what tokens carry as `sub` and what the MCP
    server's audit log shows, so they are short lower-case ASCII."""
    if NAME_PATTERN.fullmatch(name):
        return None
    return (
        f"{name[:40]!r} is not a usable name: use 1 to 32 lower-case letters, digits, '.', '_' or '-', "
        "starting with a letter or digit (e.g. alice, kim.minji)"
    )


@dataclass(frozen=True, slots=True)
class User:
    name: str
    password_hash: str | None  # None for the owner: OWNER_PASSWORD_HASH
    blocked: bool
    created_at: float
    last_sign_in: float | None


@dataclass(frozen=True, slots=True)
class Session:
    """One sign-in: what the authorization produced, alive while its refresh tokens are."""

    family: str
    subject: str
    client_id: str
    client_name: str
    redirect_host: str
    created_at: float
    last_used: float


@dataclass(frozen=True, slots=True)
class UserState:
    blocked: bool
    not_before: float


@dataclass(frozen=True, slots=True)
class Policy:
    """What /verify, /oauth/authorize and /oauth/register need to know, read once per change."""

    closed: bool = False
    not_before: float = 0.0  # `revoke --all`
    users: dict[str, UserState] = field(default_factory=dict)
    clients: dict[str, float] = field(default_factory=dict)  # client_id → not_before

    @property
    def has_named_users(self) -> bool:
        """Whether the login page must ask for a name: someone besides the owner has an account."""
        return any(name != OWNER for name in self.users)

    def refusal(self, *, subject: str, client_id: str, issued_at: float, user_token: bool) -> str | None:
        """Why a token issued at `issued_at` no longer stands, or None. `user_token`: it was issued after
        a sign-in at the login page, so `subject` names a user who must exist and not be blocked."""
        if issued_at < self.not_before:
            return "every session on this server was ended by its owner; sign in again"
        if issued_at < self.clients.get(client_id, 0.0):
            return "this application's sessions were ended by the server's owner; sign in again"
        if not user_token:
            return None
        user = self.users.get(subject)
        if user is None:
            return None if subject == OWNER else "this user no longer exists on this server"
        if user.blocked:
            return "this user is blocked on this server; ask its owner"
        if issued_at < user.not_before:
            return "this user's sessions were ended by the server's owner; sign in again"
        return None


class AccessStore:
    """The access tables of one state file, for the gateway (policy, sign-ins) and the command (changes)."""

    def __init__(self, path: str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._db = open_state_file(path)
        self._changes = StateFileChanges(path)
        self._policy = Policy()
        self._revocations: RevocationList | None = None

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._changes.close()
        if self._revocations is not None:
            self._revocations.close()

    # ---- the gateway's side -------------------------------------------------------------------

    def policy(self) -> Policy:
        """The current policy; re-read only when the state file changed since the last look."""
        with self._lock:
            if self._changes.changed():
                self._policy = self._read_policy()
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

    # ---- the command's side -------------------------------------------------------------------

    def sessions(self, *, subject: str | None = None) -> list[Session]:
        with self._lock:
            rows = self._db.execute(_LIVE_SESSIONS, (self._clock(),)).fetchall()
        found = [Session(*row) for row in rows]
        return [session for session in found if subject is None or session.subject == subject]

    def users(self) -> list[User]:
        with self._lock:
            rows = self._db.execute(
                "SELECT name, password_hash, blocked, created_at, last_sign_in FROM users ORDER BY name"
            ).fetchall()
        return [User(name, phc, bool(blocked), created, last) for name, phc, blocked, created, last in rows]

    def user(self, name: str) -> User | None:
        return next((user for user in self.users() if user.name == name), None)

    def session_count(self) -> int:
        """Live sign-ins: families with an unspent, unexpired refresh token."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(DISTINCT family) FROM refresh_tokens WHERE used = 0 AND expires_at > ?",
                (self._clock(),),
            ).fetchone()
        return int(row[0])

    def add_user(self, name: str, password_hash: str) -> None:
        now = self._clock()
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO users (name, password_hash, created_at, tokens_not_before) VALUES (?, ?, ?, ?)",
                (name, password_hash, now, self._cutoff()),
            )

    def set_password(self, name: str, password_hash: str) -> int:
        """New password; the user's sessions end (a changed password is usually a leaked one)."""
        with self._lock, self._transaction():
            self._db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))
            self._cut_off_user(name)
        return self._end_sessions("subject", name)

    def set_blocked(self, name: str, blocked: bool) -> int:
        """Block (ending every session of the user) or unblock; the number of sessions ended."""
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO users (name, blocked, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET blocked = excluded.blocked",
                (name, int(blocked), self._clock()),
            )
            if blocked:
                self._cut_off_user(name)
        return self._end_sessions("subject", name) if blocked else 0

    def remove_user(self, name: str) -> int:
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM users WHERE name = ?", (name,))
        return self._end_sessions("subject", name)

    def set_closed(self, closed: bool) -> None:
        with self._lock, self._transaction():
            self._set("door", "closed" if closed else "open")

    def revoke_user(self, name: str) -> int:
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO users (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, self._clock()),
            )
            self._cut_off_user(name)
        return self._end_sessions("subject", name)

    def revoke_client(self, client_id: str) -> int:
        with self._lock, self._transaction():
            self._db.execute(
                "INSERT INTO client_cutoffs (client_id, not_before) VALUES (?, ?) "
                "ON CONFLICT (client_id) DO UPDATE SET not_before = excluded.not_before",
                (client_id, self._cutoff()),
            )
        return self._end_sessions("client_id", client_id)

    def revoke_all(self) -> int:
        with self._lock, self._transaction():
            self._set("tokens_not_before", repr(self._cutoff()))
        return self._end_sessions("all")

    def revoke_session(self, family: str) -> None:
        self._revocation_list().revoke_family(family)

    # ---- internals ------------------------------------------------------------------------------

    def _read_policy(self) -> Policy:
        settings = dict(self._db.execute("SELECT key, value FROM access_settings").fetchall())
        users = {
            name: UserState(bool(blocked), not_before)
            for name, blocked, not_before in self._db.execute(
                "SELECT name, blocked, tokens_not_before FROM users"
            )
        }
        clients = dict(self._db.execute("SELECT client_id, not_before FROM client_cutoffs").fetchall())
        return Policy(
            closed=settings.get("door") == "closed",
            not_before=float(settings.get("tokens_not_before", "0")),
            users=users,
            clients=clients,
        )

    def _cut_off_user(self, name: str) -> None:
        self._db.execute("UPDATE users SET tokens_not_before = ? WHERE name = ?", (self._cutoff(), name))

    def _end_sessions(self, scope: str, value: str | None = None) -> int:
        """Revoke every sign-in of `scope` (`_FAMILIES`) in the revocation list (auth_gateway/
        revocations.py), which deletes its refresh tokens and makes /verify refuse its access tokens;
        the number of those that were live."""
        with self._lock:
            args = () if value is None else (value,)
            families = [row[0] for row in self._db.execute(_FAMILIES[scope], args)]
            live = {row[0] for row in self._db.execute(_LIVE_FAMILIES, (self._clock(),))}
        revocations = self._revocation_list()
        for family in families:
            revocations.revoke_family(family)
        return len(live.intersection(families))

    def _revocation_list(self) -> RevocationList:
        """The command's handle on the revocation list, opened on first use (the gateway has its own)."""
        if self._revocations is None:
            self._revocations = RevocationList(self.path)
        return self._revocations

    def _cutoff(self) -> float:
        """Tokens issued before this moment are refused. Access tokens state their `iat` in whole
        seconds, so the cut-off is the start of the current second: a token issued a moment after the
        command is never refused, while one issued in that same second just before it goes on until it
        expires; the sign-in (family) revocations close that gap for every token that has one."""
        return float(math.floor(self._clock()))

    def _set(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO access_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

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
