"""Attempt limits that a burst cannot outrun: a sliding window per key, and one across all keys.

An attempt takes its slot *before* the slow or sensitive check it guards (an Argon2 verification, a
client-secret comparison, a fetch of a URL someone else chose), and gives it back only when the check
succeeded (`Attempt.succeeded`). So however many requests arrive at once, at most `per_key` checks run
per key per window, and a correct guess inside a burst is refused like the rest once the budget is
spent: a guesser cannot tell a hit from a miss. While a key is over its limit every attempt gets
`RateLimited` with the seconds until the oldest slot leaves the window (429 + Retry-After).

Keys are strings the caller chooses, so one limiter can count per client address and per user name
at once: `admit("address:203.0.113.7", "name:alice")` takes a slot in both windows, and is refused if
either is full. `global_limit` bounds all keys together, so guessing spread over many addresses is
bounded too (at the price that such a flood also makes the owner wait out the window: docs/security.md).

Memory is bounded: the least recently seen keys are forgotten first.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from itertools import count

from auth_gateway.authorization_server.errors import RateLimited

__all__ = ["Attempt", "AttemptLimiter", "address_key", "name_key"]

_GLOBAL = object()  # the key of the window across all keys; no string can collide with it


def address_key(address: str) -> str:
    """The key of a client address (as auth_gateway.web.client_ip resolves it)."""
    return f"address:{address}"


def name_key(name: str) -> str:
    """The key of a user name, so guesses at one account are bounded whatever addresses they use."""
    return f"name:{name}"


class Attempt:
    """One admitted attempt. Call `succeeded()` when the check passed, so it does not count."""

    def __init__(self, limiter: AttemptLimiter, stamp: tuple[float, int], keys: tuple[object, ...]) -> None:
        self._limiter = limiter
        self._stamp = stamp
        self._keys = keys
        self._settled = False

    def succeeded(self) -> None:
        if not self._settled:
            self._settled = True
            self._limiter._refund(self._stamp, self._keys)


class AttemptLimiter:
    def __init__(
        self,
        per_key: int,
        *,
        global_limit: int | None = None,
        window_seconds: float = 60.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_key = per_key
        self.global_limit = global_limit
        self._window = window_seconds
        self._max_keys = max_keys
        self._clock = clock
        self._serial = count()
        self._windows: OrderedDict[object, deque[tuple[float, int]]] = OrderedDict()

    def retry_after(self, *keys: str) -> int | None:
        """Seconds until an attempt for `keys` would be admitted, or None if it would be now."""
        waits = [self._wait(key, self._limit_of(key)) for key in (*keys, _GLOBAL)]
        longest = max((wait for wait in waits if wait is not None), default=None)
        return longest

    def admit(self, *keys: str) -> Attempt:
        """Take a slot for `keys` (and the global window), or raise `RateLimited`. Synchronous: no
        other request can slip in between the check and the taking."""
        retry_after = self.retry_after(*keys)
        if retry_after is not None:
            raise RateLimited(retry_after)
        stamp = (self._clock(), next(self._serial))
        windows: tuple[object, ...] = (*keys, _GLOBAL) if self.global_limit is not None else keys
        for key in windows:
            window = self._windows.get(key)
            if window is None:
                window = self._windows[key] = deque()
            window.append(stamp)
            self._windows.move_to_end(key)
        while len(self._windows) > self._max_keys:
            oldest = next(iter(self._windows))
            if oldest is _GLOBAL:
                self._windows.move_to_end(oldest)
                continue
            del self._windows[oldest]
        return Attempt(self, stamp, windows)

    def _limit_of(self, key: object) -> int | None:
        return self.global_limit if key is _GLOBAL else self.per_key

    def _wait(self, key: object, limit: int | None) -> int | None:
        if limit is None:
            return None
        window = self._windows.get(key)
        if window is None:
            return None
        horizon = self._clock() - self._window
        while window and window[0][0] <= horizon:
            window.popleft()
        if not window:
            del self._windows[key]
            return None
        if len(window) < limit:
            return None
        # The slot that frees up first is the (len - limit + 1)-th oldest.
        freeing = window[len(window) - limit][0]
        return max(1, math.ceil(freeing + self._window - self._clock()))

    def _refund(self, stamp: tuple[float, int], keys: tuple[object, ...]) -> None:
        for key in keys:
            window = self._windows.get(key)
            if window is not None and stamp in window:
                window.remove(stamp)
