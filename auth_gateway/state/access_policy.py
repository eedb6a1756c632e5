"""The access policy /verify asks on every request: who is blocked, which tokens were cut off, the door.

It is a frozen snapshot read from the state file's access tables (`read_policy`) only when the file
changed (auth_gateway/state/access_store.py), so asking it costs a dict look-up or two, never SQL.
The user-name rule lives here too, because tokens carry the name as `sub` and the policy is keyed by it.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

__all__ = ["OWNER", "Policy", "UserState", "name_problem", "read_policy"]

OWNER = "owner"  # the user whose password is OWNER_PASSWORD_HASH (own_tokens.OWNER_SUBJECT)
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")


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
class UserState:
    """A user as /verify sees them: refused if blocked, or for tokens issued before a cut-off."""

    blocked: bool
    not_before: float  # the user's sessions were ended (block, new password, revoke --user) here


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


def read_policy(db: sqlite3.Connection) -> Policy:
    """The policy as the access tables hold it now (the caller holds the connection's lock)."""
    settings = dict(db.execute("SELECT key, value FROM access_settings").fetchall())
    users = {
        name: UserState(bool(blocked), not_before)
        for name, blocked, not_before in db.execute("SELECT name, blocked, tokens_not_before FROM users")
    }
    clients = dict(db.execute("SELECT client_id, not_before FROM client_cutoffs").fetchall())
    return Policy(
        closed=settings.get("door") == "closed",
        not_before=float(settings.get("tokens_not_before", "0")),
        users=users,
        clients=clients,
    )
