"""`status`, `close` and `open`: what the operator sees of the server as a whole."""

from __future__ import annotations

from tests.auth_gateway.access_cli.conftest import Run


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


def test_status_without_tokens_or_login_page_says_what_to_set(run: Run) -> None:
    status, out, _ = run("status", owner=False, mode="none")

    assert status == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "mode: AUTH_MODE=none (no tokens are required, so none of this applies until AUTH_MODE=oauth)"
    )
    assert lines[1].startswith("login page: off: set OWNER_PASSWORD_HASH (./scripts/set-owner-password)")
    assert "door: open" in lines
    assert "users: 0" in lines


def test_close_and_open_print_the_door(run: Run) -> None:
    status, out, _ = run("close", "--revoke-all")
    assert status == 0
    assert out.splitlines()[0].startswith("closed: new sign-ins and registrations are refused")
    assert out.splitlines()[1].startswith("revoked every session")
    assert run("open")[1] == "open: new sign-ins and registrations are accepted\n"
    assert "door: open" in run("status")[1].splitlines()
