"""The failed-authentication limiter: a sliding minute per address, bounded memory."""

from __future__ import annotations

from auth_gateway.rate_limit import FailureRateLimiter


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_limit_after_ten_failures_and_release_after_the_window() -> None:
    clock = Clock()
    limiter = FailureRateLimiter(clock=clock)
    for _ in range(9):
        limiter.record_failure("203.0.113.1")
        clock.now += 1
    assert limiter.retry_after("203.0.113.1") is None
    limiter.record_failure("203.0.113.1")
    assert limiter.retry_after("203.0.113.1") == 51  # the first failure (t=0) leaves the window at t=60
    assert limiter.retry_after("203.0.113.2") is None
    clock.now = 60.5
    assert limiter.retry_after("203.0.113.1") is None


def test_memory_is_bounded() -> None:
    limiter = FailureRateLimiter(max_addresses=100, clock=Clock())
    for n in range(1000):
        limiter.record_failure(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter._failures) == 100
