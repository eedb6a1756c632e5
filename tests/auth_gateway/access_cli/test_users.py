"""`user ...`: each change printed, each refusal explained with exit status 1, nothing changed by a
refusal, and only an Argon2id hash of the password in the state file."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from auth_gateway.state.access_admin import AccessAdmin
from tests.auth_gateway.access_cli.conftest import PASSWORD, Run, stored_users


def test_add_block_unblock_password_remove_print_what_changed(run: Run, state_path: str) -> None:
    assert run("user", "add", "Alice")[:2] == (
        0,
        "added alice: they sign in at the login page with the name alice and this password\n",
    )
    status, out, _ = run("user", "block", "alice")
    assert status == 0
    assert out.startswith("blocked alice: sign-ins refused, every session ended at once")
    assert stored_users(state_path) == {"alice": True}
    assert run("user", "unblock", "alice")[1] == "unblocked alice: they may sign in again\n"
    assert run("user", "password", "alice")[1].startswith("changed the password of alice")
    assert run("user", "remove", "alice")[1].startswith("removed alice")
    assert stored_users(state_path) == {}


@pytest.mark.parametrize(
    "argv",
    [
        ("user", "block", "bob"),
        ("user", "unblock", "bob"),
        ("user", "remove", "bob"),
        ("user", "password", "bob"),
        ("revoke", "--user", "bob"),
        ("sessions", "--user", "bob"),
    ],
)
def test_an_unknown_name_is_refused_with_the_known_ones(run: Run, argv: tuple[str, ...]) -> None:
    run("user", "add", "alice")

    status, out, err = run(*argv)

    assert status == 1
    assert out == ""
    assert err == "access: there is no user 'bob'; known users: owner, alice\n"


@pytest.mark.parametrize(
    ("argv", "passwords", "message"),
    [
        (("user", "add", "alice"), (PASSWORD, PASSWORD), "alice already exists; known users: owner, alice"),
        (("user", "add", "bob"), (PASSWORD, PASSWORD + "x"), "the two passwords differ; nothing was changed"),
        (("user", "add", "bob"), ("short", "short"), "the password is too short: use at least 12 characters"),
        (("user", "add", "Bob Smith"), (PASSWORD, PASSWORD), "'bob smith' is not a usable name"),
        (
            ("user", "add", "owner"),
            (PASSWORD, PASSWORD),
            "the owner's password is OWNER_PASSWORD_HASH in .env",
        ),
        (("user", "password", "owner"), (PASSWORD, PASSWORD), "the owner's password is OWNER_PASSWORD_HASH"),
        (("user", "remove", "owner"), (PASSWORD, PASSWORD), "the owner cannot be removed"),
    ],
)
def test_refusals_exit_1_say_why_and_change_nothing(
    run: Run, state_path: str, argv: tuple[str, ...], passwords: tuple[str, str], message: str
) -> None:
    run("user", "add", "alice")
    before = AccessAdmin(state_path)
    hash_before = before.password_hash("alice")
    before.close()

    status, out, err = run(*argv, passwords=passwords)

    assert status == 1
    assert out == ""
    assert err.startswith("access: ")
    assert message in err
    assert stored_users(state_path) == {"alice": False}
    after = AccessAdmin(state_path)
    assert after.password_hash("alice") == hash_before
    after.close()


def test_without_owner_login_the_owner_is_not_a_known_user_and_add_says_the_page_is_off(run: Run) -> None:
    status, out, _ = run("user", "add", "alice", owner=False)
    assert status == 0
    assert "the login page is off: set OWNER_PASSWORD_HASH" in out
    assert (
        run("user", "block", "owner", owner=False)[2]
        == "access: there is no user 'owner'; known users: alice\n"
    )


def test_the_hash_is_argon2id_and_the_password_is_nowhere_in_the_file(run: Run, state_path: str) -> None:
    run("user", "add", "alice")
    store = AccessAdmin(state_path)
    phc = store.password_hash("alice")
    store.close()

    assert phc is not None
    assert phc.startswith("$argon2id$")
    assert PasswordHasher().verify(phc, PASSWORD)
    assert PASSWORD.encode() not in Path(state_path).read_bytes()
    assert oct(Path(state_path).stat().st_mode & 0o777) == "0o600"
