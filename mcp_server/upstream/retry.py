"""The one retry policy for upstream calls: which failures are tried again, and how long to wait.

Only ``UpstreamUnavailableError`` (5xx, connection errors, time-outs, provider codes 01/02/04/05/99) is
transient; key, quota and request errors would fail the same way again and spend quota doing so. The
wait doubles per attempt with up to 50 % jitter, so concurrent page requests do not retry in step.
``UpstreamHttp`` (async) and ``scripts/region_codes/stanregincd.py`` (the sync region-code update)
both follow it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from mcp_server.errors import UpstreamUnavailableError

__all__ = ["RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 2
    backoff_seconds: float = 0.5

    @staticmethod
    def is_transient(exc: BaseException) -> bool:
        return isinstance(exc, UpstreamUnavailableError)

    def delays(self) -> Iterator[float]:
        """The wait before each retry; as many as ``retries``."""
        for attempt in range(1, self.retries + 1):
            jitter = 1 + random.random() / 2  # noqa: S311 - jitter only
            yield float(self.backoff_seconds * (2 ** (attempt - 1)) * jitter)
