"""./scripts/auth0-access: open or close the door, and manage who holds a key.

    status                      DCR on/off, users with their blocked flag, registered applications
    open | close                dynamic client registration on | off
    user add EMAIL [--invite]   a password typed twice (or --password-stdin), or an invitation link
    user block|unblock EMAIL
    apps prune [--days N] [--include-manual]
                                delete applications that registered themselves and are unused for N
                                days (default 30); other unused third-party applications are listed
                                with why they were kept, and deleted only with --include-manual

Every change is printed first, then made only after a "y" at the prompt or with --yes. Without a
terminal and without --yes nothing is changed. Running a command twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from auth0.management import Auth0

from auth0_admin import access
from auth0_admin.command import DEFAULT_CONNECTION, exit_status
from auth0_admin.config import load_settings
from auth0_admin.errors import UsageError
from auth0_admin.management import connect, translated_errors

__all__ = ["main"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--yes", action="store_true", help="make the printed changes without asking")
    common.add_argument("--env-file", type=Path, default=Path(".env"), help="default: .env")
    parser = argparse.ArgumentParser(
        prog="auth0-access", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", parents=[common], help="DCR, users and registered applications")
    commands.add_parser("open", parents=[common], help="turn dynamic client registration on")
    commands.add_parser("close", parents=[common], help="turn dynamic client registration off")
    user = commands.add_parser("user", help="add, block or unblock a user").add_subparsers(
        dest="action", required=True
    )
    add = user.add_parser("add", parents=[common], help="create a user on the login connection")
    add.add_argument("email")
    add.add_argument("--invite", action="store_true", help="print a link where the user sets a password")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--connection", default=DEFAULT_CONNECTION, help=f"default: {DEFAULT_CONNECTION}")
    for action in ("block", "unblock"):
        user.add_parser(action, parents=[common], help=f"{action} every user with this e-mail").add_argument(
            "email"
        )
    apps = commands.add_parser("apps", help="registered third-party applications").add_subparsers(
        dest="action", required=True
    )
    prune = apps.add_parser(
        "prune", parents=[common], help="delete self-registered applications unused for --days"
    )
    prune.add_argument("--days", type=int, default=30, help="default: 30")
    prune.add_argument(
        "--include-manual",
        action="store_true",
        help="also delete unused third-party applications not marked as self-registered (asks first)",
    )
    return parser.parse_args(argv)


def confirm(changes: list[str], assume_yes: bool) -> bool:
    """Print the changes; True when they may be made."""
    if not changes:
        print("nothing to change")
        return False
    for line in changes:
        print(f"will {line}")
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        print("not changed: no terminal to confirm on; rerun with --yes")
        return False
    return input("make these changes? [y/N] ").strip().lower() in ("y", "yes")


def apply(changes: list[access.Change], assume_yes: bool) -> int:
    if confirm([change.description for change in changes], assume_yes):
        for change in changes:
            change.run()
            print(f"done: {change.description}")
    return 0


def status(client: Auth0) -> int:
    enabled = access.dcr_enabled(client)
    print(
        "dynamic client registration: "
        + ("on (clients may register; signing in is still required)" if enabled else "off")
    )
    found = access.users(client)
    print(f"users ({len(found)}):")
    for user in found:
        state = "BLOCKED" if user.blocked else "active"
        name = user.email or user.user_id
        print(f"  {name:<36} {state:<8} {user.connection:<32} last login {user.last_login}")
    applications = access.third_party_applications(client)
    print(f"third-party applications ({len(applications)}):")
    for application in applications:
        created = application.created_at.date().isoformat() if application.created_at else "unknown"
        print(f"  {application.name:<36} {application.client_id:<40} created {created}: {application.origin}")
    return 0


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password for the new user: ")
    if first != getpass.getpass("again: "):
        raise UsageError("the two passwords differ; nothing was created")
    return first


def user_add(client: Auth0, args: argparse.Namespace) -> int:
    existing = [u for u in access.users_with_email(client, args.email) if u.connection == args.connection]
    if existing:
        state = "blocked" if existing[0].blocked else "active"
        print(f"nothing to change: {args.email} already exists on {args.connection} ({state})")
        return 0
    how = "an invitation link" if args.invite else "the password you type"
    if not confirm([f"create user {args.email.lower()} on {args.connection} with {how}"], args.yes):
        return 0
    if args.invite:
        link = access.invite_user(client, args.email, args.connection)
        print(f"created {args.email.lower()}; send them this link to set a password (valid 7 days):\n{link}")
    else:
        password = read_password(args.password_stdin)
        if not password:
            raise UsageError("empty password; nothing was created")
        access.create_user(client, args.email, args.connection, password)
        print(f"created {args.email.lower()} on {args.connection}")
    return 0


def user_block(client: Auth0, args: argparse.Namespace, blocked: bool) -> int:
    found = access.users_with_email(client, args.email)
    if not found:
        print(f"error: no user with the e-mail {args.email}", file=sys.stderr)
        return 1
    return apply(access.block_changes(client, found, blocked), args.yes)


def _when(application: access.Application) -> str:
    if application.last_used is not None:
        return f"last used {application.last_used.date().isoformat()}"
    created = application.created_at.date().isoformat() if application.created_at else "unknown"
    return f"no use in the tenant's logs, created {created}"


def apps_prune(client: Auth0, args: argparse.Namespace) -> int:
    """Only applications Auth0 marks as self-registered go without --include-manual: the others were made
    by someone on purpose (or before Auth0 recorded how), and a deleted one cannot be brought back."""
    if args.days < 1:
        raise UsageError("--days must be 1 or more")
    changes = []
    for application in access.unused_applications(client, args.days):
        if not application.self_registered and not args.include_manual:
            print(
                f"kept {application.name} ({application.client_id}): {_when(application)}, but "
                f"{application.origin}; --include-manual deletes it too"
            )
            continue
        warning = "" if application.self_registered else f" [NOT self-registered: {application.origin}]"
        changes.append(
            access.Change(
                f"delete {application.name} ({application.client_id}): {_when(application)}{warning}",
                lambda client_id=application.client_id: client.clients.delete(client_id),  # type: ignore[misc]
            )
        )
    return apply(changes, args.yes)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.env_file)
    with translated_errors():
        client = connect(settings).client
        if args.command == "status":
            return status(client)
        if args.command in ("open", "close"):
            change = access.dcr_change(client, enable=args.command == "open")
            return apply([change] if change else [], args.yes)
        if args.command == "user" and args.action == "add":
            return user_add(client, args)
        if args.command == "user":
            return user_block(client, args, blocked=args.action == "block")
        return apps_prune(client, args)


def main(argv: list[str] | None = None) -> int:
    return exit_status(run, parse(argv))


if __name__ == "__main__":
    sys.exit(main())
