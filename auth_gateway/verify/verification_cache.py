"""Remember tokens that verified, so a repeated request costs a hash and a dict lookup.

Keyed by SHA-256 of the token (the raw token is never kept), bounded LRU, and an entry is dropped
as soon as its token expires. Only successes are cached: a rejected token is re-checked next time,
so a key rotation can never be hidden by a stale negative entry.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from auth_gateway.credentials.identity import Identity

__all__ = ["VerificationCache"]


class VerificationCache:
    def __init__(self, max_entries: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self._entries: OrderedDict[bytes, Identity] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, digest: bytes) -> Identity | None:
        identity = self._entries.get(digest)
        if identity is None:
            return None
        if identity.expires_at <= self._clock():
            del self._entries[digest]
            return None
        self._entries.move_to_end(digest)
        return identity

    def put(self, digest: bytes, identity: Identity) -> None:
        if identity.expires_at <= self._clock():
            return
        self._entries[digest] = identity
        self._entries.move_to_end(digest)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def discard(self, digest: bytes) -> None:
        self._entries.pop(digest, None)
