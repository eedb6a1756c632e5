"""./scripts/access: each change printed, each refusal explained with exit status 1, nothing changed
by a refusal; and the command as a process, natively (scripts/access) and as the compose service runs
it (python -m auth_gateway.access_cli)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from auth_gateway.access_cli import main
from auth_gateway.state.access_admin import AccessAdmin as AccessStore

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-enough-password"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def state_path(tmp_path: Path) -> str:
    return str(tmp_path / "oauth.sqlite3")


@pytest.fixture
def run(state_path: str, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(
        *argv: str, passwords: tuple[str, str] = (PASSWORD, PASSWORD), owner: bool = True
    ) -> tuple[int, str, str]:
        env = {"OAUTH_STATE_PATH": state_path, "AUTH_MODE": "oauth"}
        if owner:
            env["OWNER_PASSWORD_HASH"] = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
        status = main(list(argv), env, lambda _stdin: passwords)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def users(state_path: str) -> dict[str, bool]:
    store = AccessStore(state_path)
    try:
        return {user.name: user.blocked for user in store.users() if user.password_hash is not None}
    finally:
        store.close()


def test_add_block_unblock_password_remove_print_what_changed(run: Run, state_path: str) -> None:
    assert run("user", "add", "Alice")[:2] == (
        0,
        "added alice: they sign in at the login page with the name alice and this password\n",
    )
    status, out, _ = run("user", "block", "alice")
    assert status == 0
    assert out.startswith("blocked alice: sign-ins refused, every session ended at once")
    assert users(state_path) == {"alice": True}
    assert run("user", "unblock", "alice")[1] == "unblocked alice: they may sign in again\n"
    assert run("user", "password", "alice")[1].startswith("changed the password of alice")
    assert run("user", "remove", "alice")[1].startswith("removed alice")
    assert users(state_path) == {}


def test_status_shows_mode_door_users_and_sessions(run: Run) -> None:
    run("user", "add", "alice")
    run("user", "block", "alice")
    run("close")

    status, out, _ = run("status")

    assert status == 0
    lines = out.splitlines()
    assert "mode: AUTH_MODE=oauth" in lines
    assert "login page: on (OWNER_PASSWORD_HASH is set)" in lines
    assert "door: closed (./scripts/access open)" in lines
    assert "users: 2" in lines
    assert any(line.split()[:3] == ["owner", "active", "from"] for line in lines)
    assert any(line.split()[:2] == ["alice", "blocked"] for line in lines)
    assert "sessions: 0" in lines


def test_close_and_open_print_the_door(run: Run) -> None:
    status, out, _ = run("close", "--revoke-all")
    assert status == 0
    assert out.splitlines()[0].startswith("closed: new sign-ins and registrations are refused")
    assert out.splitlines()[1].startswith("revoked every session")
    assert run("open")[1] == "open: new sign-ins and registrations are accepted\n"


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
    before = AccessStore(state_path)
    hash_before = before.password_hash("alice")
    before.close()

    status, out, err = run(*argv, passwords=passwords)

    assert status == 1
    assert out == ""
    assert err.startswith("access: ")
    assert message in err
    assert users(state_path) == {"alice": False}
    after = AccessStore(state_path)
    assert after.password_hash("alice") == hash_before
    after.close()


def test_a_malformed_command_is_a_usage_error_with_status_2(
    run: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run("revoke")

    assert exited.value.code == 2
    assert "one of the arguments session --user --client --all is required" in capsys.readouterr().err


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
    store = AccessStore(state_path)
    phc = store.password_hash("alice")
    store.close()

    assert phc is not None
    assert phc.startswith("$argon2id$")
    assert PasswordHasher().verify(phc, PASSWORD)
    assert PASSWORD.encode() not in Path(state_path).read_bytes()
    assert oct(Path(state_path).stat().st_mode & 0o777) == "0o600"


def process(argv: list[str], state_path: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "OAUTH_STATE_PATH": state_path,
        "AUTH_MODE": "oauth",
        "PYTHONPATH": str(REPO),
    }
    return subprocess.run(
        argv, input=stdin, capture_output=True, text=True, env=env, cwd=REPO, timeout=60, check=False
    )


def test_the_script_reads_the_password_from_stdin_and_refuses_without_a_terminal(state_path: str) -> None:
    script = [sys.executable, str(REPO / "scripts" / "access")]

    added = process([*script, "user", "add", "alice", "--password-stdin"], state_path, PASSWORD + "\n")
    no_terminal = process([*script, "user", "add", "bob"], state_path)
    listed = process([sys.executable, "-m", "auth_gateway.access_cli", "status"], state_path)

    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added alice")
    assert no_terminal.returncode == 1
    assert "no terminal to type the password on: pipe it in with --password-stdin" in no_terminal.stderr
    assert "alice" in listed.stdout
    assert "bob" not in listed.stdout
    assert PASSWORD not in added.stdout + added.stderr + listed.stdout


def test_a_missing_state_directory_is_one_clear_line(tmp_path: Path) -> None:
    result = process(
        [sys.executable, "-m", "auth_gateway.access_cli", "status"], str(tmp_path / "nowhere" / "x.sqlite3")
    )

    assert result.returncode == 1
    assert "OAUTH_STATE_PATH: the directory" in result.stderr
    assert "Traceback" not in result.stderr
