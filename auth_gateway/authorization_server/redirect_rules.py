"""Every rule about redirect URIs, in one place (RFC 6749 §3.1.2, RFC 8252 §7.3, RFC 9700 §4.1).

Where a URI may be registered (`redirect_uri_problem`), used by registrations, client metadata
documents and OAUTH_REDIRECT_URIS alike:
- https, or plain http to a loopback address; no fragment, no user info, nothing invisible, at most
  `MAX_URL_LENGTH` characters (the longest parameter an authorization request accepts, so a longer
  one could never be sent);
- its host is one the owner can read on the login page as it is (clients/host_names.py: no
  bidirectional controls, invisible characters or mixed-script labels).

Where a code may be sent:
- a registered URI (`redirect_uri_matches`) matches character for character, except that a loopback
  URI matches on any port (RFC 8252 §7.3: native clients pick a free port per login), path and query
  still exact;
- the configured client (`RedirectAllowlist`) may use Claude's and ChatGPT's callbacks, ChatGPT's
  per-app `https://chatgpt.com/connector/oauth/<id>` (the id one segment of `[A-Za-z0-9_-]{1,128}`,
  nothing more), anything in OAUTH_REDIRECT_URIS exactly, and any loopback URI: nothing registers
  its command-line callback, and a code sent there never leaves the machine that asked for it (it is
  worthless without the client secret anyway).

A loopback host is `localhost`, an address in 127.0.0.0/8 or `[::1]`, never a name under
`.localhost`, which a resolver may still send elsewhere.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

from auth_gateway.authorization_server.clients.host_names import host_forms
from auth_gateway.authorization_server.errors import UnreadableHost

__all__ = [
    "KNOWN_CLIENT_CALLBACKS",
    "MAX_URL_LENGTH",
    "RedirectAllowlist",
    "is_chatgpt_app_callback",
    "is_loopback_redirect",
    "redirect_uri_matches",
    "redirect_uri_problem",
]

MAX_URL_LENGTH = 2048
KNOWN_CLIENT_CALLBACKS = (
    "https://claude.ai/api/mcp/auth_callback",
    "https://claude.com/api/mcp/auth_callback",
    "https://chatgpt.com/connector_platform_oauth_redirect",
)
# ChatGPT's per-app callback (developer mode); the legacy connector_platform_oauth_redirect stays above.
CHATGPT_APP_CALLBACK = re.compile(r"https://chatgpt\.com/connector/oauth/[A-Za-z0-9_-]{1,128}")


def redirect_uri_problem(uri: str) -> str | None:
    """Why `uri` cannot be registered as a redirect URI, worded to follow the quoted URI; or None."""
    if len(uri) > MAX_URL_LENGTH:
        return f"is longer than {MAX_URL_LENGTH} characters"
    parts = _parsed(uri)
    if parts is None:
        return "is not a valid URL"
    if not parts.hostname or parts.scheme not in ("https", "http"):
        return "is not an absolute URL; use an absolute https:// URL (or http:// to a loopback address)"
    if parts.scheme == "http" and not _loopback_host(parts.hostname):
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
    """Exact, or the same loopback URI on another port (RFC 8252 §7.3)."""
    if registered == requested:
        return True
    reg, req = _parsed(registered), _parsed(requested)
    return (
        reg is not None
        and req is not None
        and _is_loopback_http(reg)
        and _is_loopback_http(req)
        and reg.hostname == req.hostname
        and (reg.path or "/") == (req.path or "/")
        and reg.query == req.query
    )


def is_loopback_redirect(uri: str) -> bool:
    """http://127.0.0.1:<port>/…, http://localhost:<port>/… or http://[::1]:<port>/…, nothing else."""
    if redirect_uri_problem(uri) is not None or "\\" in uri:
        return False
    parts = _parsed(uri)
    return parts is not None and _is_loopback_http(parts)


def is_chatgpt_app_callback(uri: str) -> bool:
    """https://chatgpt.com/connector/oauth/<id>, the id one segment of [A-Za-z0-9_-]{1,128}, exactly."""
    return CHATGPT_APP_CALLBACK.fullmatch(uri) is not None


class RedirectAllowlist:
    """Where /oauth/authorize may send a code for the configured client (OAUTH_CLIENT_ID)."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self._exact = frozenset((*KNOWN_CLIENT_CALLBACKS, *extra))

    def allows(self, uri: str) -> bool:
        return uri in self._exact or is_chatgpt_app_callback(uri) or is_loopback_redirect(uri)


def _parsed(uri: str) -> SplitResult | None:
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    return parts


def _is_loopback_http(parts: SplitResult) -> bool:
    return (
        parts.scheme == "http"
        and parts.username is None
        and parts.password is None
        and not parts.fragment
        and _loopback_host(parts.hostname)
    )


def _loopback_host(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
