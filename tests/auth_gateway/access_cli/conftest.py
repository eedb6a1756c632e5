"""./scripts/access run in-process against a fresh state file, and what the file holds afterwards."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from auth_gateway.access_cli import main
from auth_gateway.state.access_admin import AccessAdmin

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "a-long-enough-password"
OWNER_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def state_path(tmp_path: Path) -> str:
    return str(tmp_path / "oauth.sqlite3")


@pytest.fixture
def run(state_path: str, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(
        *argv: str, passwords: tuple[str, str] = (PASSWORD, PASSWORD), owner: bool = True, mode: str = "oauth"
    ) -> tuple[int, str, str]:
        env = {"OAUTH_STATE_PATH": state_path, "AUTH_MODE": mode}
        if owner:
            env["OWNER_PASSWORD_HASH"] = OWNER_HASH
        status = main(list(argv), env, lambda _stdin: passwords)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def stored_users(state_path: str) -> dict[str, bool]:
    """Users with a password in the file, and whether each is blocked."""
    store = AccessAdmin(state_path)
    try:
        return {user.name: user.blocked for user in store.users() if user.password_hash is not None}
    finally:
        store.close()


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
