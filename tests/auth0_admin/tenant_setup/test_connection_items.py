"""The login connection's items (auth0_admin/tenant_setup/connection_items.py): a missing connection, and
that no set of connection permissions ever loses an option or the login button's label.

Auth0 replaces a connection's `options` whole and resets `display_name` when a PATCH leaves it out, so a
sign-ups change sent without reading the options first would wipe an operator's password policy. Every
subset of the four connection permissions is tried; the old permission set must leave sign-ups UNKNOWN
and change nothing there, and granting the new scopes must then converge.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from auth0_admin.tenant_setup.fixes import FIXES, UNKNOWN_FIXES
from tests.auth0_admin.conftest import DISPLAY_NAME, OPTIONS
from tests.auth0_admin.setup_support import (
    CONNECTION_SCOPES,
    OPTIONS_SCOPES,
    Run,
    db_connection,
    plan_lines,
    verdicts,
)
from tests.support.fake_auth0_management.api import FakeManagementApi
from tests.support.fake_auth0_management.credentials import ALL_SCOPES


def test_a_missing_connection_fails_with_its_fix(setup: Run, fake: FakeManagementApi) -> None:
    result = setup("--apply", "--connection", "no-such-connection")

    assert result.code == 1
    assert verdicts(result)["connection-domain-level"] == "FAIL"
    assert verdicts(result)["connection-signups"] == "FAIL"
    assert verdicts(result)["application-connections"] == "FAIL"
    assert plan_lines(result)["application-connections"] == "FAIL"
    assert f"      -> {FIXES['connection-domain-level']}" in result.lines
    assert not any(path.startswith("/api/v2/connections/") for _, path, _ in fake.changes())


def test_the_old_permission_set_leaves_sign_ups_unknown_then_the_new_scopes_converge(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.granted_scopes = set(ALL_SCOPES) - OPTIONS_SCOPES

    first = setup("--apply")

    assert first.code == 1
    assert verdicts(first)["connection-signups"] == "UNKNOWN"
    assert plan_lines(first)["connection-signups"] == "UNKNOWN"
    assert f"      -> {UNKNOWN_FIXES['connection-signups']}" in first.lines
    assert first.lines[-1] == "1 item(s) UNKNOWN (nothing was changed there): see the fixes above"
    assert not any("options" in (body or {}) for _, _, body in fake.changes())
    assert db_connection(fake)["options"] == OPTIONS
    assert db_connection(fake)["display_name"] == DISPLAY_NAME
    assert {v for k, v in verdicts(first).items() if k != "connection-signups"} <= {"PASS", "N/A"}

    fake.granted_scopes = set(ALL_SCOPES)
    second = setup("--apply")

    assert second.code == 0, second.out
    assert fake.changes() == [
        (
            "PATCH",
            "/api/v2/connections/con_db",
            {"options": {**OPTIONS, "disable_signup": True}, "display_name": DISPLAY_NAME},
        )
    ]
    assert db_connection(fake)["options"] == {**OPTIONS, "disable_signup": True}
    assert db_connection(fake)["display_name"] == DISPLAY_NAME
    assert setup("--apply").lines[-1] == "all items PASS"
    assert fake.changes() == []


@pytest.mark.parametrize(
    "lacking",
    [frozenset(c) for n in range(len(CONNECTION_SCOPES) + 1) for c in combinations(CONNECTION_SCOPES, n)],
    ids=lambda lacking: "+".join(sorted(lacking)) or "all",
)
def test_no_permission_set_loses_an_option_or_the_display_name(
    setup: Run, fake: FakeManagementApi, lacking: frozenset[str]
) -> None:
    """Every subset of the four connection permissions (the others all granted), with a sign-ups change
    planned: whatever the run does or refuses, every option and the label stay as they were."""
    fake.granted_scopes = set(ALL_SCOPES) - lacking

    result = setup("--apply")

    assert "Traceback" not in result.err
    options = db_connection(fake)["options"]
    assert {k: v for k, v in options.items() if k != "disable_signup"} == {
        k: v for k, v in OPTIONS.items() if k != "disable_signup"
    }
    assert db_connection(fake)["display_name"] == DISPLAY_NAME
    if "update:connections_options" in lacking and "read:connections_options" not in lacking:
        assert result.code == 2  # refused before the first change, naming both options scopes
        assert "read:connections_options and update:connections_options" in result.err
        assert "Nothing was changed" in result.err
        assert fake.changes() == []


def test_a_missing_connection_permission_names_the_options_scopes_too(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.granted_scopes.discard("update:connections")

    result = setup("--apply")

    assert result.code == 2
    assert "lacks the Management API permission update:connections" in result.err
    assert "need both read:connections_options and update:connections_options" in result.err
    assert "Nothing was changed" in result.err
    assert fake.changes() == []
