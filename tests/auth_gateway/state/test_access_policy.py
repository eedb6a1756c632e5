"""The access policy /verify asks on every request: which tokens no longer stand, and why; and the
policy the gateway's store reads back after the command's changes, from the next look on."""

from __future__ import annotations

from pathlib import Path

import pytest

from auth_gateway.state.access_admin import AccessAdmin
from auth_gateway.state.access_policy import OWNER, Policy, UserState, name_problem
from auth_gateway.state.access_store import AccessStore

POLICY = Policy(
    not_before=100.0,
    users={
        "alice": UserState(blocked=False, not_before=300.0),
        "bob": UserState(blocked=True, not_before=0.0),
    },
    clients={"chatgpt": 200.0},
)


@pytest.mark.parametrize(
    ("subject", "client_id", "issued_at", "user_token", "refusal"),
    [
        ("alice", "claude", 99.0, True, "every session on this server was ended by its owner"),
        ("service", "chatgpt", 150.0, False, "this application's sessions were ended"),
        ("service", "reports", 150.0, False, None),
        ("carol", "claude", 400.0, True, "this user no longer exists on this server"),
        (OWNER, "claude", 400.0, True, None),
        ("bob", "claude", 400.0, True, "this user is blocked on this server; ask its owner"),
        ("alice", "claude", 250.0, True, "this user's sessions were ended by the server's owner"),
        ("alice", "claude", 300.0, True, None),
    ],
)
def test_refusal_names_the_first_rule_a_token_breaks(
    subject: str, client_id: str, issued_at: float, user_token: bool, refusal: str | None
) -> None:
    found = POLICY.refusal(subject=subject, client_id=client_id, issued_at=issued_at, user_token=user_token)

    assert found == refusal if refusal is None else (found is not None and found.startswith(refusal))


def test_names_are_short_lower_case_ascii() -> None:
    assert name_problem("kim.minji") is None
    assert name_problem("Kim") is not None
    assert name_problem("a" * 33) is not None


def test_the_gateway_sees_the_commands_changes_on_its_next_look(tmp_path: Path) -> None:
    path = str(tmp_path / "oauth.sqlite3")
    gateway, command = AccessStore(path), AccessAdmin(path, clock=lambda: 1000.5)
    try:
        assert gateway.policy() == Policy()
        command.add_user("alice", "$argon2id$stand-in")
        command.set_blocked("alice", True)
        command.set_closed(True)
        command.revoke_client("chatgpt")

        policy = gateway.policy()

        assert policy.closed
        assert policy.has_named_users
        assert policy.users["alice"] == UserState(blocked=True, not_before=1000.0)
        assert policy.clients == {"chatgpt": 1000.0}
        assert gateway.policy() is policy  # unchanged file: the same snapshot, no re-read
    finally:
        gateway.close()
        command.close()
