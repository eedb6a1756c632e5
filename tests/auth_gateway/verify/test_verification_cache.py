"""The verification cache: bounded, keyed by a hash, entries gone when the token expires."""

from __future__ import annotations

from auth_gateway.credentials.identity import Identity
from auth_gateway.credentials.secret_keys import token_digest
from auth_gateway.verify.verification_cache import VerificationCache


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def identity(expires_at: float, subject: str = "s") -> Identity:
    return Identity(
        subject=subject, client_id="c", scopes=frozenset(), expires_at=expires_at, source="issuer", kid="k"
    )


def test_hit_until_the_token_expires() -> None:
    clock = Clock()
    cache = VerificationCache(clock=clock)
    digest = token_digest("token-a")
    cache.put(digest, identity(1100))
    assert cache.get(digest) == identity(1100)
    clock.now = 1100
    assert cache.get(digest) is None
    assert len(cache) == 0


def test_already_expired_identity_is_not_stored() -> None:
    cache = VerificationCache(clock=Clock())
    cache.put(token_digest("t"), identity(999))
    assert len(cache) == 0


def test_bounded_and_least_recently_used_goes_first() -> None:
    cache = VerificationCache(max_entries=3, clock=Clock())
    digests = [token_digest(f"token-{n}") for n in range(4)]
    for digest in digests[:3]:
        cache.put(digest, identity(2000))
    assert cache.get(digests[0]) is not None  # touch: now most recently used
    cache.put(digests[3], identity(2000))
    assert len(cache) == 3
    assert cache.get(digests[1]) is None
    assert cache.get(digests[0]) is not None


def test_key_is_a_digest_not_the_token() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.payload.signature"
    digest = token_digest(token)
    assert len(digest) == 32
    assert token.encode() not in digest
