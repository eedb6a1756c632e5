"""Where /oauth/authorize may send a code for the pre-registered client (RFC 6749 §3.1.2).

Claude's and ChatGPT's callbacks and anything in OAUTH_REDIRECT_URIS match exactly, character for
character. ChatGPT's developer-mode apps each have their own callback,
`https://chatgpt.com/connector/oauth/<callback id>`: that one pattern is allowed with the id a single
path segment of `[A-Za-z0-9_-]{1,128}` and nothing else (no trailing slash, no query, no encoded
separator, so nothing but ChatGPT's own per-app endpoint can match). Loopback URIs (RFC 8252 §7.3)
match on scheme and host with any port and path, because command-line clients listen on a port
chosen at run time; a code sent there never leaves the machine that asked for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = [
    "CHATGPT_APP_CALLBACK",
    "KNOWN_CLIENT_CALLBACKS",
    "LOOPBACK_HOSTS",
    "RedirectAllowlist",
    "is_chatgpt_app_callback",
    "is_loopback_redirect",
]

KNOWN_CLIENT_CALLBACKS = (
    "https://claude.ai/api/mcp/auth_callback",
    "https://claude.com/api/mcp/auth_callback",
    "https://chatgpt.com/connector_platform_oauth_redirect",
)
# ChatGPT's per-app callback (developer mode); the legacy connector_platform_oauth_redirect stays above.
CHATGPT_APP_CALLBACK = re.compile(r"https://chatgpt\.com/connector/oauth/[A-Za-z0-9_-]{1,128}")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MAX_REDIRECT_URI_LENGTH = 2048


def is_loopback_redirect(uri: str) -> bool:
    """http://127.0.0.1:<port>/…, http://localhost:<port>/… or http://[::1]:<port>/…, nothing else."""
    if len(uri) > MAX_REDIRECT_URI_LENGTH or not uri.isprintable() or "\\" in uri or " " in uri:
        return False
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    if parts.scheme != "http" or parts.username is not None or parts.password is not None or parts.fragment:
        return False
    host = parts.netloc.rpartition(":")[0] if parts.port is not None else parts.netloc
    return host.lower() in LOOPBACK_HOSTS


def is_chatgpt_app_callback(uri: str) -> bool:
    """https://chatgpt.com/connector/oauth/<id>, the id one segment of [A-Za-z0-9_-]{1,128}, exactly."""
    return CHATGPT_APP_CALLBACK.fullmatch(uri) is not None


class RedirectAllowlist:
    def __init__(self, extra: Iterable[str] = ()) -> None:
        self._exact = frozenset((*KNOWN_CLIENT_CALLBACKS, *extra))

    def allows(self, uri: str) -> bool:
        return uri in self._exact or is_chatgpt_app_callback(uri) or is_loopback_redirect(uri)
