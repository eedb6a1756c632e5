"""What a plan is made of: the tenant state the operator asked for, and one line of the plan.

Every per-resource module builds `Item`s and nothing else, so setup_cli.py can print, permission-check,
apply and read back any item the same way without knowing which resource it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Desired", "Item"]


@dataclass(frozen=True)
class Desired:
    identifier: str
    scopes: tuple[str, ...]
    connection: str
    allow_signups: bool
    default_audience: bool


@dataclass
class Item:
    """One line of the plan. `change is None` means the tenant already matches (or cannot be changed).

    `requires`: the Management API permissions the change needs, checked before any change is made.
    `unknown`: the state could not be read, so nothing is changed (UNKNOWN, with UNKNOWN_FIXES).
    `broken`: the state is wrong and this command does not change it (FAIL even in the plan).
    `optional_feature`: a tenant that refuses the change does not offer it (N/A, not a failure).
    """

    key: str
    found: str
    change: str | None = None
    why: str = ""
    apply: Callable[[], object] | None = None
    available: bool = True
    requires: tuple[str, ...] = ()
    unknown: bool = False
    broken: bool = False
    optional_feature: bool = False

    @property
    def pending(self) -> bool:
        return self.change is not None
