"""The two service images, checked without Docker: hadolint clean, a pinned slim Python base, an
unprivileged user, only that service's dependency group, a health check against the port it serves.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HADOLINT = Path(sys.executable).parent / "hadolint"
SERVICES = {"mcp_server": ("mcp-server", 8000), "auth_gateway": ("auth-gateway", 9000)}


def instructions(package: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with line continuations joined and comments dropped."""
    text = (REPO / package / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    pairs = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            pairs.append((keyword.upper(), arguments.strip()))
    return pairs


def arguments_of(package: str, keyword: str) -> list[str]:
    return [arguments for instruction, arguments in instructions(package) if instruction == keyword]


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_hadolint_finds_nothing(package: str) -> None:
    result = subprocess.run(
        [str(HADOLINT), "--no-color", str(REPO / package / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_base_is_a_pinned_slim_python_3_11(package: str) -> None:
    (base,) = arguments_of(package, "FROM")

    assert re.fullmatch(r"python:3\.11\.\d+-slim-[a-z]+", base), base


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_runs_as_an_unprivileged_user(package: str) -> None:
    users = arguments_of(package, "USER")

    assert users, "no USER instruction: the service would run as root"
    assert users[-1].split(":")[0] not in ("0", "root")


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_installs_only_its_own_dependency_group(package: str) -> None:
    group, _ = SERVICES[package]
    copies = " ".join(arguments_of(package, "COPY"))

    assert f"requirements/{group}.txt" in copies
    assert re.findall(r"requirements/[\w-]+\.txt", copies) == [f"requirements/{group}.txt"]
    assert (REPO / "requirements" / f"{group}.txt").is_file()
    assert " . " not in f" {copies} ", "copying the whole context would ship tests, .env and more"


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_serves_its_port_and_checks_its_own_health(package: str) -> None:
    _, port = SERVICES[package]
    (command,) = arguments_of(package, "CMD")
    (healthcheck,) = arguments_of(package, "HEALTHCHECK")
    argv = json.loads(command)  # exec form: signals reach the server, not a shell

    assert argv[:3] == ["python", "-m", package]
    assert argv[argv.index("--port") + 1] == str(port)
    # All interfaces inside the container: Caddy reaches it over the compose network.
    assert argv[argv.index("--host") + 1] == "0.0.0.0"  # noqa: S104
    assert arguments_of(package, "EXPOSE") == [str(port)]
    assert f"http://127.0.0.1:{port}/healthz" in healthcheck


def test_build_context_leaves_out_secrets_and_local_state() -> None:
    rules = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert rules[0] == "*", "the context should be a whitelist"
    included = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert included == {"requirements", "mcp_server", "auth_gateway"}
