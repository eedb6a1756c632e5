"""How ./scripts/auth0-setup meets the Management API's refusals: rate limits, a failed read, rejected
credentials and a missing permission.

A tenant shared with other tools answers 429 and the odd 5xx; the command must wait those out within
bounds (auth0_admin/management.py) and otherwise stop with exit 2 and words an operator can act on,
never a traceback. The wait arithmetic alone is in test_management.py; here the whole command runs.
"""

from __future__ import annotations

import pytest

from tests.auth0_admin.setup_support import READS, Run, reads
from tests.support.fake_auth0_management.api import FakeManagementApi


def test_a_missing_management_permission_is_named(setup: Run, fake: FakeManagementApi) -> None:
    fake.granted_scopes.discard("update:tenant_settings")

    result = setup("--apply")

    assert result.code == 2
    assert "lacks the Management API permission update:tenant_settings" in result.err
    assert "Traceback" not in result.err


def test_a_rate_limit_is_waited_out_until_x_ratelimit_reset(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(1, reset_in=1)

    result = setup()

    assert result.code == 0, result.err
    first, retry = fake.requests[0], fake.requests[1]
    assert (first.method, first.path) == (retry.method, retry.path) == ("GET", "/api/v2/tenants/settings")
    assert retry.at >= fake.rate_limit_resets[0]  # not before the epoch second X-RateLimit-Reset names
    assert reads(fake)[1:] == READS


def test_a_rate_limit_with_only_retry_after_is_waited_out_too(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(1, retry_after=1)

    result = setup()

    assert result.code == 0, result.err
    first, retry = fake.requests[0], fake.requests[1]
    assert retry.at - first.at >= 1.0  # not before Retry-After


def test_a_rate_limit_that_does_not_end_stops_the_command(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(4, reset_in=1)

    result = setup()

    assert result.code == 2
    assert "429 (rate limit)" in result.err
    assert len(fake.requests) == 4  # the first try and three bounded retries


def test_a_failed_read_is_repeated(setup: Run, fake: FakeManagementApi) -> None:
    fake.fail_next("GET", "/api/v2/tenants/settings", status=503)

    result = setup()

    assert result.code == 0, result.err
    assert reads(fake) == [READS[0], *READS]


def test_the_token_request_waits_out_a_rate_limit(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit_token(2, reset_in=1)

    result = setup()

    assert result.code == 0, result.err
    assert len(fake.token_requests) == 3
    assert reads(fake) == READS


def test_a_token_rate_limit_that_does_not_end_stops_the_command(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit_token(4, reset_in=1)

    result = setup()

    assert result.code == 2
    assert "429 (rate limit) to the token request after 3 waits" in result.err
    assert len(fake.token_requests) == 4
    assert fake.requests == []


def test_rejected_credentials_say_what_to_check(
    setup: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_MGMT_CLIENT_SECRET", "wrong")

    result = setup()

    assert result.code == 2
    assert "Check AUTH0_MGMT_CLIENT_ID / AUTH0_MGMT_CLIENT_SECRET" in result.err
    assert fake.requests == []
