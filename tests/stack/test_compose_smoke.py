"""scripts/compose-smoke's pure parts, without Docker (the run itself is opt-in: docs/deployment.md).

Its stand-in python base is a debootstrap'd Debian bookworm, whose python3 is 3.11: these tests fail when
the Dockerfiles move to another base that stand-in would not match, and when the smoke run's oauth
environment names a variable compose does not hand the gateway.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke() -> ModuleType:
    """scripts/compose-smoke loaded as a module (its main() is not run)."""
    loader = importlib.machinery.SourceFileLoader(
        "scripts_compose_smoke", str(REPO / "scripts" / "compose-smoke")
    )
    spec = importlib.util.spec_from_loader("scripts_compose_smoke", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load(
        (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    )
    return document


def test_the_python_stand_in_matches_the_base_the_dockerfiles_name(smoke: ModuleType) -> None:
    bases = smoke.dockerfile_bases(REPO)

    assert len(bases) == 1, f"one stand-in serves one base tag, the Dockerfiles name {bases}"
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", bases[0]), bases[0]
    assert "bookworm" in (REPO / "scripts" / "compose-smoke").read_text(encoding="utf-8")


def test_the_caddy_stand_in_gets_the_tag_compose_runs(smoke: ModuleType, compose: dict[str, Any]) -> None:
    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")

    assert smoke.caddy_image(text) == compose["services"]["caddy"]["image"]


def test_the_override_publishes_caddy_on_loopback_only(smoke: ModuleType) -> None:
    reset, publish = smoke.port_overrides(18080)

    cleared = YAML(typ="rt").load(reset)["services"]["caddy"]["ports"]
    assert cleared.tag.value == "!reset"
    assert list(cleared) == []
    assert YAML(typ="safe").load(publish) == {"services": {"caddy": {"ports": ["127.0.0.1:18080:80"]}}}


def test_the_oauth_environment_reaches_the_gateway(smoke: ModuleType, compose: dict[str, Any]) -> None:
    text = smoke.oauth_env(18080, "smoke-client", "s" * 43)
    names = [line.partition("=")[0] for line in text.splitlines()]

    assert "PUBLIC_BASE_URL=http://localhost:18080" in text.splitlines()
    assert set(names) <= set(compose["services"]["auth-gateway"]["environment"])


def test_a_tools_list_answer_is_read_as_json_or_sse(smoke: ModuleType) -> None:
    message = {"jsonrpc": "2.0", "id": 1, "result": {"tools": [{"name": "a"}]}}
    as_json = json.dumps(message)
    as_sse = f"event: message\ndata: {as_json}\n\n"

    assert smoke.rpc_result(as_json) == message["result"]
    assert smoke.rpc_result(as_sse) == message["result"]
    with pytest.raises(ValueError, match="no JSON-RPC result"):
        smoke.rpc_result(json.dumps({"jsonrpc": "2.0", "id": 1, "error": {"code": -32601}}))
