"""How ./scripts/dev builds the three processes' environment from .env and the shell.

The end-to-end tests run the real runner with a complete environment; this checks the merging rules
themselves against a .env in a temporary checkout: .env fills what the shell leaves unset, the shell
wins, compose-only values are turned into their native equivalents, Caddy's derived option lines
follow SITE_ADDRESS and ACME_EMAIL, and each child is handed exactly the stack variables its code
reads, by the derivation the compose least-privilege test uses (tests/stack/test_service_environment.py).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from tests.stack.test_env_contract import documented
from tests.stack.test_service_environment import reads

REPO = Path(__file__).resolve().parents[2]
CONTRACT = (
    "SITE_ADDRESS", "ACME_EMAIL", "AUTH_MODE", "MCP_PORT", "AUTH_PORT", "MCP_UPSTREAM", "AUTH_UPSTREAM",
    "CACHE_PATH", "LOG_LEVEL", "OAUTH_STATE_PATH", "OWNER_PASSWORD_HASH", "DISCOVERY_DIR",
)  # fmt: skip


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """scripts/dev loaded as a module (its main() is not run), rooted at an empty temporary checkout."""
    loader = importlib.machinery.SourceFileLoader("scripts_dev", str(REPO / "scripts" / "dev"))
    spec = importlib.util.spec_from_loader("scripts_dev", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    for name in CONTRACT:
        monkeypatch.delenv(name, raising=False)
    return module


def write_dotenv(dev: ModuleType, text: str) -> None:
    (dev.ROOT / ".env").write_text(text, encoding="utf-8")


def test_without_env_or_dotenv_it_is_a_local_stack_on_8080(dev: ModuleType) -> None:
    env = dev.environment()

    assert env["SITE_ADDRESS"] == "http://localhost:8080"
    assert (env["MCP_UPSTREAM"], env["AUTH_UPSTREAM"]) == ("127.0.0.1:8000", "127.0.0.1:9000")
    assert env["CADDY_BIND_OPTION"] == "default_bind 127.0.0.1"
    assert env["CADDY_EMAIL_OPTION"] == ""
    assert env["CACHE_PATH"] == str(dev.ROOT / "data" / "cache.sqlite3")
    assert env["OAUTH_STATE_PATH"] == str(dev.ROOT / "data" / "oauth.sqlite3")
    assert "AUTH_MODE" not in env  # the gateway's own default (none) applies


def test_dotenv_fills_in_and_the_shell_wins(dev: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    write_dotenv(dev, "AUTH_MODE=oauth\nLOG_LEVEL=debug\nMCP_PORT=8100\n")
    monkeypatch.setenv("LOG_LEVEL", "warning")

    env = dev.environment()

    assert env["AUTH_MODE"] == "oauth"
    assert env["LOG_LEVEL"] == "warning"
    assert env["MCP_UPSTREAM"] == "127.0.0.1:8100"


OWNER_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


@pytest.mark.parametrize("quote", ["", "'"])
def test_an_argon2_owner_hash_reaches_the_gateway_unchanged_and_caddy_not_at_all(
    dev: ModuleType, quote: str
) -> None:
    """The gateway checks passwords against OWNER_PASSWORD_HASH (its `$`s must survive) and advertises
    registration in the discovery documents it writes; Caddy needs no trace of owner login."""
    write_dotenv(dev, f"OWNER_PASSWORD_HASH={quote}{OWNER_HASH}{quote}\n")

    children = dev.child_environments(dev.environment(), {"PATH": "/usr/bin:/bin"})

    assert children["auth-gateway"]["OWNER_PASSWORD_HASH"] == OWNER_HASH
    assert not {"OWNER_PASSWORD_HASH", "OWNER_LOGIN"} & set(children["caddy"])


@pytest.mark.parametrize(
    ("dotenv", "expected"),
    [
        ("", "data/discovery"),
        ("DISCOVERY_DIR=/discovery\n", "data/discovery"),  # compose's path, not writable natively
        ("DISCOVERY_DIR=/srv/mcp-discovery\n", "/srv/mcp-discovery"),
    ],
    ids=["unset", "compose-path", "chosen"],
)
def test_gateway_and_caddy_share_one_discovery_directory(dev: ModuleType, dotenv: str, expected: str) -> None:
    """The gateway writes the discovery documents where Caddy serves them from."""
    write_dotenv(dev, dotenv)

    children = dev.child_environments(dev.environment(), {"PATH": "/usr/bin:/bin"})

    where = expected if expected.startswith("/") else str(dev.ROOT / expected)
    assert children["auth-gateway"]["DISCOVERY_DIR"] == children["caddy"]["DISCOVERY_DIR"] == where


def test_each_child_gets_exactly_the_stack_variables_its_code_reads(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every documented variable set (in .env or the shell), yet each child holds only what it reads;
    the shell's own variables (PATH, a proxy) reach all three."""
    values = {name: f"value-of-{name.lower()}" for name in documented()}
    values |= {"OWNER_PASSWORD_HASH": OWNER_HASH, "SITE_ADDRESS": "http://localhost:8080", "MCP_PORT": "8100"}
    write_dotenv(
        dev, "".join(f"{name}='{value}'\n" for name, value in values.items() if name.startswith(("O", "A")))
    )
    shell = {name: value for name, value in values.items() if not name.startswith(("O", "A"))}
    shell |= {"PATH": "/usr/bin:/bin", "HOME": "/home/owner", "HTTPS_PROXY": "http://proxy.example:3128"}
    shell |= {
        "AUTH0_MGMT_CLIENT_SECRET": "exported-for-one-command",
        "CLOUDFLARE_TUNNEL_TOKEN": "tunnel-only",
    }
    for name, value in shell.items():
        monkeypatch.setenv(name, value)
    env = dev.environment()

    children = dev.child_environments(env, dict(os.environ))

    stack = documented() | set().union(*reads().values())
    shells_own = {name: value for name, value in os.environ.items() if name not in stack}
    assert {"PATH", "HOME", "HTTPS_PROXY"} <= set(shells_own)
    for child, wanted in reads().items():
        expected = {**shells_own, **{name: env[name] for name in wanted if name in env}}
        assert children[child] == expected, child
    holders = {name: {child for child, handed in children.items() if name in handed} for name in env}
    assert holders["OAUTH_CLIENT_SECRET"] == {"auth-gateway"}
    assert holders["OWNER_PASSWORD_HASH"] == {"auth-gateway"}
    assert holders["DATA_GO_KR_API_KEY"] == {"mcp-server"}
    assert holders["ODCLOUD_API_KEY"] == {"mcp-server"}
    assert holders["AUTH0_MGMT_CLIENT_SECRET"] == set()
    assert holders["CLOUDFLARE_TUNNEL_TOKEN"] == set()
    assert holders["OAUTH_ISSUER"] == holders["AUTH0_DOMAIN"] == holders["OAUTH_SCOPES"] == {"auth-gateway"}


def test_compose_service_names_from_dotenv_become_loopback_ports(dev: ModuleType) -> None:
    write_dotenv(dev, "MCP_UPSTREAM=mcp-server:8000\nAUTH_UPSTREAM=auth-gateway:9000\nAUTH_PORT=9100\n")

    env = dev.environment()

    assert (env["MCP_UPSTREAM"], env["AUTH_UPSTREAM"]) == ("127.0.0.1:8000", "127.0.0.1:9100")


def test_an_explicit_upstream_is_kept(dev: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_UPSTREAM", "127.0.0.1:18000")

    assert dev.environment()["MCP_UPSTREAM"] == "127.0.0.1:18000"


@pytest.mark.parametrize(
    ("site_address", "bind"),
    [
        ("http://localhost:8080", "default_bind 127.0.0.1"),
        ("http://127.0.0.1:18080", "default_bind 127.0.0.1"),
        ("http://[::1]:8080", "default_bind ::1"),
        ("mcp.example.ddns.net", ""),
        ("http://192.168.0.10:8080", ""),
        ("http://:8080", ""),
        ("http://localhost:8080, http://127.0.0.1:8080", "default_bind 127.0.0.1"),
        ("http://localhost:8080, http://192.168.0.10:8080", ""),
        ("mcp.example.ddns.net http://localhost", ""),
    ],
)
def test_only_a_loopback_site_binds_to_loopback(
    dev: ModuleType, monkeypatch: pytest.MonkeyPatch, site_address: str, bind: str
) -> None:
    monkeypatch.setenv("SITE_ADDRESS", site_address)

    assert dev.environment()["CADDY_BIND_OPTION"] == bind


def test_acme_email_becomes_caddys_email_option(dev: ModuleType) -> None:
    write_dotenv(dev, "SITE_ADDRESS=mcp.example.ddns.net\nACME_EMAIL=owner@example.com\n")

    env = dev.environment()

    assert env["CADDY_EMAIL_OPTION"] == "email owner@example.com"
    assert dev.public_url(env["SITE_ADDRESS"]) == "https://mcp.example.ddns.net"
    assert dev.site_port(env["SITE_ADDRESS"]) == 443


def test_several_site_addresses_use_the_first_for_the_url_and_port(dev: ModuleType) -> None:
    addresses = "http://localhost:8081, http://192.168.0.10:8081"

    assert dev.public_url(addresses) == "http://localhost:8081"
    assert dev.site_port(addresses) == 8081


def test_an_unusable_site_address_is_one_clear_line_and_nothing_starts() -> None:
    result = subprocess.run(
        [str(REPO / "scripts" / "dev")],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SITE_ADDRESS": "http://localhost:80a"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "error: SITE_ADDRESS='http://localhost:80a' has no usable port" in result.stderr
    assert "Traceback" not in result.stderr
    assert "started" not in result.stderr


@pytest.mark.parametrize(
    ("site_address", "fallback"),
    [
        ("http://localhost:8080", "http://:8080"),
        ("http://127.0.0.1:18080, http://192.168.0.10:18080", "http://:18080"),
        ("mcp.example.ddns.net", "http://"),
        ("http://localhost", "http://"),
        ("http://:8080", "http://unserved.invalid:8080"),
    ],
)
def test_other_host_names_are_caught_on_the_sites_http_port(
    dev: ModuleType, site_address: str, fallback: str
) -> None:
    assert dev.fallback_site(site_address) == fallback
