"""Clients nobody configured: what a registration or a metadata document says about them.

Which redirect URIs they may register and use is authorization_server/redirect_rules.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auth_gateway.authorization_server.redirect_rules import redirect_uri_matches, redirect_uri_problem

__all__ = [
    "SelfRegisteredClient",
    "display_name",
]

MAX_NAME_LENGTH = 100


@dataclass(frozen=True, slots=True)
class SelfRegisteredClient:
    client_id: str
    client_name: str  # as the client calls itself: shown on the login page, never trusted
    redirect_uris: tuple[str, ...]
    source: str  # "registration" | "metadata document", for the log and the page
    issued_at: int = 0  # registrations only

    def allows_redirect_uri(self, requested: str) -> bool:
        if redirect_uri_problem(requested) is not None:
            return False
        return any(redirect_uri_matches(registered, requested) for registered in self.redirect_uris)


def display_name(value: object, fallback: str) -> str:
    """A client's own name made safe to show on one line: printable, single spaces, bounded."""
    if not isinstance(value, str):
        return fallback
    name = re.sub(r"\s+", " ", "".join(ch for ch in value if ch.isprintable() or ch.isspace())).strip()
    return name[:MAX_NAME_LENGTH] or fallback
