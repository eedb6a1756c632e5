"""./scripts/access: who may use the built-in server, without Auth0 (the counterpart of auth0-access).

    status                              mode, open or closed, users, sessions
    user add NAME [--password-stdin]    a new user; the password is typed twice (or read from stdin)
    user block|unblock|remove NAME      block ends every session of the user at once
    user password NAME [--password-stdin]   a new password; the user's sessions end
    sessions [--user NAME]              one line per sign-in
    revoke SESSION | --user NAME | --client CLIENT_ID | --all
    close [--revoke-all]                no new sign-ins or registrations; sessions go on unless --revoke-all
    open

Natively: ./scripts/access ... (reads .env as ./scripts/dev does). Under compose, as the service's
own unprivileged user: docker compose exec auth-gateway python -m auth_gateway.access_cli ...

It changes the state file (OAUTH_STATE_PATH) in SQLite transactions, so it is safe while the gateway
runs, and the gateway applies every change from its next request on. Every change is printed; every
refusal (an unknown name, a name taken, passwords that differ) says why and exits with status 1.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher

from auth_gateway.config import DEFAULT_STATE_PATH
from auth_gateway.credentials.owner_password import MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH
from auth_gateway.errors import AccessRefused, StateStoreError
from auth_gateway.state.access_admin import AccessAdmin as AccessStore
from auth_gateway.state.access_admin import Session, User
from auth_gateway.state.access_policy import OWNER, name_problem

__all__ = ["main"]

PROG = "access"
SESSION_ID_CHARS = 12  # of the 32 hex digits of a sign-in id: plenty to tell sessions apart
MIN_SESSION_ID_CHARS = 6


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
    parser = argparse.ArgumentParser(prog=PROG, description=(__doc__ or "").splitlines()[0])
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


def main(
    argv: list[str] | None = None,
    env: Mapping[str, str] | None = None,
    read_password: Callable[[bool], tuple[str, str]] | None = None,
) -> int:
    args = parse(argv)
    environment = Environment.of(os.environ if env is None else env)
    try:
        _refuse_foreign_owner(environment.state_path)
        store = AccessStore(environment.state_path)
    except (StateStoreError, AccessRefused) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    try:
        run(args, store, environment, read_password or _read_password)
    except AccessRefused as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except StateStoreError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def run(
    args: argparse.Namespace,
    store: AccessStore,
    environment: Environment,
    read_password: Callable[[bool], tuple[str, str]],
) -> None:
    command = args.command
    if command == "status":
        _status(store, environment)
    elif command == "user":
        _user(args, store, environment, read_password)
    elif command == "revoke":
        _revoke(args, store, environment)
    elif command == "close":
        store.set_closed(True)
        print("closed: new sign-ins and registrations are refused; sessions already made go on")
        if args.revoke_all:
            ended = store.revoke_all()
            print(f"revoked every session ({ended} with a refresh token): everyone must sign in again")
    elif command == "open":
        store.set_closed(False)
        print("open: new sign-ins and registrations are accepted")
    elif command == "sessions":
        _sessions(args, store, environment)


def _status(store: AccessStore, environment: Environment) -> None:
    policy = store.policy()
    mode = environment.auth_mode
    print(f"mode: AUTH_MODE={mode}" + ("" if mode == "oauth" else _MODE_NONE))
    print(f"login page: {'on (OWNER_PASSWORD_HASH is set)' if environment.owner_login else _LOGIN_OFF}")
    print(f"door: {'closed (./scripts/access open)' if policy.closed else 'open'}")
    print(f"state file: {store.path}")
    users = _all_users(store, environment)
    print(f"users: {len(users)}")
    for user in users:
        print(f"  {_user_line(user)}")
    print(f"sessions: {store.session_count()}")


_OWNER_HASH_NOTE = (
    "the owner's password is OWNER_PASSWORD_HASH in .env: set it with ./scripts/set-owner-password"
)
_MODE_NONE = " (no tokens are required, so none of this applies until AUTH_MODE=oauth)"
_LOGIN_OFF = (
    "off: set OWNER_PASSWORD_HASH (./scripts/set-owner-password) so that people can sign in at the login page"
)


def _user(
    args: argparse.Namespace,
    store: AccessStore,
    environment: Environment,
    read_password: Callable[[bool], tuple[str, str]],
) -> None:
    name = args.name.strip().lower()
    action = args.action
    if action == "add":
        problem = name_problem(name)
        if problem is not None:
            raise AccessRefused(problem)
        if name == OWNER:
            raise AccessRefused(_OWNER_HASH_NOTE)
        existing = store.user(name)
        if existing is not None and existing.password_hash is not None:
            raise AccessRefused(f"{name} already exists; known users: {_names(store, environment)}")
        store.add_user(name, _new_hash(read_password, args.password_stdin))
        print(f"added {name}: they sign in at the login page with the name {name} and this password")
        if not environment.owner_login:
            print(f"note: the login page is {_LOGIN_OFF}")
        return
    _known(name, store, environment)
    if action == "password":
        if name == OWNER:
            raise AccessRefused(_OWNER_HASH_NOTE)
        ended = store.set_password(name, _new_hash(read_password, args.password_stdin))
        print(f"changed the password of {name}; ended their sessions ({ended} with a refresh token)")
    elif action == "block":
        ended = store.set_blocked(name, True)
        print(f"blocked {name}: sign-ins refused, every session ended at once ({ended} with a refresh token)")
    elif action == "unblock":
        store.set_blocked(name, False)
        print(f"unblocked {name}: they may sign in again")
    elif action == "remove":
        if name == OWNER:
            raise AccessRefused(
                "the owner cannot be removed: block them (user block owner), or remove "
                "OWNER_PASSWORD_HASH from .env"
            )
        ended = store.remove_user(name)
        print(f"removed {name}; ended their sessions ({ended} with a refresh token)")


def _revoke(args: argparse.Namespace, store: AccessStore, environment: Environment) -> None:
    if args.all:
        ended = store.revoke_all()
        print(f"revoked every session ({ended} with a refresh token): everyone must sign in again")
    elif args.user is not None:
        name = args.user.strip().lower()
        _known(name, store, environment)
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
            f"{_printable(session.client_name)})"
        )


def _session_named(prefix: str, store: AccessStore) -> Session:
    """The session whose id starts with `prefix` (as `sessions` prints it, or longer)."""
    wanted = prefix.strip().lower()
    sessions = store.sessions()
    matches = [s for s in sessions if len(wanted) >= MIN_SESSION_ID_CHARS and s.family.startswith(wanted)]
    if len(matches) != 1:
        known = ", ".join(s.family[:SESSION_ID_CHARS] for s in sessions) or "none"
        what = "matches more than one session" if matches else "is not a live session's id"
        raise AccessRefused(
            f"{prefix[:40]!r} {what}; sessions: {known} (./scripts/access sessions lists them)"
        )
    return matches[0]


def _sessions(args: argparse.Namespace, store: AccessStore, environment: Environment) -> None:
    name = None
    if args.user is not None:
        name = args.user.strip().lower()
        _known(name, store, environment)
    sessions = store.sessions(subject=name)
    if not sessions:
        print("no sessions" + (f" of {name}" if name else ""))
        return
    print(_session_row("SESSION", "USER", "CLIENT", "REDIRECT HOST", "CREATED", "LAST USED"))
    for session in sessions:
        print(
            _session_row(
                session.family[:SESSION_ID_CHARS],
                session.subject,
                _printable(session.client_name),
                _printable(session.redirect_host),
                _when(session.created_at),
                _when(session.last_used),
            )
        )


def _session_row(session: str, user: str, client: str, host: str, created: str, used: str) -> str:
    return f"{session:<12}  {user[:16]:<16} {client[:28]:<28} {host[:24]:<24} {created:<20}  {used}"


def _printable(text: str) -> str:
    """Client names come from whoever registered: no control characters reach the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _known(name: str, store: AccessStore, environment: Environment) -> None:
    if name not in {user.name for user in _all_users(store, environment)}:
        raise AccessRefused(f"there is no user {name[:40]!r}; known users: {_names(store, environment)}")


def _all_users(store: AccessStore, environment: Environment) -> list[User]:
    """Users with a password here, and the owner when OWNER_PASSWORD_HASH is set."""
    users = [user for user in store.users() if user.password_hash is not None or user.name == OWNER]
    if environment.owner_login and all(user.name != OWNER for user in users):
        users.insert(0, User(OWNER, None, False, 0.0, None))
    if not environment.owner_login:
        users = [user for user in users if user.name != OWNER]
    return sorted(users, key=lambda user: (user.name != OWNER, user.name))


def _names(store: AccessStore, environment: Environment) -> str:
    return ", ".join(user.name for user in _all_users(store, environment)) or "none yet (user add NAME)"


def _user_line(user: User) -> str:
    state = "blocked" if user.blocked else "active"
    created = "from .env" if user.name == OWNER else f"added {_when(user.created_at)}"
    last = _when(user.last_sign_in) if user.last_sign_in else "never"
    return f"{user.name:<16} {state:<8} {created:<26} last sign-in {last}"


def _when(moment: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(moment))


def _new_hash(read_password: Callable[[bool], tuple[str, str]], from_stdin: bool) -> str:
    first, second = read_password(from_stdin)
    if first != second:
        raise AccessRefused("the two passwords differ; nothing was changed")
    if len(first) < MIN_PASSWORD_LENGTH:
        raise AccessRefused(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(first.encode("utf-8", "surrogatepass")) > MAX_PASSWORD_BYTES:
        raise AccessRefused(f"the password is longer than {MAX_PASSWORD_BYTES} bytes")
    return PasswordHasher().hash(first)


def _read_password(from_stdin: bool) -> tuple[str, str]:
    """Twice at a terminal; with --password-stdin the first line of standard input, once."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        return line, line
    if not sys.stdin.isatty():
        raise AccessRefused("no terminal to type the password on: pipe it in with --password-stdin")
    try:
        first = getpass.getpass("Password / 비밀번호: ")
        second = getpass.getpass("Again / 다시 입력: ")
    except (EOFError, KeyboardInterrupt):
        raise AccessRefused("cancelled; nothing was changed") from None
    return first, second


def _refuse_foreign_owner(state_path: str) -> None:
    """Run as root against a file the service owns, the command would leave root-owned journal files
    the service cannot write: ask for the service's own user instead."""
    file = Path(state_path)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and file.exists() and file.stat().st_uid != 0:
        raise AccessRefused(
            f"run this as the user that owns {file} (uid {file.stat().st_uid}), not as root: under "
            "compose, docker compose exec auth-gateway python -m auth_gateway.access_cli ..."
        )


if __name__ == "__main__":
    sys.exit(main())
