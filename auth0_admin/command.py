"""What both operator commands share on the command line: the default connection and how failures end."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from auth0_admin.errors import AdminError

__all__ = ["DEFAULT_CONNECTION", "exit_status"]

# The database connection every Auth0 tenant starts with.
DEFAULT_CONNECTION = "Username-Password-Authentication"


def exit_status(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """`run(args)`, with every expected failure printed as one line (status 2) instead of a traceback."""
    try:
        return run(args)
    except AdminError as error:
        print(f"auth0_admin: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, EOFError):
        print("\ninterrupted: nothing more was changed", file=sys.stderr)
        return 130
