"""OWNER_PASSWORD_HASH: only Argon2id PHC strings start the gateway, and the password check is exact."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher, Type

from auth_gateway.config import load_settings
from auth_gateway.credentials.owner_password import OwnerPassword, phc_problem
from auth_gateway.errors import SettingsError
from tests.auth_gateway.test_main import run_main

PASSWORD = "correct horse battery staple"
HASH = PasswordHasher().hash(PASSWORD)
OAUTH = {
    "AUTH_MODE": "oauth",
    "PUBLIC_BASE_URL": "https://home.example.ddns.net",
    "OAUTH_CLIENT_ID": "mcp-owner",
    "OAUTH_CLIENT_SECRET": "o" * 40,
}


async def test_the_right_password_matches_and_nothing_else_does() -> None:
    owner = OwnerPassword(HASH)

    assert await owner.matches(PASSWORD)
    assert not await owner.matches(PASSWORD + " ")
    assert not await owner.matches(PASSWORD.upper())
    assert not await owner.matches("")
    assert not await owner.matches("x" * 5000)  # never hashed: too long to be a password


def compose_mangled(value: str) -> str:
    """What docker compose makes of an unquoted $argon2id$v=19$... (each $name becomes empty)."""
    return re.sub(r"\$[A-Za-z_][A-Za-z0-9_]*", "", value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (PasswordHasher(type=Type.I).hash("pw"), "another variant"),
        ("$2b$12$abcdefghijklmnopqrstuu", "not an Argon2id hash"),
        ("hunter2", "not an Argon2id hash"),
        (HASH[:30], "malformed"),
        (compose_mangled(HASH), "single quotes"),
    ],
)
def test_phc_problems_say_what_is_wrong(value: str, expected: str) -> None:
    problem = phc_problem(value)

    assert problem is not None
    assert expected in problem


def test_a_real_hash_has_no_problem() -> None:
    assert phc_problem(HASH) is None


def test_a_bad_hash_is_refused_naming_the_variable_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**OAUTH, "OWNER_PASSWORD_HASH": "$2b$12$notargon"}.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    message = str(caught.value)
    assert "OWNER_PASSWORD_HASH" in message
    assert "./scripts/set-owner-password" in message
    assert "notargon" not in message  # the value itself is never echoed


def test_owner_login_needs_the_client_secret_it_signs_with(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_MODE", "oauth")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://home.example.ddns.net")
    monkeypatch.setenv("OWNER_PASSWORD_HASH", HASH)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert "OWNER_PASSWORD_HASH needs OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET" in str(caught.value)


def test_a_good_hash_turns_owner_login_on(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**OAUTH, "OWNER_PASSWORD_HASH": f" {HASH}\n"}.items():
        monkeypatch.setenv(name, value)

    settings = load_settings()

    assert settings.owner_login
    assert settings.OWNER_PASSWORD_HASH is not None
    assert settings.OWNER_PASSWORD_HASH.get_secret_value() == HASH


def test_without_a_hash_or_in_none_mode_owner_login_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in OAUTH.items():
        monkeypatch.setenv(name, value)
    assert not load_settings().owner_login

    monkeypatch.setenv("AUTH_MODE", "none")
    monkeypatch.setenv("OWNER_PASSWORD_HASH", HASH)
    assert not load_settings().owner_login


def test_the_gateway_exits_2_with_the_fix_on_a_bad_hash() -> None:
    result = run_main(**OAUTH, OWNER_PASSWORD_HASH=compose_mangled(HASH))

    assert result.returncode == 2
    assert "OWNER_PASSWORD_HASH" in result.stderr
    assert "single quotes" in result.stderr
    assert "./scripts/set-owner-password" in result.stderr
    assert "Traceback" not in result.stderr
