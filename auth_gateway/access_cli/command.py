"""One run of ./scripts/access: open the state file, run the command, turn refusals into one line.

Every refusal is an `AccessRefused` (or the state file's `StateStoreError`), printed as
`access: <why>` with exit status 1; argparse's usage errors keep their status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from auth_gateway.access_cli import overview, sessions, users
from auth_gateway.access_cli.arguments import PROG, Environment, parse
from auth_gateway.access_cli.users import ReadPassword, read_password_from_terminal
from auth_gateway.errors import AccessRefused, StateStoreError
from auth_gateway.state.access_admin import AccessAdmin

__all__ = ["main", "run"]


def main(
    argv: list[str] | None = None,
    env: Mapping[str, str] | None = None,
    read_password: Callable[[bool], tuple[str, str]] | None = None,
) -> int:
    args = parse(argv)
    environment = Environment.of(os.environ if env is None else env)
    try:
        _refuse_foreign_owner(environment.state_path)
        store = AccessAdmin(environment.state_path)
    except (StateStoreError, AccessRefused) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    try:
        run(args, store, environment, read_password or read_password_from_terminal)
    except (AccessRefused, StateStoreError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def run(
    args: argparse.Namespace, store: AccessAdmin, environment: Environment, read_password: ReadPassword
) -> None:
    command = args.command
    if command == "status":
        overview.status(store, environment)
    elif command == "user":
        users.user(args, store, environment, read_password)
    elif command == "revoke":
        sessions.revoke(args, store, environment)
    elif command == "close":
        overview.close(store, revoke_all=args.revoke_all)
    elif command == "open":
        overview.open_door(store)
    elif command == "sessions":
        sessions.list_sessions(args, store, environment)


def _refuse_foreign_owner(state_path: str) -> None:
    """Run as root against a file the service owns, the command would leave root-owned journal files
    the service cannot write: ask for the service's own user instead."""
    file = Path(state_path)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and file.exists() and file.stat().st_uid != 0:
        raise AccessRefused(
            f"run this as the user that owns {file} (uid {file.stat().st_uid}), not as root: under "
            "compose, docker compose exec auth-gateway python -m auth_gateway.access_cli ..."
        )
