"""The command as a process, natively (scripts/access) and as the compose service runs it
(python -m auth_gateway.access_cli): usage errors, passwords from stdin, a missing state directory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.auth_gateway.access_cli.conftest import PASSWORD, REPO, Run, process


def test_a_malformed_command_is_a_usage_error_with_status_2(
    run: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run("revoke")

    assert exited.value.code == 2
    assert "one of the arguments session --user --client --all is required" in capsys.readouterr().err


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
