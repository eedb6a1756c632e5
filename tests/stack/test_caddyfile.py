"""The Caddyfile loads in every shape the stack uses it: plain local HTTP and a DDNS name with automatic
HTTPS, in both auth modes, with or without an ACME e-mail, and it is kept in `caddy fmt` form.
What it does with requests is proven on a running Caddy in tests/e2e.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CADDY = Path(sys.executable).parent / "caddy"
CADDYFILE = REPO / "Caddyfile"


def caddy(*arguments: str, env: dict[str, str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CADDY), *arguments],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "XDG_DATA_HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def adapt(env: dict[str, str], home: Path) -> dict[str, Any]:
    result = caddy("adapt", "--adapter", "caddyfile", "--config", str(CADDYFILE), env=env, home=home)
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def test_is_in_caddy_fmt_form(tmp_path: Path) -> None:
    result = caddy("fmt", str(CADDYFILE), env={}, home=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout == CADDYFILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "env",
    [
        {"SITE_ADDRESS": "http://localhost:8080", "AUTH_MODE": "none"},
        {
            "SITE_ADDRESS": "mcp.example.ddns.net",
            "AUTH_MODE": "oauth",
            "PUBLIC_BASE_URL": "https://mcp.example.ddns.net",
        },
        {"SITE_ADDRESS": "mcp.example.ddns.net", "CADDY_EMAIL_OPTION": "email owner@example.com"},
        {},
    ],
    ids=["local-http", "ddns-oauth", "ddns-with-email", "nothing-set"],
)
def test_validates(tmp_path: Path, env: dict[str, str]) -> None:
    result = caddy("validate", "--adapter", "caddyfile", "--config", str(CADDYFILE), env=env, home=tmp_path)

    assert result.returncode == 0, result.stderr


def test_defaults_to_plain_http_on_localhost(tmp_path: Path) -> None:
    config = adapt({}, tmp_path)

    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == [":80"]
    assert server["routes"][0]["match"] == [{"host": ["localhost"]}]


def test_a_local_address_never_asks_for_a_certificate(tmp_path: Path) -> None:
    config = adapt({"SITE_ADDRESS": "http://127.0.0.1:18080"}, tmp_path)

    assert config["apps"]["http"]["servers"]["srv0"]["listen"] == [":18080"]
    assert "tls" not in config["apps"]


def test_a_loopback_bind_keeps_a_local_site_off_the_network(tmp_path: Path) -> None:
    env = {
        "SITE_ADDRESS": "http://localhost:8080",
        "CADDY_BIND_OPTION": "default_bind 127.0.0.1",
        "CADDY_FALLBACK_SITE": "http://:8080",  # as scripts/dev derives it
    }

    assert adapt(env, tmp_path)["apps"]["http"]["servers"]["srv0"]["listen"] == ["127.0.0.1:8080"]


@pytest.mark.parametrize(
    ("env", "listen"),
    [
        ({"SITE_ADDRESS": "http://localhost:8080", "CADDY_FALLBACK_SITE": "http://:8080"}, [":8080"]),
        ({"SITE_ADDRESS": "mcp.example.ddns.net"}, [":80"]),  # compose: the default, beside the redirects
    ],
    ids=["local", "ddns"],
)
def test_other_host_names_get_a_404_that_names_the_site_address(
    tmp_path: Path, env: dict[str, str], listen: list[str]
) -> None:
    servers = adapt(env, tmp_path)["apps"]["http"]["servers"].values()

    (server,) = [s for s in servers if s["listen"] == listen]
    catch_all = server["routes"][-1]  # after the site's own host route, if it shares the port
    assert "match" not in catch_all
    text = json.dumps(catch_all)
    assert '"status_code": 404' in text
    assert f"configured for (SITE_ADDRESS): {env['SITE_ADDRESS']}" in text


def test_has_no_admin_endpoint(tmp_path: Path) -> None:
    assert adapt({}, tmp_path)["admin"] == {"disabled": True}
