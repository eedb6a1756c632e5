"""The Auth0 Management API v2 through the official auth0-python SDK, and its failures in plain words.

The SDK's generated client (`auth0.management.Auth0`) retries 429 answers itself, waiting as long as
`Retry-After` says (the SDK caps one wait at 60 s); `MAX_RETRIES` bounds how often. Every failure a
command can meet becomes one `ManagementError` whose message names the fix, never a traceback, and never
the client secret or the token:

    ManagementError
     ├── CredentialsRejected   /oauth/token refused the machine-to-machine application
     ├── MissingScope          403 insufficient_scope: the application lacks a Management API permission
     ├── RateLimited           still 429 after the retries
     └── (itself)              unreachable tenant, any other API error
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import requests
from auth0.authentication import GetToken
from auth0.authentication.exceptions import Auth0Error, RateLimitError
from auth0.management import Auth0
from auth0.management.core.api_error import ApiError

from auth0_admin.config import AdminSettings

__all__ = [
    "MAX_RETRIES",
    "CredentialsRejected",
    "ManagementError",
    "MissingScope",
    "RateLimited",
    "connect",
    "translated_errors",
]

MAX_RETRIES = 3
TIMEOUT = 30.0
SCOPES_IN_MESSAGE = re.compile(r"expected (?:any|all) of:\s*(.+)$", re.IGNORECASE)


class ManagementError(Exception):
    """A Management API call failed; the message is for the operator."""


class CredentialsRejected(ManagementError):
    pass


class MissingScope(ManagementError):
    def __init__(self, scopes: str) -> None:
        self.scopes = scopes
        super().__init__(
            f"the machine-to-machine application lacks the Management API permission {scopes}: Auth0 "
            "dashboard -> Applications -> APIs -> Auth0 Management API -> Machine To Machine Applications "
            "-> your application -> tick it, Update (docs/deployment.md lists every permission needed)"
        )


class RateLimited(ManagementError):
    pass


def connect(settings: AdminSettings) -> Auth0:
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
        answer: dict[str, Any] = authentication.client_credentials(audience=settings.management_audience)
    except RateLimitError:
        raise RateLimited(
            "Auth0 answered 429 (rate limit) to the token request; try again in a minute"
        ) from None
    except Auth0Error as error:
        raise CredentialsRejected(
            f"Auth0 refused a Management API token ({error.status_code} {error.error_code}: "
            f"{error.message}). "
            "Check AUTH0_MGMT_CLIENT_ID / AUTH0_MGMT_CLIENT_SECRET, and that the application is authorized "
            "for the Auth0 Management API (docs/deployment.md, 'Auth0 by command')"
        ) from None
    except requests.RequestException as error:
        raise ManagementError(f"cannot reach {settings.base_url}: {type(error).__name__}") from None
    return Auth0(
        base_url=f"{settings.base_url}/api/v2",
        token=str(answer["access_token"]),
        timeout=TIMEOUT,
        max_retries=MAX_RETRIES,
    )


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
