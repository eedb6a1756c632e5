"""How ./scripts/access prints: the notes it repeats, one line per user and per session, times in UTC.

Client names and redirect hosts come from whoever registered a client, so they reach the terminal only
through `printable`.
"""

from __future__ import annotations

import time

from auth_gateway.state.access_admin import User
from auth_gateway.state.access_policy import OWNER

__all__ = [
    "LOGIN_OFF",
    "MODE_NONE",
    "OWNER_HASH_NOTE",
    "SESSION_ID_CHARS",
    "printable",
    "session_row",
    "user_line",
    "when",
]

SESSION_ID_CHARS = 12  # of the 32 hex digits of a sign-in id: plenty to tell sessions apart
OWNER_HASH_NOTE = (
    "the owner's password is OWNER_PASSWORD_HASH in .env: set it with ./scripts/set-owner-password"
)
MODE_NONE = " (no tokens are required, so none of this applies until AUTH_MODE=oauth)"
LOGIN_OFF = (
    "off: set OWNER_PASSWORD_HASH (./scripts/set-owner-password) so that people can sign in at the login page"
)


def session_row(session: str, user: str, client: str, host: str, created: str, used: str) -> str:
    return f"{session:<12}  {user[:16]:<16} {client[:28]:<28} {host[:24]:<24} {created:<20}  {used}"


def printable(text: str) -> str:
    """Client names come from whoever registered: no control characters reach the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def user_line(user: User) -> str:
    state = "blocked" if user.blocked else "active"
    created = "from .env" if user.name == OWNER else f"added {when(user.created_at)}"
    last = when(user.last_sign_in) if user.last_sign_in else "never"
    return f"{user.name:<16} {state:<8} {created:<26} last sign-in {last}"


def when(moment: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(moment))
