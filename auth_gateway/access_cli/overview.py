"""The server as a whole: `status` (mode, login page, door, users, sessions), `close` and `open`.

Closing the door refuses new sign-ins and registrations only; `--revoke-all` is the separate, explicit
step that also ends the sessions already made.
"""

from __future__ import annotations

from auth_gateway.access_cli.arguments import Environment
from auth_gateway.access_cli.output import LOGIN_OFF, MODE_NONE, user_line
from auth_gateway.access_cli.users import all_users
from auth_gateway.state.access_admin import AccessAdmin

__all__ = ["close", "open_door", "status"]


def status(store: AccessAdmin, environment: Environment) -> None:
    policy = store.policy()
    mode = environment.auth_mode
    print(f"mode: AUTH_MODE={mode}" + ("" if mode == "oauth" else MODE_NONE))
    print(f"login page: {'on (OWNER_PASSWORD_HASH is set)' if environment.owner_login else LOGIN_OFF}")
    print(f"door: {'closed (./scripts/access open)' if policy.closed else 'open'}")
    print(f"state file: {store.path}")
    users = all_users(store, environment)
    print(f"users: {len(users)}")
    for user in users:
        print(f"  {user_line(user)}")
    print(f"sessions: {store.session_count()}")


def close(store: AccessAdmin, *, revoke_all: bool) -> None:
    store.set_closed(True)
    print("closed: new sign-ins and registrations are refused; sessions already made go on")
    if revoke_all:
        ended = store.revoke_all()
        print(f"revoked every session ({ended} with a refresh token): everyone must sign in again")


def open_door(store: AccessAdmin) -> None:
    store.set_closed(False)
    print("open: new sign-ins and registrations are accepted")
