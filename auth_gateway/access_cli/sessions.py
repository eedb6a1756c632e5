"""`sessions` (one line per live sign-in) and `revoke` (one sign-in, a user's, a client's or all).

A session is named by the first digits of its sign-in id, as `sessions` prints them; a prefix must be
long enough and match exactly one live session, so a typo never ends someone else's.
"""

from __future__ import annotations

import argparse

from auth_gateway.access_cli.arguments import Environment
from auth_gateway.access_cli.output import SESSION_ID_CHARS, printable, session_row, when
from auth_gateway.access_cli.users import known
from auth_gateway.errors import AccessRefused
from auth_gateway.state.access_admin import AccessAdmin, Session

__all__ = ["list_sessions", "revoke"]

MIN_SESSION_ID_CHARS = 6


def list_sessions(args: argparse.Namespace, store: AccessAdmin, environment: Environment) -> None:
    name = None
    if args.user is not None:
        name = args.user.strip().lower()
        known(name, store, environment)
    sessions = store.sessions(subject=name)
    if not sessions:
        print("no sessions" + (f" of {name}" if name else ""))
        return
    print(session_row("SESSION", "USER", "CLIENT", "REDIRECT HOST", "CREATED", "LAST USED"))
    for session in sessions:
        print(
            session_row(
                session.family[:SESSION_ID_CHARS],
                session.subject,
                printable(session.client_name),
                printable(session.redirect_host),
                when(session.created_at),
                when(session.last_used),
            )
        )


def revoke(args: argparse.Namespace, store: AccessAdmin, environment: Environment) -> None:
    if args.all:
        ended = store.revoke_all()
        print(f"revoked every session ({ended} with a refresh token): everyone must sign in again")
    elif args.user is not None:
        name = args.user.strip().lower()
        known(name, store, environment)
        ended = store.revoke_user(name)
        print(f"revoked every session of {name} ({ended} with a refresh token)")
    elif args.client is not None:
        ended = store.revoke_client(args.client)
        print(f"revoked every session of the client {args.client} ({ended} with a refresh token)")
    else:
        session = _session_named(args.session, store)
        store.revoke_session(session.family)
        print(
            f"revoked session {session.family[:SESSION_ID_CHARS]} ({session.subject}, "
            f"{printable(session.client_name)})"
        )


def _session_named(prefix: str, store: AccessAdmin) -> Session:
    """The session whose id starts with `prefix` (as `sessions` prints it, or longer)."""
    wanted = prefix.strip().lower()
    sessions = store.sessions()
    matches = [s for s in sessions if len(wanted) >= MIN_SESSION_ID_CHARS and s.family.startswith(wanted)]
    if len(matches) != 1:
        known_ids = ", ".join(s.family[:SESSION_ID_CHARS] for s in sessions) or "none"
        what = "matches more than one session" if matches else "is not a live session's id"
        raise AccessRefused(
            f"{prefix[:40]!r} {what}; sessions: {known_ids} (./scripts/access sessions lists them)"
        )
    return matches[0]
