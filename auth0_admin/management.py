"""The Auth0 Management API v2 through the official auth0-python SDK, and its failures in plain words.

Retries are ours, not the SDK's: its generated client retries every request on 408, 409, 429 and 5xx,
POSTs included, so a create whose answer was lost could be sent four times. The client is built with
`max_retries=0` over `RetryingTransport`, which waits out a 429 on any request (as long as Auth0's
`X-RateLimit-Reset` says, else `Retry-After`, at most `MAX_WAIT` s, `MAX_RETRIES` times) and repeats a
5xx or a dropped connection only for reads (GET). A failed create is never repeated;
tenant_setup/find_or_create.py reads again instead. The token request (auth0.authentication, which
itself never retries) gets the same bounded 429 handling in `connect`. The SDK's answers are read back
as the JSON Auth0 sent (`as_dict`), so both commands compare the field names the Management API
documents.

Every failure a command can meet becomes one `ManagementError` whose message names the fix, never a
traceback, and never the client secret or the token:

    ManagementError
     ├── CredentialsRejected   /oauth/token refused the machine-to-machine application
     ├── MissingScope          403 insufficient_scope, or a permission a planned change needs is not
     │                         in the token: the application lacks a Management API permission
     ├── RateLimited           still 429 after the retries
     └── (itself)              unreachable tenant, any other API error
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import requests
from auth0.authentication import GetToken
from auth0.authentication.exceptions import Auth0Error, RateLimitError
from auth0.management import Auth0
from auth0.management.core.api_error import ApiError

from auth0_admin.config import AdminSettings
from auth0_admin.errors import CredentialsRejected, ManagementError, MissingScope, RateLimited

__all__ = [
    "MAX_RETRIES",
    "MAX_WAIT",
    "Connected",
    "RetryingTransport",
    "as_dict",
    "connect",
    "rate_limit_wait",
    "translated_errors",
]

MAX_RETRIES = 3
MAX_WAIT = 60.0
TIMEOUT = 30.0
SCOPES_IN_MESSAGE = re.compile(r"expected (?:any|all) of:\s*(.+)$", re.IGNORECASE)


def rate_limit_wait(headers: Mapping[str, str], now: float) -> float:
    """Seconds to wait after a 429: until `X-RateLimit-Reset` (epoch seconds, the header Auth0's
    rate-limit documentation names), else `Retry-After` seconds, else 1 s; never more than MAX_WAIT."""
    lowered = {key.lower(): value for key, value in headers.items()}
    try:
        if "x-ratelimit-reset" in lowered:
            return min(max(float(lowered["x-ratelimit-reset"]) - now, 0.0), MAX_WAIT)
        if "retry-after" in lowered:
            return min(max(float(lowered["retry-after"]), 0.0), MAX_WAIT)
    except ValueError:
        pass
    return 1.0


class RetryingTransport(httpx.BaseTransport):
    """Repeats a request only when repeating it cannot duplicate anything (see the module docstring)."""

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self._sleep = sleep
        self._clock = clock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        repeatable = request.method == "GET"
        for attempt in range(MAX_RETRIES + 1):
            last = attempt == MAX_RETRIES
            try:
                response = self._inner.handle_request(request)
            except (httpx.ConnectError, httpx.RemoteProtocolError):
                if not repeatable or last:
                    raise
                self._sleep(float(2**attempt))
                continue
            if response.status_code == 429 and not last:
                wait = rate_limit_wait(response.headers, self._clock())
            elif response.status_code >= 500 and repeatable and not last:
                wait = float(2**attempt)
            else:
                return response
            response.read()
            response.close()
            self._sleep(wait)
        raise AssertionError("unreachable: the last attempt always returns or raises")

    def close(self) -> None:
        self._inner.close()


@dataclass(frozen=True)
class Connected:
    """The client, and the Management API permissions its token carries (None: Auth0 did not say)."""

    client: Auth0
    granted: frozenset[str] | None


def _token(authentication: GetToken, audience: str, sleep: Callable[[float], None]) -> dict[str, Any]:
    for attempt in range(MAX_RETRIES + 1):
        try:
            answer: dict[str, Any] = authentication.client_credentials(audience=audience)
            return answer
        except RateLimitError as error:
            if attempt == MAX_RETRIES:
                break
            sleep(rate_limit_wait(dict(error.headers or {}), time.time()))
    raise RateLimited(
        f"Auth0 still answers 429 (rate limit) to the token request after {MAX_RETRIES} waits; "
        "try again in a minute"
    )


def connect(settings: AdminSettings, *, sleep: Callable[[float], None] = time.sleep) -> Connected:
    """A Management API client authenticated with a client_credentials token for the M2M application."""
    parts = urlsplit(settings.base_url)
    authentication = GetToken(
        parts.netloc,
        settings.AUTH0_MGMT_CLIENT_ID,
        client_secret=settings.AUTH0_MGMT_CLIENT_SECRET.get_secret_value(),
        protocol=parts.scheme,  # the SDK's documented switch for tests; https in production
        timeout=TIMEOUT,
    )
    try:
        answer = _token(authentication, settings.management_audience, sleep)
    except Auth0Error as error:
        raise CredentialsRejected(
            f"Auth0 refused a Management API token ({error.status_code} {error.error_code}: "
            f"{error.message}). "
            "Check AUTH0_MGMT_CLIENT_ID / AUTH0_MGMT_CLIENT_SECRET, and that the application is authorized "
            "for the Auth0 Management API (docs/deployment.md, 'Auth0 by command')"
        ) from None
    except requests.RequestException as error:
        raise ManagementError(f"cannot reach {settings.base_url}: {type(error).__name__}") from None
    client = Auth0(
        base_url=f"{settings.base_url}/api/v2",
        token=str(answer["access_token"]),
        timeout=TIMEOUT,
        max_retries=0,
        httpx_client=httpx.Client(
            transport=RetryingTransport(sleep=sleep), timeout=TIMEOUT, follow_redirects=True
        ),
    )
    scope = answer.get("scope")
    return Connected(client, frozenset(str(scope).split()) if scope is not None else None)


def as_dict(model: Any) -> dict[str, Any]:
    """The SDK's response model as the JSON Auth0 sent (unset fields left out, `global` not `global_`)."""
    if model is None:
        return {}
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return dumped


def _message(body: Any) -> str:
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or body)
    return str(body)


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the SDK's and httpx's exceptions into `ManagementError`s."""
    try:
        yield
    except ApiError as error:
        message = _message(error.body)
        if error.status_code == 403 and (
            isinstance(error.body, dict) and error.body.get("errorCode") == "insufficient_scope"
        ):
            found = SCOPES_IN_MESSAGE.search(message)
            raise MissingScope(found.group(1).strip() if found else message) from None
        if error.status_code == 429:
            raise RateLimited(
                f"Auth0 still answers 429 (rate limit) after {MAX_RETRIES} waits; try again in a minute"
            ) from None
        raise ManagementError(f"Auth0 answered {error.status_code}: {message}") from None
    except httpx.HTTPError as error:
        raise ManagementError(f"cannot reach the Management API: {type(error).__name__}: {error}") from None
