"""docker-compose.yml, checked without Docker: the Compose specification's JSON schema, the deployment
rules from the architecture (only Caddy is public, services wait for health), and that the environment
compose hands Caddy yields a Caddy configuration that loads, with and without a .env.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from auth_gateway.config import DEFAULT_STATE_PATH

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
BIN = Path(sys.executable).parent
SERVICES = {"auth-gateway": ("auth_gateway", 9000), "mcp-server": ("mcp_server", 8000)}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load(COMPOSE.read_text(encoding="utf-8"))
    return document


def interpolate(value: str, environment: dict[str, str]) -> str:
    """Compose interpolation for the forms this file uses: ${VAR}, ${VAR:-default}, ${VAR:+alternative},
    nested (https://docs.docker.com/reference/compose-file/interpolation/)."""
    pattern = re.compile(r"\$\{(\w+)(?:(:-|:\+)((?:[^{}]|\$\{[^{}]*\})*))?\}")

    def replace(match: re.Match[str]) -> str:
        name, operator, operand = match.group(1), match.group(2), match.group(3) or ""
        current = environment.get(name, "")
        if operator == ":-":
            return current or interpolate(operand, environment)
        if operator == ":+":
            return interpolate(operand, environment) if current else ""
        return current

    return pattern.sub(replace, value)


def test_matches_the_compose_specification_schema() -> None:
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_caddy_publishes_ports(compose: dict[str, Any]) -> None:
    published = {name: service.get("ports", []) for name, service in compose["services"].items()}

    assert published == {
        "caddy": ["80:80", "443:443", "443:443/udp"],
        "auth-gateway": [],
        "mcp-server": [],
        "cloudflared": [],
    }


def test_caddy_is_the_official_image_with_copy_headers_stripping(compose: dict[str, Any]) -> None:
    image = compose["services"]["caddy"]["image"]
    repository, _, tag = image.partition(":")
    version = tuple(int(part) for part in tag.split("-")[0].split("."))

    assert repository == "caddy"
    # A patch pin must be 2.11.2 or later; the floating "2.11" tag always pulls the newest 2.11 patch.
    assert version >= (2, 11, 2) or version == (2, 11)


def test_caddy_reads_the_repository_caddyfile_and_keeps_its_state(compose: dict[str, Any]) -> None:
    caddy = compose["services"]["caddy"]

    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert {"caddy_data:/data", "caddy_config:/config"} <= set(caddy["volumes"])
    assert caddy["depends_on"] == {name: {"condition": "service_healthy"} for name in SERVICES}


@pytest.mark.parametrize("name", ["caddy", *SERVICES])
def test_every_service_restarts(compose: dict[str, Any], name: str) -> None:
    # What each one reads from .env: tests/stack/test_service_environment.py.
    assert compose["services"][name]["restart"] == "unless-stopped"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_services_are_built_and_health_checked(compose: dict[str, Any], name: str) -> None:
    package, port = SERVICES[name]
    service = compose["services"][name]

    assert service["build"] == {"context": ".", "dockerfile": f"{package}/Dockerfile"}
    assert (REPO / package / "Dockerfile").is_file()
    test = service["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert f"http://127.0.0.1:{port}/healthz" in test[3]


def test_the_cache_lives_on_a_named_volume(compose: dict[str, Any]) -> None:
    mcp = compose["services"]["mcp-server"]

    assert "mcp_cache:/data" in mcp["volumes"]
    assert interpolate(mcp["environment"]["CACHE_PATH"], {}) == "/data/cache.sqlite3"
    assert set(compose["volumes"]) == {"caddy_data", "caddy_config", "mcp_cache", "gateway_data", "discovery"}


def test_refresh_tokens_live_on_a_named_volume(compose: dict[str, Any]) -> None:
    """The gateway's default OAUTH_STATE_PATH is on the volume, so refresh tokens survive a rebuild."""
    gateway = compose["services"]["auth-gateway"]
    assert gateway["volumes"] == ["gateway_data:/data", "discovery:/discovery"]
    assert DEFAULT_STATE_PATH.startswith("/data/")


def caddy_config(compose: dict[str, Any], dotenv: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    """What Caddy in the caddy container would load, given a .env with these values."""
    declared = compose["services"]["caddy"]["environment"]
    # A name without a value takes .env's value, and is unset in the container without one.
    environment = {
        name: interpolate(str(value), dotenv) if value is not None else dotenv[name]
        for name, value in declared.items()
        if value is not None or name in dotenv
    }
    result = subprocess.run(
        [str(BIN / "caddy"), "adapt", "--adapter", "caddyfile", "--config", str(REPO / "Caddyfile")],
        env={**environment, "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def test_without_env_file_caddy_serves_plain_http(compose: dict[str, Any], tmp_path: Path) -> None:
    config = caddy_config(compose, {}, tmp_path)

    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == [":80"]
    assert "tls" not in config["apps"]
    environment = compose["services"]["auth-gateway"]["environment"]
    assert interpolate(environment["AUTH_MODE"], {}) == "none"


@pytest.mark.parametrize("email", ["", "owner@example.com"])
def test_a_ddns_name_gets_automatic_https_with_an_optional_acme_email(
    compose: dict[str, Any], tmp_path: Path, email: str
) -> None:
    config = caddy_config(compose, {"SITE_ADDRESS": "mcp.example.ddns.net", "ACME_EMAIL": email}, tmp_path)

    assert config["apps"]["http"]["servers"]["srv0"]["listen"] == [":443"]
    issuers = config["apps"].get("tls", {}).get("automation", {}).get("policies", [{}])[0].get("issuers", [])
    assert {issuer.get("email") for issuer in issuers} == ({email} if email else set())


def test_no_interpolation_warns_when_env_lacks_a_variable() -> None:
    """Compose warns "The X variable is not set" for every bare ${X}, even nested in ${Y:+... ${X}}; each
    reference carries a default, so a .env without ACME_EMAIL (or without any line) stays quiet."""
    text = COMPOSE.read_text(encoding="utf-8")

    assert re.findall(r"\$\{\w+\}", text) == []


def test_the_tunnel_is_an_opt_in_profile_with_the_official_image(compose: dict[str, Any]) -> None:
    tunnel = compose["services"]["cloudflared"]

    assert [name for name, service in compose["services"].items() if "profiles" in service] == ["cloudflared"]
    assert tunnel["profiles"] == ["tunnel"]
    assert tunnel["image"].partition(":")[0] == "cloudflare/cloudflared"
    assert tunnel["command"] == ["tunnel", "--no-autoupdate", "run"]
    assert tunnel["restart"] == "unless-stopped"
    assert tunnel["depends_on"] == {"caddy": {"condition": "service_started"}}
    # It gets the tunnel token and nothing else from .env.
    assert "env_file" not in tunnel
    assert {
        name: interpolate(value, {"CLOUDFLARE_TUNNEL_TOKEN": "t0ken"})
        for name, value in tunnel["environment"].items()
    } == {"TUNNEL_TOKEN": "t0ken"}


@pytest.mark.parametrize(
    ("dotenv", "expected"),
    [
        pytest.param({}, "", id="no-tunnel: X-Forwarded-For"),
        pytest.param({"CLOUDFLARE_TUNNEL_TOKEN": "t0ken"}, "CF-Connecting-IP", id="tunnel"),
        pytest.param(
            {"CLOUDFLARE_TUNNEL_TOKEN": "t0ken", "CLIENT_IP_HEADER": "X-Forwarded-For"},
            "X-Forwarded-For",
            id="explicit-wins",
        ),
    ],
)
def test_the_tunnel_makes_the_gateway_key_limits_on_cf_connecting_ip(
    compose: dict[str, Any], dotenv: dict[str, str], expected: str
) -> None:
    """Behind cloudflared every visitor reaches Caddy from one address; the gateway's limits then read
    Cloudflare's header (auth_gateway/web/client_ip.py), and the token itself never reaches the gateway."""
    environment = compose["services"]["auth-gateway"]["environment"]

    assert interpolate(environment["CLIENT_IP_HEADER"], dotenv) == expected
    assert "CLOUDFLARE_TUNNEL_TOKEN" not in environment


def test_behind_the_tunnel_caddy_serves_plain_http_for_the_public_name(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    """Cloudflare terminates TLS; the tunnel's public hostname points at http://caddy:80."""
    config = caddy_config(compose, {"SITE_ADDRESS": "http://mcp.example.com"}, tmp_path)

    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == [":80"]
    assert "tls" not in config["apps"]
    assert server["routes"][0]["match"] == [{"host": ["mcp.example.com"]}]


def test_the_owner_hash_never_reaches_caddy(compose: dict[str, Any]) -> None:
    owner_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
    declared = compose["services"]["caddy"]["environment"]

    values = {
        name: interpolate(str(value), {"OWNER_PASSWORD_HASH": owner_hash})
        for name, value in declared.items()
        if value is not None
    }

    assert "OWNER_PASSWORD_HASH" not in declared
    assert all(owner_hash not in value for value in values.values())
