"""./scripts/auth0-access against the fake Management API: the exact requests of each command, that
nothing changes without --yes or a "y", and that running a command twice changes nothing the second time."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from tests.auth0_admin.conftest import CONNECTION, Result, documented_permissions
from tests.support.fake_auth0_management.api import FakeManagementApi

Run = Callable[..., Result]
OLD = "2025-01-01T00:00:00.000Z"
FUTURE = "2099-01-01T00:00:00.000Z"
# How Auth0 marks a client that registered itself (Management API reference, Client).
DCR = {"external_metadata_type": "dcr", "external_metadata_created_by": "client"}


def test_status_pages_through_users_and_applications(access: Run, fake: FakeManagementApi) -> None:
    for number in range(5):
        fake.add_user(f"user{number}@example.com", CONNECTION, blocked=number == 3)
    fake.clients = [
        {"client_id": "tpc_chatgpt", "name": "ChatGPT", "is_first_party": False, "created_at": OLD, **DCR},
        {"client_id": "tpc_partner", "name": "Partner", "is_first_party": False, "created_at": OLD},
        {"client_id": "m2m", "name": "ops", "is_first_party": True, "created_at": OLD},
        {"client_id": "all", "name": "All Applications", "is_first_party": False, "global": True},
    ]

    result = access("status")

    assert result.code == 0
    assert result.lines[0] == "dynamic client registration: off"
    assert "users (5):" in result.lines
    assert [line.split()[:2] for line in result.lines[2:7]] == [
        [f"user{n}@example.com", "BLOCKED" if n == 3 else "active"] for n in range(5)
    ]
    assert result.lines[-3:] == [
        "third-party applications (2):",
        f"  {'ChatGPT':<36} {'tpc_chatgpt':<40} created 2025-01-01: registered itself (dynamic client "
        "registration)",
        f"  {'Partner':<36} {'tpc_partner':<40} created 2025-01-01: not marked as self-registered: created "
        "in the dashboard or through the Management API, or registered before Auth0 recorded how",
    ]
    user_pages = [r.query["page"] for r in fake.requests if r.path == "/api/v2/users"]
    assert user_pages == ["0", "1", "2", "3"]  # 2 per page on the fake, until an empty page
    assert all(r.query["is_first_party"] == "false" for r in fake.requests if r.path == "/api/v2/clients")
    assert fake.changes() == []


@pytest.mark.parametrize(("command", "enabled"), [("open", True), ("close", False)])
def test_open_and_close_switch_dynamic_client_registration_once(
    access: Run, fake: FakeManagementApi, command: str, enabled: bool
) -> None:
    fake.settings["flags"]["enable_dynamic_client_registration"] = not enabled

    first = access(command, "--yes")
    assert first.code == 0
    assert fake.changes() == [
        ("PATCH", "/api/v2/tenants/settings", {"flags": {"enable_dynamic_client_registration": enabled}})
    ]
    assert first.lines[0] == f"will turn dynamic client registration {'on' if enabled else 'off'}"

    second = access(command, "--yes")
    assert fake.changes() == []
    assert second.lines == ["nothing to change"]


def test_nothing_changes_without_yes_and_without_a_terminal(
    access: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    result = access("open")

    assert fake.changes() == []
    assert result.lines[-1] == "not changed: no terminal to confirm on; rerun with --yes"


@pytest.mark.parametrize(("answer", "changed"), [("y", True), ("n", False), ("", False)])
def test_an_interactive_answer_decides(
    access: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch, answer: str, changed: bool
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)

    access("open")

    assert bool(fake.changes()) is changed


def test_user_add_with_a_password_then_again(
    access: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Correct-Horse-Battery-9\n"))

    first = access("user", "add", "Friend@Example.com", "--password-stdin", "--yes")

    assert first.code == 0, first.err
    first_request = fake.requests[0]
    assert (first_request.method, first_request.path, first_request.query) == (
        "GET",
        "/api/v2/users-by-email",
        {"email": "friend@example.com"},
    )
    assert fake.changes() == [
        (
            "POST",
            "/api/v2/users",
            {"connection": CONNECTION, "email": "friend@example.com", "password": "Correct-Horse-Battery-9"},
        )
    ]
    assert "Correct-Horse-Battery-9" not in first.out + first.err

    second = access("user", "add", "friend@example.com", "--password-stdin", "--yes")
    assert fake.changes() == []
    assert second.lines == [f"nothing to change: friend@example.com already exists on {CONNECTION} (active)"]


def test_user_add_with_an_invitation_prints_the_link(access: Run, fake: FakeManagementApi) -> None:
    result = access("user", "add", "new@example.com", "--invite", "--yes")

    assert result.code == 0
    (create_method, create_path, created), ticket = fake.changes()
    assert (create_method, create_path) == ("POST", "/api/v2/users")
    assert created["connection"] == CONNECTION
    assert created["email"] == "new@example.com"
    assert created["email_verified"] is False
    assert created["verify_email"] is False
    assert len(created["password"]) >= 40  # random, never shown, replaced by the user through the link
    assert ticket == (
        "POST",
        "/api/v2/tickets/password-change",
        {"user_id": fake.users[0]["user_id"], "ttl_sec": 7 * 86400, "mark_email_as_verified": True},
    )
    assert result.lines[-1].startswith("https://tenant.example.auth0.com/lo/reset?ticket=")


@pytest.mark.parametrize(("action", "blocked"), [("block", True), ("unblock", False)])
def test_block_and_unblock_every_account_with_the_email(
    access: Run, fake: FakeManagementApi, action: str, blocked: bool
) -> None:
    database = fake.add_user("friend@example.com", CONNECTION, blocked=not blocked)
    social = fake.add_user("friend@example.com", "google-oauth2", blocked=not blocked)

    first = access("user", action, "friend@example.com", "--yes")

    assert first.code == 0
    assert fake.changes() == [
        ("PATCH", f"/api/v2/users/{database['user_id']}", {"blocked": blocked}),
        ("PATCH", f"/api/v2/users/{social['user_id']}", {"blocked": blocked}),
    ]
    second = access("user", action, "friend@example.com", "--yes")
    assert fake.changes() == []
    assert second.lines == ["nothing to change"]


def test_blocking_an_unknown_email_is_an_error(access: Run, fake: FakeManagementApi) -> None:
    result = access("user", "block", "nobody@example.com", "--yes")

    assert result.code == 1
    assert "no user with the e-mail nobody@example.com" in result.err


def test_apps_prune_deletes_only_applications_unused_for_the_given_days(
    access: Run, fake: FakeManagementApi
) -> None:
    fake.clients = [
        {"client_id": "m2m", "name": "ops", "is_first_party": True, "created_at": OLD},
        {"client_id": "tpc_idle", "name": "Idle", "is_first_party": False, "created_at": OLD, **DCR},
        {"client_id": "tpc_used", "name": "Used", "is_first_party": False, "created_at": OLD, **DCR},
        {"client_id": "tpc_new", "name": "New", "is_first_party": False, "created_at": FUTURE, **DCR},
        {"client_id": "tpc_stale", "name": "Stale", "is_first_party": False, "created_at": OLD, **DCR},
    ]
    fake.logs = [
        {"log_id": "1", "date": FUTURE, "type": "seacft", "client_id": "tpc_used"},
        {"log_id": "2", "date": "2025-02-01T00:00:00.000Z", "type": "seacft", "client_id": "tpc_stale"},
    ]

    first = access("apps", "prune", "--days", "30", "--yes")

    assert first.code == 0, first.err
    assert fake.changes() == [
        ("DELETE", "/api/v2/clients/tpc_idle", None),
        ("DELETE", "/api/v2/clients/tpc_stale", None),
    ]
    assert "will delete Idle (tpc_idle): no use in the tenant's logs, created 2025-01-01" in first.lines
    assert "will delete Stale (tpc_stale): last used 2025-02-01" in first.lines
    log_queries = [r.query for r in fake.requests if r.path == "/api/v2/logs"]
    assert log_queries[0] == {
        "q": 'client_id:"tpc_idle"',
        "sort": "date:-1",
        "page": "0",
        "per_page": "1",
        "include_totals": "true",
    }

    second = access("apps", "prune", "--days", "30", "--yes")
    assert fake.changes() == []
    assert second.lines == ["nothing to change"]


def test_prune_without_the_logs_permission_names_it(access: Run, fake: FakeManagementApi) -> None:
    fake.granted_scopes.discard("read:logs")
    fake.clients = [
        {"client_id": "tpc_idle", "name": "Idle", "is_first_party": False, "created_at": OLD, **DCR}
    ]

    result = access("apps", "prune", "--yes")

    assert result.code == 2
    assert "lacks the Management API permission read:logs" in result.err
    assert fake.changes() == []


MANUAL_APPS = [
    # Made on purpose: a partner's app created in the dashboard (no marker at all), one an administrator
    # added from a metadata document, and one registered before Auth0 recorded the marker.
    {"client_id": "tpc_partner", "name": "Partner portal", "is_first_party": False, "created_at": OLD},
    {
        "client_id": "cimd_admin",
        "name": "Added by URL",
        "is_first_party": False,
        "created_at": OLD,
        "external_metadata_type": "cimd",
        "external_metadata_created_by": "admin",
        "external_client_id": "https://partner.example/client.json",
    },
]
SELF_REGISTERED = [
    {"client_id": "tpc_claude", "name": "Claude", "is_first_party": False, "created_at": OLD, **DCR},
    {
        "client_id": "cimd_self",
        "name": "ChatGPT by URL",
        "is_first_party": False,
        "created_at": OLD,
        "external_metadata_type": "cimd",
        "external_metadata_created_by": "client",
        "external_client_id": "https://chatgpt.com/oauth/x/client.json",
    },
]


def test_prune_keeps_third_party_applications_that_did_not_register_themselves(
    access: Run, fake: FakeManagementApi
) -> None:
    fake.clients = [*MANUAL_APPS, *SELF_REGISTERED]

    result = access("apps", "prune", "--yes")

    assert result.code == 0, result.err
    assert fake.changes() == [
        ("DELETE", "/api/v2/clients/tpc_claude", None),
        ("DELETE", "/api/v2/clients/cimd_self", None),
    ]
    assert (
        "kept Partner portal (tpc_partner): no use in the tenant's logs, created 2025-01-01, but not marked "
        "as self-registered: created in the dashboard or through the Management API, or registered before "
        "Auth0 recorded how; --include-manual deletes it too" in result.lines
    )
    assert (
        "kept Added by URL (cimd_admin): no use in the tenant's logs, created 2025-01-01, but added by an "
        "administrator from its client ID metadata document; --include-manual deletes it too" in result.lines
    )
    assert [c["client_id"] for c in fake.clients] == ["tpc_partner", "cimd_admin"]

    again = access("apps", "prune", "--yes")
    assert fake.changes() == []
    assert again.lines[-1] == "nothing to change"


@pytest.mark.parametrize(("answer", "deleted"), [("y", True), ("n", False)])
def test_include_manual_deletes_the_others_only_after_confirmation(
    access: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch, answer: str, deleted: bool
) -> None:
    fake.clients = list(MANUAL_APPS)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    prompts: list[str] = []

    def answering(prompt: str) -> str:
        prompts.append(prompt)
        return answer

    monkeypatch.setattr("builtins.input", answering)

    result = access("apps", "prune", "--include-manual")

    assert prompts == ["make these changes? [y/N] "]
    assert any(
        line.startswith(
            "will delete Partner portal (tpc_partner): no use in the tenant's logs, created "
            "2025-01-01 [NOT self-registered:"
        )
        for line in result.lines
    )
    expected = [
        ("DELETE", "/api/v2/clients/tpc_partner", None),
        ("DELETE", "/api/v2/clients/cimd_admin", None),
    ]
    assert fake.changes() == (expected if deleted else [])


def test_include_manual_changes_nothing_without_a_terminal(
    access: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.clients = list(MANUAL_APPS)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    result = access("apps", "prune", "--include-manual")

    assert fake.changes() == []
    assert result.lines[-1] == "not changed: no terminal to confirm on; rerun with --yes"


def test_the_documented_permissions_are_enough_for_every_command(
    access: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.granted_scopes = documented_permissions("./scripts/auth0-access")
    fake.clients = [*MANUAL_APPS, *SELF_REGISTERED]
    monkeypatch.setattr("sys.stdin", io.StringIO("Correct-Horse-Battery-9\n"))
    commands = [
        ("status",),
        ("open", "--yes"),
        ("close", "--yes"),
        ("user", "add", "a@example.com", "--password-stdin", "--yes"),
        ("user", "add", "b@example.com", "--invite", "--yes"),
        ("user", "block", "a@example.com", "--yes"),
        ("user", "unblock", "a@example.com", "--yes"),
        ("apps", "prune", "--include-manual", "--yes"),
    ]
    for command in commands:
        result = access(*command)
        assert result.code == 0, (command, result.err)
    assert fake.clients == []
