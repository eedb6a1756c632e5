"""The compose smoke suite (tests/compose) without Docker: its pure parts, and that it stays opt-in.

Its stand-in python base is a debootstrap'd Debian bookworm, whose python3 is 3.11: these tests fail when
the Dockerfiles move to another base that stand-in would not match, and when the smoke run's oauth
environment names a variable compose does not hand the gateway. The run itself needs root and Docker
(sudo ./scripts/compose-smoke, docs/deployment.md): ./scripts/test and CI must never collect it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests import conftest as suite
from tests.compose.base_images import DEBIAN_SUITE, caddy_image, dockerfile_bases
from tests.compose.stack import oauth_env, port_overrides, rpc_result

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load(
        (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    )
    return document


def test_the_python_stand_in_matches_the_base_the_dockerfiles_name() -> None:
    bases = dockerfile_bases(REPO)

    assert len(bases) == 1, f"one stand-in serves one base tag, the Dockerfiles name {bases}"
    assert re.fullmatch(rf"python:3\.11\.\d+-slim-{DEBIAN_SUITE}", bases[0]), bases[0]


def test_the_caddy_stand_in_gets_the_tag_compose_runs(compose: dict[str, Any]) -> None:
    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")

    assert caddy_image(text) == compose["services"]["caddy"]["image"]


def test_the_override_publishes_caddy_on_loopback_only() -> None:
    reset, publish = port_overrides(18080)

    cleared = YAML(typ="rt").load(reset)["services"]["caddy"]["ports"]
    assert cleared.tag.value == "!reset"
    assert list(cleared) == []
    assert YAML(typ="safe").load(publish) == {"services": {"caddy": {"ports": ["127.0.0.1:18080:80"]}}}


def test_the_oauth_environment_reaches_the_gateway(compose: dict[str, Any]) -> None:
    text = oauth_env(18080, "smoke-client", "s" * 43)
    names = [line.partition("=")[0] for line in text.splitlines()]

    assert "PUBLIC_BASE_URL=http://localhost:18080" in text.splitlines()
    assert set(names) <= set(compose["services"]["auth-gateway"]["environment"])


def test_a_tools_list_answer_is_read_as_json_or_sse() -> None:
    message = {"jsonrpc": "2.0", "id": 1, "result": {"tools": [{"name": "a"}]}}
    as_json = json.dumps(message)
    as_sse = f"event: message\ndata: {as_json}\n\n"

    assert rpc_result(as_json) == message["result"]
    assert rpc_result(as_sse) == message["result"]
    with pytest.raises(ValueError, match="no JSON-RPC result"):
        rpc_result(json.dumps({"jsonrpc": "2.0", "id": 1, "error": {"code": -32601}}))


@pytest.mark.parametrize("opted_in", [False, True])
def test_the_whole_suite_walks_past_tests_compose_unless_asked(opted_in: bool) -> None:
    config = SimpleNamespace(getoption={"--compose-smoke": opted_in}.__getitem__)

    assert suite.pytest_ignore_collect(suite.COMPOSE_SUITE, config) is (None if opted_in else True)
    assert suite.pytest_ignore_collect(REPO / "tests" / "e2e", config) is None


def test_naming_tests_compose_without_the_flag_deselects_every_check() -> None:
    """The suite is collectable (it imports, its checks are found) and still not run."""
    argv = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/compose"]
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)

    deselected = re.search(r"no tests collected \((\d+) deselected\)", result.stdout)
    assert deselected is not None, result.stdout + result.stderr
    assert int(deselected.group(1)) >= 16  # both modes' checks (tests/compose/test_compose_stack.py)
