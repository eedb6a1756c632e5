"""./scripts/init-env: a first .env with fresh, gateway-acceptable credentials; never an overwrite."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from dotenv import dotenv_values

from auth_gateway.config import GatewaySettings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the two files the script needs, laid out as in the repository."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "init-env", tmp_path / "scripts" / "init-env")
    shutil.copy2(REPO / ".env.example", tmp_path / ".env.example")
    return tmp_path


def init_env(checkout: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(checkout / "scripts" / "init-env")],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ["PATH"]},
    )


def test_creates_env_from_the_example_with_new_credentials(checkout: Path) -> None:
    result = init_env(checkout)

    assert result.returncode == 0, result.stderr
    example, created = dotenv_values(checkout / ".env.example"), dotenv_values(checkout / ".env")
    assert set(created) == set(example)
    changed = {key for key in example if created[key] != example[key]}
    assert changed == {"OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET"}
    assert re.fullmatch(r"[0-9a-f]{64}", created["OAUTH_CLIENT_SECRET"] or "")
    assert stat.S_IMODE((checkout / ".env").stat().st_mode) == 0o600


def test_the_gateway_accepts_the_generated_credentials(checkout: Path) -> None:
    init_env(checkout)
    created = {key: value for key, value in dotenv_values(checkout / ".env").items() if value}

    settings = GatewaySettings(  # type: ignore[call-arg]
        **{**created, "AUTH_MODE": "oauth", "PUBLIC_BASE_URL": "https://mcp.example.ddns.net"}
    )

    assert settings.has_client_credentials


def test_every_run_makes_different_credentials(
    checkout: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(checkout, other, dirs_exist_ok=True)

    init_env(checkout)
    init_env(other)

    first, second = dotenv_values(checkout / ".env"), dotenv_values(other / ".env")
    assert first["OAUTH_CLIENT_ID"] != second["OAUTH_CLIENT_ID"]
    assert first["OAUTH_CLIENT_SECRET"] != second["OAUTH_CLIENT_SECRET"]


def test_never_overwrites_an_existing_env(checkout: Path) -> None:
    (checkout / ".env").write_text("OAUTH_CLIENT_SECRET=the-one-my-clients-use\n", encoding="utf-8")

    result = init_env(checkout)

    assert result.returncode == 0
    assert "already exists" in result.stderr
    assert (checkout / ".env").read_text(encoding="utf-8") == "OAUTH_CLIENT_SECRET=the-one-my-clients-use\n"
