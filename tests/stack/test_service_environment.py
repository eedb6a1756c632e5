"""Least privilege in docker-compose.yml: each container gets exactly the variables its code reads.

What a service reads is derived from the code, so this test follows every new setting: Caddy reads what
the Caddyfile names ({$VAR} at start-up, `env "VAR"` in its templates), the gateway and the MCP server
what their settings classes declare. A container that is handed more (a shared env_file, a secret it
never reads) fails; so does one that misses a setting its code reads (it could not be configured). Any
other service (e.g. a tunnel) gets none of the stack's variables at all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from auth_gateway.config import GatewaySettings
from mcp_server.config import Settings
from tests.stack.test_env_contract import read_by_caddyfile

REPO = Path(__file__).resolve().parents[2]

# Read by the code but deliberately not passed by compose, with the reason.
NOT_FROM_COMPOSE = {
    # scripts/dev sets it for a loopback site; in a container Caddy listens on every interface.
    "caddy": {"CADDY_BIND_OPTION", "CADDY_FALLBACK_SITE"},  # compose: the Caddyfile's default, port 80
    # Tests only (.env.example: "never on a real server"); unset in a container, it stays off.
    "auth-gateway": {"OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK"},
}


def reads() -> dict[str, set[str]]:
    return {
        "caddy": read_by_caddyfile(),
        "auth-gateway": set(GatewaySettings.model_fields),
        "mcp-server": set(Settings.model_fields),  # field names are the variable names
    }


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load(
        (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    )
    return dict(document["services"])


def environment_of(service: dict[str, Any]) -> dict[str, Any]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):  # the list form: NAME=value or NAME
        return {
            item.split("=", 1)[0]: (item.split("=", 1)[1] if "=" in item else None) for item in environment
        }
    return dict(environment)


@pytest.mark.parametrize("name", ["caddy", "auth-gateway", "mcp-server"])
def test_each_service_gets_exactly_what_its_code_reads(services: dict[str, Any], name: str) -> None:
    service = services[name]
    wanted = reads()[name] - NOT_FROM_COMPOSE.get(name, set())

    assert "env_file" not in service, f"{name}: an env_file hands it every variable in .env"
    declared = set(environment_of(service))
    assert sorted(declared - wanted) == [], f"{name} is handed variables it never reads"
    assert sorted(wanted - declared) == [], f"{name} reads variables compose never passes"


def test_secrets_reach_only_the_service_that_uses_them(services: dict[str, Any]) -> None:
    secret = re.compile(r"SECRET|_KEY$|PASSWORD|TOKEN$")
    holders: dict[str, set[str]] = {}
    for name, service in services.items():
        for variable in environment_of(service):
            if secret.search(variable):
                holders.setdefault(variable, set()).add(name)

    assert holders.get("OAUTH_CLIENT_SECRET") == {"auth-gateway"}
    assert holders.get("OWNER_PASSWORD_HASH") == {"auth-gateway"}
    assert holders.get("DATA_GO_KR_API_KEY") == {"mcp-server"}
    assert holders.get("ODCLOUD_API_KEY") == {"mcp-server"}


def test_caddy_gets_no_oauth_setting_only_the_documents_the_gateway_wrote(services: dict[str, Any]) -> None:
    """The discovery documents are the gateway's (auth_gateway/discovery/): Caddy reads none of the
    OAuth variables, and both services meet at one directory, on one volume."""
    oauth = {
        "AUTH_MODE",
        "PUBLIC_BASE_URL",
        "AUTH0_DOMAIN",
        "OAUTH_ISSUER",
        "OAUTH_SCOPES",
        "OWNER_PASSWORD_HASH",
    }
    caddy, gateway = services["caddy"], services["auth-gateway"]

    assert not oauth & (reads()["caddy"] | set(environment_of(caddy)))
    assert environment_of(caddy)["DISCOVERY_DIR"] == environment_of(gateway)["DISCOVERY_DIR"] == "/discovery"
    assert "discovery:/discovery:ro" in caddy["volumes"]
    assert "discovery:/discovery" in gateway["volumes"]


def test_other_services_get_none_of_the_stack_s_variables(services: dict[str, Any]) -> None:
    ours = set().union(*reads().values())
    for name, service in services.items():
        if name in reads():
            continue
        environment = environment_of(service)
        referenced = {m for value in environment.values() for m in re.findall(r"\$\{(\w+)", str(value or ""))}
        assert "env_file" not in service, name
        assert sorted((set(environment) | referenced) & ours) == [], name
