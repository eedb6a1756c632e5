"""`user add|password|block|unblock|remove` and the rules every command applies to user names.

The owner is a user only while OWNER_PASSWORD_HASH is set, and their password lives in .env, so the
command refuses to add, re-password or remove `owner` and says where that password is set instead.
Passwords are read twice at a terminal (or once from --password-stdin) and stored only as Argon2id.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from argon2 import PasswordHasher

from auth_gateway.access_cli.arguments import Environment
from auth_gateway.access_cli.output import LOGIN_OFF, OWNER_HASH_NOTE
from auth_gateway.credentials.owner_password import MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH
from auth_gateway.errors import AccessRefused
from auth_gateway.state.access_admin import AccessAdmin, User
from auth_gateway.state.access_policy import OWNER, name_problem

__all__ = ["ReadPassword", "all_users", "known", "read_password_from_terminal", "user"]

ReadPassword = Callable[[bool], tuple[str, str]]  # from_stdin → (first, second)


def user(args: argparse.Namespace, store: AccessAdmin, environment: Environment, read: ReadPassword) -> None:
    name = args.name.strip().lower()
    action = args.action
    if action == "add":
        problem = name_problem(name)
        if problem is not None:
            raise AccessRefused(problem)
        if name == OWNER:
            raise AccessRefused(OWNER_HASH_NOTE)
        existing = store.user(name)
        if existing is not None and existing.password_hash is not None:
            raise AccessRefused(f"{name} already exists; known users: {_names(store, environment)}")
        store.add_user(name, _new_hash(read, args.password_stdin))
        print(f"added {name}: they sign in at the login page with the name {name} and this password")
        if not environment.owner_login:
            print(f"note: the login page is {LOGIN_OFF}")
        return
    known(name, store, environment)
    if action == "password":
        if name == OWNER:
            raise AccessRefused(OWNER_HASH_NOTE)
        ended = store.set_password(name, _new_hash(read, args.password_stdin))
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


def known(name: str, store: AccessAdmin, environment: Environment) -> None:
    if name not in {user.name for user in all_users(store, environment)}:
        raise AccessRefused(f"there is no user {name[:40]!r}; known users: {_names(store, environment)}")


def all_users(store: AccessAdmin, environment: Environment) -> list[User]:
    """Users with a password here, and the owner when OWNER_PASSWORD_HASH is set."""
    users = [user for user in store.users() if user.password_hash is not None or user.name == OWNER]
    if environment.owner_login and all(user.name != OWNER for user in users):
        users.insert(0, User(OWNER, None, False, 0.0, None))
    if not environment.owner_login:
        users = [user for user in users if user.name != OWNER]
    return sorted(users, key=lambda user: (user.name != OWNER, user.name))


def _names(store: AccessAdmin, environment: Environment) -> str:
    return ", ".join(user.name for user in all_users(store, environment)) or "none yet (user add NAME)"


def _new_hash(read: ReadPassword, from_stdin: bool) -> str:
    first, second = read(from_stdin)
    if first != second:
        raise AccessRefused("the two passwords differ; nothing was changed")
    if len(first) < MIN_PASSWORD_LENGTH:
        raise AccessRefused(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(first.encode("utf-8", "surrogatepass")) > MAX_PASSWORD_BYTES:
        raise AccessRefused(f"the password is longer than {MAX_PASSWORD_BYTES} bytes")
    return PasswordHasher().hash(first)


def read_password_from_terminal(from_stdin: bool) -> tuple[str, str]:
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
