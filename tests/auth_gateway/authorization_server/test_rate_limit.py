"""The attempt limiter: a slot is taken before the check, given back on success; per key and in all."""

from __future__ import annotations

import pytest

from auth_gateway.authorization_server.errors import RateLimited
from auth_gateway.authorization_server.rate_limit import AttemptLimiter, address_key, name_key


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def refused(limiter: AttemptLimiter, *keys: str) -> int:
    with pytest.raises(RateLimited) as failure:
        limiter.admit(*keys)
    return failure.value.retry_after


def test_ten_attempts_then_refused_until_the_first_leaves_the_window() -> None:
    clock = Clock()
    limiter = AttemptLimiter(10, clock=clock)
    for _ in range(9):
        limiter.admit("203.0.113.1")
        clock.now += 1
    assert limiter.retry_after("203.0.113.1") is None
    limiter.admit("203.0.113.1")
    assert limiter.retry_after("203.0.113.1") == 51  # the first attempt (t=0) leaves the window at t=60
    assert refused(limiter, "203.0.113.1") == 51
    assert limiter.retry_after("203.0.113.2") is None
    clock.now = 60.5
    assert limiter.retry_after("203.0.113.1") is None
    limiter.admit("203.0.113.1")


def test_slots_are_taken_before_any_outcome_so_a_burst_gets_only_the_limit() -> None:
    """Twenty-five attempts admitted before any of them is settled: ten get through."""
    limiter = AttemptLimiter(10, clock=Clock())
    admitted, limited = [], 0
    for _ in range(25):
        try:
            admitted.append(limiter.admit("a"))
        except RateLimited:
            limited += 1
    assert (len(admitted), limited) == (10, 15)
    # A success in the burst (settled after the others were refused) gives its slot back.
    admitted[0].succeeded()
    admitted[0].succeeded()  # twice changes nothing
    limiter.admit("a")
    refused(limiter, "a")


def test_the_global_ceiling_bounds_every_key_together() -> None:
    limiter = AttemptLimiter(10, global_limit=30, clock=Clock())
    for n in range(30):
        limiter.admit(address_key(f"198.51.100.{n}"))
    assert refused(limiter, address_key("203.0.113.9")) == 60
    assert limiter.retry_after(address_key("203.0.113.9")) == 60


def test_an_attempt_can_count_against_an_address_and_a_name_at_once() -> None:
    limiter = AttemptLimiter(3, clock=Clock())
    for n in range(3):  # one name guessed from three addresses
        limiter.admit(address_key(f"198.51.100.{n}"), name_key("alice"))
    refused(limiter, address_key("203.0.113.1"), name_key("alice"))
    limiter.admit(address_key("203.0.113.1"), name_key("bob"))


def test_memory_is_bounded() -> None:
    limiter = AttemptLimiter(10, global_limit=10**6, max_keys=100, clock=Clock())
    for n in range(1000):
        limiter.admit(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter._windows) == 100
