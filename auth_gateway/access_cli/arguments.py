"""The command line of ./scripts/access and the three settings it reads from the environment.

The command does not load GatewaySettings: it must work (to add a user, say) before the gateway's
settings are complete, so it reads only where the state file is and what the status line reports.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass

from auth_gateway.config import DEFAULT_STATE_PATH

__all__ = ["PROG", "Environment", "parse"]

PROG = "access"
DESCRIPTION = (
    "./scripts/access: who may use the built-in server, without Auth0 (the counterpart of auth0-access)."
)


@dataclass(frozen=True)
class Environment:
    state_path: str
    auth_mode: str
    owner_login: bool

    @classmethod
    def of(cls, env: Mapping[str, str]) -> Environment:
        return cls(
            state_path=env.get("OAUTH_STATE_PATH", "").strip() or DEFAULT_STATE_PATH,
            auth_mode=env.get("AUTH_MODE", "").strip() or "none",
            owner_login=bool(env.get("OWNER_PASSWORD_HASH", "").strip()),
        )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="mode, open or closed, users, sessions")
    user = commands.add_parser("user", help="add, block, unblock, remove a user, or set a password")
    actions = user.add_subparsers(dest="action", required=True)
    for action, text in (
        ("add", "a new user (password typed twice, or --password-stdin)"),
        ("password", "a new password for a user; ends the user's sessions"),
    ):
        parser_ = actions.add_parser(action, help=text)
        parser_.add_argument("name")
        parser_.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
    for action, text in (
        ("block", "refuse the user's sign-ins and end every session of theirs at once"),
        ("unblock", "let the user sign in again"),
        ("remove", "delete the user and end their sessions"),
    ):
        actions.add_parser(action, help=text).add_argument("name")
    sessions = commands.add_parser("sessions", help="one line per sign-in")
    sessions.add_argument("--user", help="only this user's")
    revoke = commands.add_parser("revoke", help="end sessions")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("session", nargs="?", help="a session id from `sessions`")
    which.add_argument("--user", help="every session of this user")
    which.add_argument("--client", help="every session of this client id")
    which.add_argument("--all", action="store_true", help="every session of everyone")
    close = commands.add_parser("close", help="no new sign-ins or registrations")
    close.add_argument("--revoke-all", action="store_true", help="end every session as well")
    commands.add_parser("open", help="accept new sign-ins and registrations again")
    return parser.parse_args(argv)
