"""Creating the API and the grant once (auth0_admin/tenant_setup/find_or_create.py), whatever Auth0 answers.

A POST can fail after Auth0 made the object (409, 500, 503) or before (a 429, a 5xx that did nothing).
Sending a create again in the first case would leave two APIs or grants; not sending it in the second
would leave none. These tests pin which is which, and that a rerun always converges.
"""

from __future__ import annotations

import pytest

from tests.auth0_admin.conftest import IDENTIFIER
from tests.auth0_admin.setup_support import Run
from tests.support.fake_auth0_management.api import FakeManagementApi


def test_a_rate_limited_change_is_retried_once_it_is_allowed(setup: Run, fake: FakeManagementApi) -> None:
    """A 429 means Auth0 did nothing, so even a create may be sent again after the wait."""
    fake.fail_next("POST", "/api/v2/resource-servers", status=429)

    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    posts = [c for c in fake.changes() if c[:2] == ("POST", "/api/v2/resource-servers")]
    assert len(posts) == 2
    assert [rs["identifier"] for rs in fake.resource_servers].count(IDENTIFIER) == 1


@pytest.mark.parametrize("status", [409, 500, 503])
def test_a_create_answered_with_an_error_after_it_happened_is_not_sent_again(
    setup: Run, fake: FakeManagementApi, status: int
) -> None:
    fake.fail_next("POST", "/api/v2/resource-servers", status=status, after_change=True)
    fake.fail_next("POST", "/api/v2/client-grants", status=status, after_change=True)

    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    posts = [(m, p) for m, p, _ in fake.changes() if m == "POST"]
    assert posts == [("POST", "/api/v2/resource-servers"), ("POST", "/api/v2/client-grants")]
    assert (
        f"        Auth0 answered {status} to creating the API {IDENTIFIER}, which exists: continuing with it"
        in result.lines
    )
    assert [rs["identifier"] for rs in fake.resource_servers].count(IDENTIFIER) == 1
    assert len(fake.client_grants) == 1
    assert result.lines[-1] == "all items PASS"
    assert setup("--apply").lines[-1] == "all items PASS"
    assert fake.changes() == []


def test_a_5xx_on_a_create_that_did_not_happen_stops_and_a_rerun_converges(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.fail_next("POST", "/api/v2/client-grants", status=503, after_change=False)

    first = setup("--apply")

    assert first.code == 2
    assert (
        "Auth0 answered 503 to creating the third-party applications' grant, and reading again does not "
        "find it" in first.err
    )
    assert [c[:2] for c in fake.changes()] == [
        ("POST", "/api/v2/resource-servers"),
        ("POST", "/api/v2/client-grants"),
    ]
    assert fake.client_grants == []

    second = setup("--apply")

    assert second.code == 0, second.out + second.err
    assert [rs["identifier"] for rs in fake.resource_servers].count(IDENTIFIER) == 1
    assert len(fake.client_grants) == 1
    assert setup().lines[-1] == "nothing to change"
