"""Per-IP limit on failed client authentications at /oauth/token (10 a minute, then 429).

A sliding window of failure times per address; memory is bounded by forgetting the least recently
seen addresses first. While an address is over the limit even correct credentials are refused, so a
guesser cannot tell a hit from a miss.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["FailureRateLimiter"]


class FailureRateLimiter:
    def __init__(
        self,
        max_failures: int = 10,
        window_seconds: float = 60.0,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_failures = max_failures
        self._window = window_seconds
        self._max_addresses = max_addresses
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None when it is not limited."""
        times = self._recent(address)
        if times is None or len(times) < self._max_failures:
            return None
        return max(1, math.ceil(times[0] + self._window - self._clock()))

    def record_failure(self, address: str) -> None:
        times = self._recent(address)
        if times is None:
            times = deque(maxlen=self._max_failures)
            self._failures[address] = times
        times.append(self._clock())
        self._failures.move_to_end(address)
        while len(self._failures) > self._max_addresses:
            self._failures.popitem(last=False)

    def _recent(self, address: str) -> deque[float] | None:
        times = self._failures.get(address)
        if times is None:
            return None
        horizon = self._clock() - self._window
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._failures[address]
            return None
        return times
