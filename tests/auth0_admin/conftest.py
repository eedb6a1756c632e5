"""The operator commands run in-process against the fake Management API (tests/support), with the
environment they would read from .env set explicitly, so a developer's own .env never leaks in."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from auth0_admin import access_cli, setup_cli
from tests.support.fake_auth0_management.api import FakeManagementApi
from tests.support.fake_auth0_management.credentials import CLIENT_ID, CLIENT_SECRET, DOMAIN, TOKEN

REPO = Path(__file__).resolve().parents[2]
CONNECTION = "Username-Password-Authentication"
DISPLAY_NAME = "Friends and family"  # the login button's label, which a PATCH must not reset
PUBLIC_BASE_URL = "https://mcp.example.net"
IDENTIFIER = f"{PUBLIC_BASE_URL}/mcp"
# A database connection's options as an operator leaves them: what a PATCH of `options` replaces whole.
OPTIONS: dict[str, object] = {
    "disable_signup": False,
    "passwordPolicy": "good",
    "password_history": {"enable": True, "size": 5},
    "password_complexity_options": {"min_length": 12},
    "password_dictionary": {"enable": True, "dictionary": ["hunter2"]},
    "password_no_personal_info": {"enable": True},
    "brute_force_protection": True,
    "mfa": {"active": True, "return_enroll_settings": True},
    "enabledDatabaseCustomization": True,
    "customScripts": {"login": "function login(email, password, callback) { callback(null); }"},
    "import_mode": False,
    "requires_username": False,
}


def section(heading: str) -> str:
    """docs/deployment.md from `heading` to the next heading of any level."""
    guide = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    return guide.split(heading, 1)[1].split("\n#", 1)[0]


def documented_permissions(command: str) -> set[str]:
    """The Management API permissions the guide's table lists for `command`."""
    table = section("### Auth0 by command")
    row = re.search(rf"^ *\| `{re.escape(command)}` \| (.+) \|$", table, re.M)
    assert row is not None, command
    return set(re.findall(r"`([a-z_]+:[a-z_]+)`", row.group(1)))


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeManagementApi]:
    with FakeManagementApi() as api:
        api.connections = [
            {"id": "con_google", "name": "google-oauth2", "strategy": "google-oauth2", "options": {}},
            {
                "id": "con_db",
                "name": CONNECTION,
                "display_name": DISPLAY_NAME,
                "strategy": "auth0",
                "is_domain_connection": False,
                "options": copy.deepcopy(OPTIONS),
            },
        ]
        environment = {
            "AUTH0_DOMAIN": DOMAIN,
            "AUTH0_MGMT_CLIENT_ID": CLIENT_ID,
            "AUTH0_MGMT_CLIENT_SECRET": CLIENT_SECRET,
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "OAUTH_SCOPES": "",
            "AUTH0_MGMT_BASE_URL": api.base_url,
        }
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AUTH0_AUDIENCE", raising=False)
        yield api


def _runner(
    main: Callable[[list[str]], int], capsys: pytest.CaptureFixture[str], fake: FakeManagementApi
) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        fake.reset_log()
        code = main([*args, "--env-file", "/nonexistent/.env"])
        captured = capsys.readouterr()
        for secret in (CLIENT_SECRET, TOKEN):
            assert secret not in captured.out + captured.err
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def setup(capsys: pytest.CaptureFixture[str], fake: FakeManagementApi) -> Callable[..., Result]:
    """./scripts/auth0-setup ARGS, in-process; the fake's request log starts empty for each run."""
    return _runner(setup_cli.main, capsys, fake)


@pytest.fixture
def access(capsys: pytest.CaptureFixture[str], fake: FakeManagementApi) -> Callable[..., Result]:
    """./scripts/auth0-access ARGS, in-process."""
    return _runner(access_cli.main, capsys, fake)
