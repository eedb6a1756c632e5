"""Every variable the stack reads is documented in .env.example: what docker compose interpolates,
what the Caddyfile reads (at start-up or in its templates), what both services' settings classes read,
what ./scripts/dev reads, and what the Auth0 operator commands read. A variable missing from .env.example
is a setting nobody can discover.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from auth0_admin.config import AdminSettings
from auth_gateway.config import GatewaySettings
from mcp_server.config import Settings

REPO = Path(__file__).resolve().parents[2]
# Caddy's values derived from documented variables, never set by the operator: the e-mail option line by
# compose and scripts/dev, the loopback bind and the catch-all site for other host names by scripts/dev
# only (in a container Caddy listens everywhere, and the catch-all is the Caddyfile's default, port 80).
DERIVED = {
    "CADDY_EMAIL_OPTION": "ACME_EMAIL",
    "CADDY_BIND_OPTION": "SITE_ADDRESS",
    "CADDY_FALLBACK_SITE": "SITE_ADDRESS",
}
DERIVED_BY_COMPOSE = {"CADDY_EMAIL_OPTION"}


def documented() -> set[str]:
    """Names in .env.example, including commented-out examples (`# NAME=value`)."""
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"(?m)^\s*#?\s*([A-Z][A-Z0-9_]*)=", text))


def read_by_compose() -> set[str]:
    return set(re.findall(r"\$\{(\w+)", (REPO / "docker-compose.yml").read_text(encoding="utf-8")))


def read_by_caddyfile() -> set[str]:
    lines = (REPO / "Caddyfile").read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    return set(re.findall(r"\{\$(\w+)", text)) | set(re.findall(r'\benv "(\w+)"', text))


def read_by_services() -> set[str]:
    # Both services: no prefix, case-sensitive, field names are the variable names.
    return set(Settings.model_fields) | set(GatewaySettings.model_fields)


def read_by_dev_runner() -> set[str]:
    text = (REPO / "scripts" / "dev").read_text(encoding="utf-8")
    reads = r'(?:env\.get\(|env\.setdefault\(|env\[|native_path\(env, )"([A-Z][A-Z0-9_]*)"'
    return set(re.findall(reads, text))


def read_by_operator_commands() -> set[str]:
    """./scripts/auth0-setup and ./scripts/auth0-access."""
    return set(AdminSettings.model_fields)


READERS = [
    read_by_compose,
    read_by_caddyfile,
    read_by_services,
    read_by_dev_runner,
    read_by_operator_commands,
]


@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.__name__)
def test_every_variable_read_is_in_env_example(reader: Callable[[], set[str]]) -> None:
    names = reader()

    assert names, "the reader found nothing: its pattern no longer matches the file"
    assert sorted(names - documented() - set(DERIVED)) == []


def test_derived_variables_are_derived_by_the_launchers() -> None:
    compose = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    dev = (REPO / "scripts" / "dev").read_text(encoding="utf-8")

    for derived, source in DERIVED.items():
        if derived in DERIVED_BY_COMPOSE:
            assert re.search(rf"{derived}: \$\{{{source}:\+", compose), derived
        else:
            assert derived not in compose, derived
        assert f'env["{derived}"]' in dev, derived
        assert f'"{source}"' in dev, derived
        assert source in documented()
