"""The one pooled HTTP client every upstream call goes through, and the one place httpx errors are mapped.

Why one place: retries, timeouts, concurrency limits and key hygiene are easy to get subtly wrong per
caller. ``UpstreamHttp.get`` sends a GET, always reads the whole body, hands it (with the status) to
the caller's ``interpret`` function — which classifies the *body first*, because data.go.kr sends key
and quota errors with 200 or 403 — and retries by the ``RetryPolicy``: only transient failures, with
exponential backoff. Our own log lines never contain a URL with a query (the key travels in it). Every
request sent (each attempt: each one counts against the daily quota) is counted in ``usage``, answered
or failed by kind, for the status page.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypeVar

import httpx

from mcp_server.config import Settings
from mcp_server.errors import (
    ConfigurationError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from mcp_server.upstream.redaction import Redactor, redact_service_key
from mcp_server.upstream.retry import RetryPolicy
from mcp_server.upstream.usage import UpstreamUsage

__all__ = ["USER_AGENT", "RawResponse", "UpstreamHttp"]

logger = logging.getLogger(__name__)
T = TypeVar("T")

USER_AGENT = "real-estate-mcp (self-hosted MCP server)"


@dataclass(frozen=True)
class RawResponse:
    """What an interpreter needs: status, content type and the complete body (never the URL), and the
    redaction for a message that quotes the body (a proxy or error page may echo the key back)."""

    status_code: int
    content_type: str
    body: bytes
    redact: Callable[[str], str] = field(default=redact_service_key, compare=False, repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class UpstreamHttp:
    """Owns the shared ``httpx.AsyncClient``; usable as an async context manager by several owners.

    The MCP server's lifespan enters it (opening the pool) and exits it (closing it). Entries are
    counted so that several in-process clients, or the HTTP app plus a test, can share one pool. A call
    made outside any ``async with`` opens the pool lazily; ``aclose`` closes it. ``redact`` removes the
    configured secrets from a text, for the messages that quote an upstream answer.
    """

    def __init__(self, settings: Settings, usage: UpstreamUsage | None = None) -> None:
        self._settings = settings
        self.usage = usage or UpstreamUsage()
        # The pool and the semaphore that bounds it live and die together (a semaphore binds to the
        # event loop that first waits on it, so a reopened pool gets a fresh one).
        self._pool: tuple[httpx.AsyncClient, asyncio.Semaphore] | None = None
        self._users = 0
        self.retry = RetryPolicy(settings.UPSTREAM_RETRIES, settings.UPSTREAM_RETRY_BACKOFF_SECONDS)
        self.redact = Redactor(settings.secret_values())

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
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool[0].aclose()

    def _ensure_client(self) -> tuple[httpx.AsyncClient, asyncio.Semaphore]:
        if self._pool is None:
            s = self._settings
            client = httpx.AsyncClient(
                timeout=httpx.Timeout(s.UPSTREAM_TIMEOUT_SECONDS, connect=s.UPSTREAM_CONNECT_TIMEOUT_SECONDS),
                limits=httpx.Limits(
                    max_connections=s.UPSTREAM_MAX_CONNECTIONS,
                    max_keepalive_connections=s.UPSTREAM_MAX_CONNECTIONS,
                ),
                headers={"User-Agent": USER_AGENT, "Accept": "application/xml, application/json, */*"},
                follow_redirects=False,
            )
            self._pool = (client, asyncio.Semaphore(s.UPSTREAM_MAX_CONNECTIONS))
        return self._pool

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

        ``interpret`` raises an ``UpstreamError`` for any unusable answer; only a transient one
        (``RetryPolicy.is_transient``) is tried again, up to ``UPSTREAM_RETRIES`` more times.
        """
        delays = self.retry.delays()
        while True:
            try:
                raw = await self._send(url, params=params, headers=headers, service=service)
                answer = interpret(raw)
            except UpstreamError as exc:
                await self.usage.failed(service, exc)
                delay = next(delays, None) if self.retry.is_transient(exc) else None
                if delay is None:
                    raise
                logger.warning(
                    "%s: transient failure (%s), retry in %.2fs", service, type(exc).__name__, delay
                )
                await asyncio.sleep(delay)
            else:
                await self.usage.answered(service)
                return answer

    async def _send(
        self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str] | None, service: str
    ) -> RawResponse:
        client, semaphore = self._ensure_client()
        started = time.monotonic()
        try:
            async with semaphore:
                response = await client.get(url, params=dict(params), headers=dict(headers or {}))
                body = response.content  # the whole body: it is classified before the status
        except httpx.TimeoutException as exc:
            raise UpstreamTimeoutError(
                f"{service} did not answer within {self._settings.UPSTREAM_TIMEOUT_SECONDS:g} seconds. "
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
        return RawResponse(response.status_code, response.headers.get("content-type", ""), body, self.redact)
