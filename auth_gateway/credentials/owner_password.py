"""The owner's password, kept only as an Argon2id hash (OWNER_PASSWORD_HASH), checked with argon2-cffi.

argon2-cffi is the reference binding of the Password Hashing Competition winner; its `verify` runs in
time that does not depend on how much of a guess was right. Verification is deliberately slow and
memory-hard (64 MiB with the library defaults), so it runs in a worker thread, at most
`MAX_CONCURRENT_VERIFICATIONS` at a time, and never blocks the event loop that answers /verify.
"""

from __future__ import annotations

import anyio
from anyio.to_thread import run_sync
from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["MIN_PASSWORD_LENGTH", "OwnerPassword", "phc_problem"]

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_BYTES = 1024  # a longer "password" is an attempt to make us hash megabytes
MAX_CONCURRENT_VERIFICATIONS = 2
PHC_PREFIX = "$argon2id$"


def phc_problem(value: str) -> str | None:
    """Why `value` is not an Argon2id PHC string we can verify against, or None when it is one."""
    if not value.startswith(PHC_PREFIX):
        if value.startswith("$argon2"):
            return "is an Argon2 hash of another variant; only Argon2id is accepted"
        if "=19" in value and ",t=" in value:
            # `$argon2id$v=19$m=...` unquoted in .env: compose and shells replace each $name with "".
            return (
                "looks like a hash whose $... parts were replaced by empty values: write it in single "
                "quotes in .env (./scripts/set-owner-password does)"
            )
        return "is not an Argon2id hash ($argon2id$v=19$...)"
    try:
        parameters = extract_parameters(value)
    except (InvalidHashError, ValueError):
        return "is a malformed Argon2id hash (cut short or edited?)"
    if parameters.type is not Type.ID:
        return "is not an Argon2id hash"
    return None


class OwnerPassword:
    """Checks a typed password against the configured hash."""

    def __init__(self, phc_hash: str) -> None:
        self._hash = phc_hash
        self._hasher = PasswordHasher()
        self._slots = anyio.CapacityLimiter(MAX_CONCURRENT_VERIFICATIONS)

    async def matches(self, password: str, phc_hash: str | None = None) -> bool:
        """Whether `password` is the owner's, or (`phc_hash`) the one of another user; both share the
        worker slots, so the users' sign-ins cannot starve the owner's beyond them."""
        candidate = password.encode("utf-8", errors="surrogatepass")
        if not candidate or len(candidate) > MAX_PASSWORD_BYTES:
            return False
        return await run_sync(self._verify, phc_hash or self._hash, candidate, limiter=self._slots)

    def _verify(self, phc_hash: str, candidate: bytes) -> bool:
        try:
            return self._hasher.verify(phc_hash, candidate)
        except (VerificationError, InvalidHashError):
            return False
