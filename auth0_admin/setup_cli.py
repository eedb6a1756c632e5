"""./scripts/auth0-setup: bring the Auth0 tenant to what ChatGPT and Claude need, or show what that takes.

Without --apply it only reads and prints one line per item (found, what it would change, why). With
--apply it first checks that the token carries every permission the planned changes need (so it never
stops halfway), makes those changes, reads the tenant again and prints PASS, FAIL or UNKNOWN per item
(exit 1 unless every item passes). Running it again changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auth0_admin.command import DEFAULT_CONNECTION, exit_status
from auth0_admin.config import load_settings
from auth0_admin.errors import ManagementError, MissingScope
from auth0_admin.management import connect, translated_errors
from auth0_admin.tenant_setup.find_or_create import Recovered
from auth0_admin.tenant_setup.fixes import FIXES, UNKNOWN_FIXES
from auth0_admin.tenant_setup.items import Desired, Item
from auth0_admin.tenant_setup.plan import plan

__all__ = ["main"]

MAX_ROUNDS = 2  # a create that turned out to exist already may leave changes for a second round


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="auth0-setup",
        description="Plan (default) or --apply the Auth0 tenant settings of docs/deployment.md section 4.",
    )
    parser.add_argument("--apply", action="store_true", help="make the changes, then check them")
    parser.add_argument(
        "--connection",
        default=DEFAULT_CONNECTION,
        help=f"the login connection third-party applications use (default: {DEFAULT_CONNECTION})",
    )
    parser.add_argument("--allow-signups", action="store_true", help="leave sign-ups on that connection on")
    parser.add_argument(
        "--default-audience",
        action="store_true",
        help="make the API the default audience instead of using the resource parameter profile",
    )
    parser.add_argument("--env-file", type=Path, default=Path(".env"), help="default: .env")
    return parser.parse_args(argv)


def show_plan(items: list[Item]) -> None:
    for item in items:
        if item.pending:
            print(f"CHANGE  {item.key}: {item.found} -> will {item.change} ({item.why})")
        elif item.unknown:
            print(f"UNKNOWN {item.key}: {item.found}\n        -> {UNKNOWN_FIXES[item.key]}")
        elif item.broken:
            print(f"FAIL    {item.key}: {item.found}\n        -> {FIXES[item.key]}")
        elif not item.available:
            print(f"N/A     {item.key}: {item.found}")
        else:
            print(f"OK      {item.key}: {item.found}")


def show_check(items: list[Item]) -> tuple[int, int]:
    """Print the read-back; return (FAIL count, UNKNOWN count)."""
    failures = unknown = 0
    for item in items:
        if item.unknown:
            unknown += 1
            print(f"UNKNOWN {item.key}: {item.found}\n      -> {UNKNOWN_FIXES[item.key]}")
        elif not item.available:
            print(f"N/A   {item.key}: {item.found}")
        elif item.pending or item.broken:
            failures += 1
            print(f"FAIL  {item.key}: {item.found}\n      -> {FIXES[item.key]}")
        else:
            print(f"PASS  {item.key}: {item.found}")
    return failures, unknown


def check_permissions(items: list[Item], granted: frozenset[str] | None) -> None:
    """Refuse before the first change when the token lacks a permission some planned change needs."""
    if granted is None:
        return  # Auth0 did not list the token's permissions: a 403 will name the missing one
    missing = sorted({scope for item in items for scope in item.requires if scope not in granted})
    if missing:
        raise MissingScope(" ".join(missing), nothing_changed=True)


def apply(items: list[Item]) -> tuple[set[str], bool]:
    """Run each change; return the keys Auth0 refused as not offered, and whether a create recovered."""
    refused: set[str] = set()
    recovered = False
    for item in items:
        if item.apply is None:
            continue
        print(f"...     {item.key}: {item.change}")
        try:
            with translated_errors():
                result = item.apply()
        except ManagementError as error:
            if item.optional_feature and not isinstance(error, MissingScope):
                # Offered in the settings but refused on this plan/region: report, not fail.
                print(f"N/A     {item.key}: not available on this tenant ({error})")
                refused.add(item.key)
                continue
            raise
        if isinstance(result, Recovered):
            print(f"        {result.message}")
            recovered = True
    return refused, recovered


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.env_file)
    desired = Desired(
        identifier=settings.api_identifier(),
        scopes=settings.scopes,
        connection=args.connection,
        allow_signups=args.allow_signups,
        default_audience=args.default_audience,
    )
    try:
        with translated_errors():
            connected = connect(settings)
            client = connected.client
            items = plan(client, desired)
    except MissingScope as error:  # a read was refused: no change has been made yet
        raise MissingScope(error.scopes, nothing_changed=True) from None
    show_plan(items)
    pending = [item for item in items if item.pending]
    if not args.apply:
        if pending:
            print(f"{len(pending)} change(s) to make: run ./scripts/auth0-setup --apply")
        else:
            print("nothing to change")
        return 0
    check_permissions(pending, connected.granted)
    refused: set[str] = set()
    for _ in range(MAX_ROUNDS):
        refused_now, recovered = apply([item for item in pending if item.key not in refused])
        refused |= refused_now
        if not recovered:
            break
        print("reading the tenant again to continue from what exists:")
        with translated_errors():
            pending = [item for item in plan(client, desired) if item.pending and item.key not in refused]
        check_permissions(pending, connected.granted)
    print("reading the tenant back:")
    with translated_errors():
        after = plan(client, desired)
    for item in after:
        if item.key in refused:
            item.found, item.change, item.available = "not available on this tenant", None, False
    failures, unknown = show_check(after)
    if failures == 0 and unknown == 0:
        print("all items PASS")
        return 0
    summary = [f"{failures} item(s) FAIL"] if failures else []
    summary += [f"{unknown} item(s) UNKNOWN (nothing was changed there)"] if unknown else []
    print(f"{', '.join(summary)}: see the fixes above")
    return 1


def main(argv: list[str] | None = None) -> int:
    return exit_status(run, parse(argv))


if __name__ == "__main__":
    sys.exit(main())
