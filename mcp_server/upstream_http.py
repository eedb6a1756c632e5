"""The one pooled HTTP client every upstream call goes through, and the one place httpx errors are mapped.

Why one place: retries, timeouts, concurrency limits and key hygiene are easy to get subtly wrong per
caller. ``UpstreamHttp.get`` sends a GET, always reads the whole body, hands it (with the status) to
the caller's ``interpret`` function — which classifies the *body first*, because data.go.kr sends key
and quota errors with 200 or 403 — and retries with exponential backoff only when the result is a
transient ``UpstreamUnavailableError``. Key, quota and validation errors are never retried.

The data.go.kr key travels in the query string, and httpx logs every request URL at INFO, so
``install_log_redaction`` puts a filter on the httpx/httpcore loggers that removes ``serviceKey`` values
and every configured secret from their records; our own log lines never contain a URL with a query.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

import httpx

from mcp_server.config import Settings
from mcp_server.errors import (
    ConfigurationError,
    UpstreamAuthError,
    UpstreamError,
    UpstreamQuotaError,
    UpstreamRequestError,
    UpstreamResponseError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)

__all__ = [
    "RawResponse",
    "SecretRedactingFilter",
    "UpstreamHttp",
    "all_or_first_error",
    "error_for_status",
    "install_log_redaction",
    "redact_secrets",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")

USER_AGENT = "real-estate-mcp/0.1 (+https://github.com/; self-hosted MCP server)"


@dataclass(frozen=True)
class RawResponse:
    """What an interpreter needs: status, content type and the complete body (never the URL)."""

    status_code: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class UpstreamHttp:
    """Owns the shared ``httpx.AsyncClient``; usable as an async context manager by several owners.

    The MCP server's lifespan enters it (opening the pool) and exits it (closing the pool). Entries
    are counted so that several in-process clients, or the HTTP app plus a test, can share one pool.
    A call made outside any ``async with`` opens the pool lazily; ``aclose`` closes it.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: httpx.AsyncClient | None = None
        self._users = 0
        self._semaphore: asyncio.Semaphore | None = None
        install_log_redaction(settings.secret_values())

    async def __aenter__(self) -> UpstreamHttp:
        self._users += 1
        self._ensure_client()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._users = max(0, self._users - 1)
        if self._users == 0:
            await self.aclose()

    async def aclose(self) -> None:
        client, self._client, self._semaphore = self._client, None, None
        if client is not None:
            await client.aclose()

    @property
    def is_open(self) -> bool:
        return self._client is not None

    def _ensure_client(self) -> httpx.AsyncClient:
        if self._client is None:
            s = self._settings
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(s.upstream_timeout_seconds, connect=s.upstream_connect_timeout_seconds),
                limits=httpx.Limits(
                    max_connections=s.upstream_max_connections,
                    max_keepalive_connections=s.upstream_max_connections,
                ),
                headers={"User-Agent": USER_AGENT, "Accept": "application/xml, application/json, */*"},
                follow_redirects=False,
            )
            self._semaphore = asyncio.Semaphore(s.upstream_max_connections)
        return self._client

    async def get(
        self,
        url: str,
        *,
        params: Mapping[str, str],
        service: str,
        interpret: Callable[[RawResponse], T],
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """GET ``url`` and return ``interpret(raw)``, retrying transient failures with backoff.

        ``interpret`` raises an ``UpstreamError`` for any unusable answer; only the retryable branch
        (``UpstreamUnavailableError``) is tried again, up to ``UPSTREAM_RETRIES`` more times.
        """
        attempts = self._settings.upstream_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                raw = await self._send(url, params=params, headers=headers, service=service)
                return interpret(raw)
            except UpstreamUnavailableError as exc:
                if attempt >= attempts:
                    raise
                delay = self._backoff(attempt)
                logger.warning(
                    "%s: transient failure (%s), retry %d/%d in %.2fs",
                    service,
                    type(exc).__name__,
                    attempt,
                    attempts - 1,
                    delay,
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        base = self._settings.upstream_retry_backoff_seconds
        return float(base * (2 ** (attempt - 1)) * (1 + random.random() / 2))  # noqa: S311 - jitter only

    async def _send(
        self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str] | None, service: str
    ) -> RawResponse:
        client = self._ensure_client()
        semaphore = self._semaphore or asyncio.Semaphore(self._settings.upstream_max_connections)
        started = time.monotonic()
        try:
            async with semaphore:
                response = await client.get(url, params=dict(params), headers=dict(headers or {}))
                body = response.content  # the whole body: it is classified before the status
        except httpx.TimeoutException as exc:
            raise UpstreamTimeoutError(
                f"{service} did not answer within {self._settings.upstream_timeout_seconds:g} seconds. "
                "The public data portal is slow or down; try again in a few minutes.",
                service=service,
            ) from exc
        except httpx.TransportError as exc:
            raise UpstreamUnavailableError(
                f"Could not reach {service} ({type(exc).__name__}). Check the server's internet "
                "connection (and DNS), then try again in a few minutes.",
                service=service,
            ) from exc
        except httpx.InvalidURL as exc:
            raise ConfigurationError(
                f"The upstream URL for {service} is invalid; check DATA_GO_KR_BASE_URL / ODCLOUD_BASE_URL."
            ) from exc
        except httpx.HTTPError as exc:
            raise UpstreamUnavailableError(
                f"{service} failed at the HTTP level ({type(exc).__name__}); try again in a few minutes.",
                service=service,
            ) from exc
        logger.debug(
            "%s: HTTP %d, %d bytes in %.0f ms",
            service,
            response.status_code,
            len(body),
            (time.monotonic() - started) * 1000,
        )
        return RawResponse(response.status_code, response.headers.get("content-type", ""), body)


def error_for_status(raw: RawResponse, service: str, detail: str = "") -> UpstreamError:
    """The error for a body no service-specific rule recognised, decided by the HTTP status.

    Used by the parsers after they have looked at the body, never before."""
    status = raw.status_code
    snippet = _snippet(raw.text)
    seen = f" (the service answered HTTP {status}{': ' + repr(snippet) if snippet else ''})"
    if status >= 500:
        return UpstreamUnavailableError(
            f"{service} is having a server error{seen}. Try again in a few minutes.",
            service=service,
            code=str(status),
        )
    if status in (401, 403):
        return UpstreamAuthError(
            f"{service} refused the service key{seen}. Make sure this service is approved (활용신청) for "
            "your key on data.go.kr; a newly approved key can take up to an hour to work.",
            service=service,
            code=str(status),
        )
    if 300 <= status < 400:
        return UpstreamRequestError(
            f"{service} redirected the request{seen}; redirects are not followed, so the key is never "
            "sent to another address. Set DATA_GO_KR_BASE_URL / ODCLOUD_BASE_URL to the final address "
            "(e.g. https:// instead of http://).",
            service=service,
            code=str(status),
        )
    if status == 429:
        return UpstreamQuotaError(
            f"{service} is rate-limiting this key{seen}. Wait a while; daily quotas reset at midnight KST.",
            service=service,
            code=str(status),
        )
    if 400 <= status < 500:
        return UpstreamRequestError(
            f"{service} rejected the request{seen}. Check DATA_GO_KR_BASE_URL / ODCLOUD_BASE_URL; "
            "if they are right, the service may have changed.",
            service=service,
            code=str(status),
        )
    return UpstreamResponseError(
        f"{service} sent an answer that could not be read{seen}{detail}. Try again later; if it "
        "persists the service format may have changed.",
        service=service,
        code=str(status),
    )


def _snippet(text: str, limit: int = 80) -> str:
    """The start of a plain-text body, for messages ('Forbidden', 'Unexpected errors'); no markup."""
    flat = " ".join(text.split())
    if not flat or flat.startswith("<"):
        return ""
    return _FILTER.redact(flat)[:limit]  # redact first: a cut could leave a recognisable key prefix


_SERVICE_KEY_PARAM = re.compile(r"(?i)(servicekey=)[^&\s'\"]*")


class SecretRedactingFilter(logging.Filter):
    """Rewrites a record's message with ``serviceKey=…`` values and the given secrets removed."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__("secret-redaction")
        self.secrets: set[str] = {s for s in secrets if s}

    def redact(self, text: str) -> str:
        text = _SERVICE_KEY_PARAM.sub(r"\1[REDACTED]", text)
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose args do not format: leave it to the handler
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse a cached exc_text, so the traceback they print is this redacted one.
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True


async def all_or_first_error(coroutines: list[Coroutine[Any, Any, T]]) -> list[T]:
    """Await the page requests concurrently; the first failure cancels the rest and is raised as itself.

    Not ``asyncio.TaskGroup``: it wraps the failure in an ExceptionGroup, which the tools would not
    recognise as an ``UpstreamError`` (so the SDK would mask it), and on Python 3.11 a child failing
    while the group is exiting leaves the calling task with a pending cancellation, which breaks the
    MCP session that called the tool."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


_FILTER = SecretRedactingFilter()
# Logger filters are not inherited by child loggers, so each logger that formats URLs is listed.
_REDACTED_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "uvicorn.access",
    "uvicorn.error",
)


def redact_secrets(text: str) -> str:
    """``text`` without ``serviceKey=…`` values and configured secrets, for messages that quote an
    upstream answer (a proxy or error page may echo the request URL or the key back)."""
    return _FILTER.redact(text)


def install_log_redaction(secrets: Iterable[str] = ()) -> SecretRedactingFilter:
    """Attach the process-wide redaction filter to every logger that may see an upstream URL, and to
    the root handlers configured so far (``python -m mcp_server`` calls this after configuring them)."""
    _FILTER.secrets.update(s for s in secrets if s)
    for name in _REDACTED_LOGGERS:
        target = logging.getLogger(name)
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
    # Handler filters see every record that reaches the handler, from any logger (the SDK's
    # "raised an unexpected exception" tracebacks included), not only the loggers listed above.
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    return _FILTER
