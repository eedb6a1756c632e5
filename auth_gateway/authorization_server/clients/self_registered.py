"""Clients nobody configured: what a registration or a metadata document says about them, and the
redirect URI rules both must obey.

Redirect URIs are https, or plain http to a loopback address (RFC 8252 §7.3, for CLI and desktop
clients). A registered loopback URI matches any port, because native clients pick a free port per
login and their documents list the URI without one (or with another); everything else must match
character for character. The host must be one the owner can read on the login page as it is
(clients/host_names.py: no bidirectional controls, invisible characters or mixed-script labels),
and nothing in the URI may be invisible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from auth_gateway.authorization_server.clients.host_names import host_forms
from auth_gateway.authorization_server.errors import UnreadableHost
from auth_gateway.config import is_loopback_host

__all__ = [
    "MAX_REDIRECT_URI_LENGTH",
    "SelfRegisteredClient",
    "display_name",
    "redirect_uri_matches",
    "redirect_uri_problem",
]

MAX_REDIRECT_URI_LENGTH = 2000
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


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be a redirect URI of a self-registered client, or None."""
    if len(uri) > MAX_REDIRECT_URI_LENGTH:
        return f"is longer than {MAX_REDIRECT_URI_LENGTH} characters"
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return "is not a valid URL"
    del port  # parsed only to refuse a malformed port
    if not parts.hostname or parts.scheme not in ("https", "http"):
        return "must be an absolute https:// URL (or http:// to a loopback address)"
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return "must use https:// (plain http only to localhost, 127.0.0.1 or [::1])"
    if parts.fragment or "#" in uri:
        return "must not contain a fragment"
    if parts.username is not None or parts.password is not None:
        return "must not contain user info"
    try:
        host_forms(parts.hostname)
    except UnreadableHost as exc:
        return f"cannot be shown to the owner as it is: {exc.description}"
    hidden = next((ch for ch in uri if not ch.isprintable() or ch.isspace()), None)
    if hidden is not None:
        return f"must not contain spaces, control or invisible characters (U+{ord(hidden):04X})"
    return None


def redirect_uri_matches(registered: str, requested: str) -> bool:
    if registered == requested:
        return True
    try:
        reg, req = urlsplit(registered), urlsplit(requested)
        _ = (reg.port, req.port)
    except ValueError:
        return False
    return (
        reg.scheme == req.scheme == "http"
        and reg.hostname is not None
        and reg.hostname == req.hostname
        and is_loopback_host(reg.hostname)
        and (reg.path or "/") == (req.path or "/")
        and reg.query == req.query
    )


def display_name(value: object, fallback: str) -> str:
    """A client's own name made safe to show on one line: printable, single spaces, bounded."""
    if not isinstance(value, str):
        return fallback
    name = re.sub(r"\s+", " ", "".join(ch for ch in value if ch.isprintable() or ch.isspace())).strip()
    return name[:MAX_NAME_LENGTH] or fallback
