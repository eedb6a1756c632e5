"""The one way the checks talk to a server: plain urllib, no redirects followed, errors as results.

MCP clients do not follow redirects on discovery, so neither does this; an HTTP error status is a result
to explain, not an exception. What is left to raise is the network itself (`ProbeError`): DNS, refused
connections, timeouts and TLS failures, whose cause `reason` and `tls_failure` pick out for the user.
Checks call `probe.fetch` through the module, so a unit test can replace it in one place.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

TIMEOUT = 15
USER_AGENT = "real-estate-mcp verify-deployment"
# What a failed request raises: urllib wraps most network errors in URLError, the rest are OSError.
ProbeError = (OSError, urllib.error.URLError)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """MCP clients do not follow redirects on discovery; neither do we, so a redirect is visible."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect())


def fetch(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Message, str]:
    """(status, headers, body text); an HTTP error status is a result, not an exception."""
    if urlsplit(url).scheme not in ("http", "https"):  # URLs from remote documents too: no file: etc.
        raise urllib.error.URLError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 (scheme checked above)
    request.add_header("User-Agent", USER_AGENT)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with OPENER.open(request, timeout=TIMEOUT) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def reason(error: BaseException) -> object:
    """What went wrong, as the user should read it: URLError's reason, else the error itself."""
    return getattr(error, "reason", error)


def tls_failure(error: BaseException) -> ssl.SSLError | None:
    """The TLS error behind a failed request: urllib wraps it in URLError, so look at the reason too."""
    for candidate in (error, getattr(error, "reason", None)):
        if isinstance(candidate, ssl.SSLError):
            return candidate
    return None


def read_json_object(text: str) -> dict[str, Any]:
    """A JSON object, or {} for anything else (not JSON, an array, a string)."""
    try:
        document = json.loads(text)
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}
