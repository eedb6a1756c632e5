"""./scripts/auth0-setup: bring the Auth0 tenant to what ChatGPT and Claude need, or show what that takes.

Without --apply it only reads and prints one line per item (found, what it would change, why). With
--apply it makes those changes, reads the tenant again and prints PASS or FAIL per item (exit 1 on any
FAIL). Running it again changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auth0_admin.command import DEFAULT_CONNECTION, exit_status
from auth0_admin.config import load_settings
from auth0_admin.management import ManagementError, MissingScope, connect, translated_errors
from auth0_admin.tenant_setup import FIXES, Desired, Item, plan

__all__ = ["main"]


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
        elif not item.available:
            print(f"N/A     {item.key}: {item.found}")
        else:
            print(f"OK      {item.key}: {item.found}")


def show_check(items: list[Item]) -> int:
    failures = 0
    for item in items:
        if not item.available:
            print(f"N/A   {item.key}: {item.found}")
        elif item.pending or item.found.startswith("no connection"):
            failures += 1
            print(f"FAIL  {item.key}: {item.found}\n      -> {FIXES[item.key]}")
        else:
            print(f"PASS  {item.key}: {item.found}")
    return failures


def apply(items: list[Item]) -> set[str]:
    """Run each change; return the keys Auth0 refused as not offered (only CIMD may be)."""
    refused: set[str] = set()
    for item in items:
        if item.apply is None:
            continue
        print(f"...     {item.key}: {item.change}")
        try:
            with translated_errors():
                item.apply()
        except ManagementError as error:
            if item.key == "cimd" and not isinstance(error, MissingScope):
                # Offered in the settings but refused on this plan/region: report, not fail.
                print(f"N/A     cimd: not available on this tenant ({error})")
                refused.add(item.key)
                continue
            raise
    return refused


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.env_file)
    desired = Desired(
        identifier=settings.api_identifier(),
        scopes=settings.scopes,
        connection=args.connection,
        allow_signups=args.allow_signups,
        default_audience=args.default_audience,
    )
    with translated_errors():
        client = connect(settings)
        items = plan(client, desired)
    show_plan(items)
    pending = [item for item in items if item.pending]
    if not args.apply:
        if pending:
            print(f"{len(pending)} change(s) to make: run ./scripts/auth0-setup --apply")
        else:
            print("nothing to change")
        return 0
    refused = apply(pending)
    print("reading the tenant back:")
    with translated_errors():
        after = plan(client, desired)
    for item in after:
        if item.key in refused:
            item.found, item.change, item.available = "not available on this tenant", None, False
    failures = show_check(after)
    print("all items PASS" if failures == 0 else f"{failures} item(s) FAIL: see the fixes above")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    return exit_status(run, parse(argv))


if __name__ == "__main__":
    sys.exit(main())
