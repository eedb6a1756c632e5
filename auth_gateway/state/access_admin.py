"""The operator's changes to who may sign in (`./scripts/access`): users, the door, ending sessions.

Ending sessions: every sign-in of the user, the client or everyone is revoked through the revocation
list (its refresh tokens deleted, its access tokens refused on the next request). Blocked and removed
users are refused by name as well, whatever token they hold (auth_gateway/state/access_policy.py).
Cut-offs by time (per user, per client, for all) catch the tokens that belong to no listed sign-in,
such as client_credentials tokens under `revoke --all`.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth_gateway.state.access_store import AccessStore
from auth_gateway.state.revocations import RevocationList

__all__ = ["AccessAdmin", "Session", "User"]

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


class AccessAdmin(AccessStore):
    """The access tables as the command lists and changes them; each change is one transaction."""

    _revocations: RevocationList | None = None

    def close(self) -> None:
        super().close()
        if self._revocations is not None:
            self._revocations.close()

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

    def _cut_off_user(self, name: str) -> None:
        self._db.execute("UPDATE users SET tokens_not_before = ? WHERE name = ?", (self._cutoff(), name))

    def _end_sessions(self, scope: str, value: str | None = None) -> int:
        """Revoke every sign-in of `scope` (`_FAMILIES`) in the revocation list (auth_gateway/state/
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

    def _set(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO access_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
