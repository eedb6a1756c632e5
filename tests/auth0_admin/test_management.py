"""How long a 429 is waited out: Auth0's X-RateLimit-Reset first, Retry-After otherwise, never forever."""

from __future__ import annotations

import pytest

from auth0_admin.management import MAX_WAIT, rate_limit_wait

NOW = 1_800_000_000.25


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"X-RateLimit-Reset": str(int(NOW) + 3)}, 2.75),  # epoch seconds, as Auth0 documents it
        ({"x-ratelimit-reset": str(int(NOW) + 3), "Retry-After": "30"}, 2.75),  # Auth0's header wins
        ({"X-RateLimit-Reset": str(int(NOW) - 5)}, 0.0),  # already past
        ({"Retry-After": "7"}, 7.0),
        ({"X-RateLimit-Reset": str(int(NOW) + 3600)}, MAX_WAIT),
        ({"Retry-After": "3600"}, MAX_WAIT),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 1.0),  # unparsable: a short default
        ({}, 1.0),
    ],
)
def test_the_wait_after_a_rate_limit(headers: dict[str, str], seconds: float) -> None:
    assert rate_limit_wait(headers, NOW) == pytest.approx(seconds)
