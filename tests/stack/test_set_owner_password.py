"""./scripts/set-owner-password: two prompts, the hash into .env (quoted for compose), nothing else.

Run as the operator runs it: the real script, its bash half included, with the password typed on a
pseudo-terminal or piped in.
"""

from __future__ import annotations

import os
import pty
import select
import stat
import subprocess
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from dotenv import dotenv_values

from auth_gateway.credentials.owner_password import MIN_PASSWORD_LENGTH

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "set-owner-password"
PASSWORD = "집에서-쓰는-긴-비밀번호-2026"
EXISTING = """# my settings
AUTH_MODE=oauth
OAUTH_CLIENT_SECRET=abc$def
OWNER_PASSWORD_HASH=
LOG_LEVEL=info
"""


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    path = tmp_path / ".env"
    path.write_text(EXISTING, encoding="utf-8")
    path.chmod(0o600)
    return path


def piped(env_file: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "--env-file", str(env_file)],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def written_hash(env_file: Path) -> str:
    line = next(line for line in env_file.read_text().splitlines() if line.startswith("OWNER_PASSWORD_HASH="))
    value = line.removeprefix("OWNER_PASSWORD_HASH=")
    # Single quotes keep compose and shells off the $ signs.
    assert value.startswith("'$argon2id$")
    assert value.endswith("'")
    return value[1:-1]


def test_writes_a_verifiable_hash_and_keeps_every_other_line_and_the_mode(env_file: Path) -> None:
    result = piped(env_file, f"{PASSWORD}\n{PASSWORD}\n")

    assert result.returncode == 0, result.stderr
    phc = written_hash(env_file)
    assert PasswordHasher().verify(phc, PASSWORD)
    lines = env_file.read_text().splitlines()
    assert [line for line in lines if not line.startswith("OWNER_PASSWORD_HASH=")] == [
        line for line in EXISTING.splitlines() if not line.startswith("OWNER_PASSWORD_HASH=")
    ]
    assert lines.index(f"OWNER_PASSWORD_HASH='{phc}'") == 3  # where the empty one was
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert PASSWORD not in result.stdout + result.stderr
    assert "docker compose up -d" in result.stderr


def test_python_dotenv_reads_the_value_literally(env_file: Path) -> None:
    """./scripts/dev reads .env with python-dotenv; the $ parts must survive it unchanged."""
    piped(env_file, f"{PASSWORD}\n{PASSWORD}\n")

    assert dotenv_values(env_file)["OWNER_PASSWORD_HASH"] == written_hash(env_file)


def test_a_shell_sourcing_env_reads_the_value_literally(env_file: Path) -> None:
    """docs/deployment.md sources .env with `set -a; . ./.env`."""
    piped(env_file, f"{PASSWORD}\n{PASSWORD}\n")

    sourced = subprocess.run(
        ["bash", "-c", 'set -a; . "$1"; printf %s "$OWNER_PASSWORD_HASH"', "-", str(env_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sourced.stdout == written_hash(env_file)


def test_replacing_keeps_one_line_and_appends_when_missing(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("AUTH_MODE=oauth\n", encoding="utf-8")
    env_file.chmod(0o640)

    assert piped(env_file, f"{PASSWORD}\n{PASSWORD}\n").returncode == 0
    first = written_hash(env_file)
    assert piped(env_file, "another-long-password\nanother-long-password\n").returncode == 0

    text = env_file.read_text()
    assert text.count("OWNER_PASSWORD_HASH=") == 1
    assert written_hash(env_file) != first
    assert text.startswith("AUTH_MODE=oauth\n")
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        (f"{PASSWORD}\n{PASSWORD}x\n", "the two passwords differ"),
        ("short-pw\nshort-pw\n", f"shorter than {MIN_PASSWORD_LENGTH} characters"),
        ("", f"shorter than {MIN_PASSWORD_LENGTH} characters"),
    ],
)
def test_refusals_leave_env_unchanged(env_file: Path, stdin: str, expected: str) -> None:
    result = piped(env_file, stdin)

    assert result.returncode == 1
    assert expected in result.stderr
    assert ".env is unchanged" in result.stderr
    assert env_file.read_text() == EXISTING


def test_without_env_it_points_to_init_env(tmp_path: Path) -> None:
    result = piped(tmp_path / ".env", f"{PASSWORD}\n{PASSWORD}\n")

    assert result.returncode == 1
    assert "./scripts/init-env" in result.stderr
    assert not (tmp_path / ".env").exists()


def test_on_a_terminal_it_prompts_twice_without_echo(env_file: Path) -> None:
    main, child = pty.openpty()
    process = subprocess.Popen(
        [str(SCRIPT), "--env-file", str(env_file)], stdin=child, stdout=child, stderr=child, close_fds=True
    )
    os.close(child)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while marker not in seen:
            assert time.monotonic() < deadline, seen
            ready, _, _ = select.select([main], [], [], 1)
            if ready:
                seen += os.read(main, 1024)

    read_until("Owner password / 소유자 비밀번호: ".encode())
    os.write(main, f"{PASSWORD}\n".encode())
    read_until("Again / 다시 입력: ".encode())
    os.write(main, f"{PASSWORD}\n".encode())
    read_until(b"written to")
    assert process.wait(timeout=60) == 0
    os.close(main)

    assert PASSWORD.encode() not in seen  # the terminal never echoed it
    assert PasswordHasher().verify(written_hash(env_file), PASSWORD)
