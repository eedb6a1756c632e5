"""The two service images, checked without Docker: hadolint clean, a pinned slim Python base, an
unprivileged user, only that service's dependency group, a health check against the port it serves.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_the_unprivileged_user_can_read_the_code_whatever_the_checkouts_umask(package: str) -> None:
    steps = instructions(package)
    copied = steps.index(("COPY", f"{package}/ ./{package}/"))
    user = max(index for index, (instruction, _) in enumerate(steps) if instruction == "USER")

    readable = [
        index
        for index, (instruction, arguments) in enumerate(steps)
        if instruction == "RUN" and re.search(rf"chmod -R a\+rX \./{package}\b", arguments)
    ]
    assert [index for index in readable if copied < index < user], "no chmod a+rX between COPY and USER"


def test_build_context_leaves_out_secrets_and_local_state() -> None:
    rules = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert rules[0] == "*", "the context should be a whitelist"
    included = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert included == {"requirements", "mcp_server", "auth_gateway"}


# Runs in a fresh interpreter: every third-party distribution outside the service's lock file is made
# unimportable (as in the image, where only that lock is installed), then the whole package is imported,
# the app built, asked what a client would ask (MCP: initialize, tools/list, a region lookup from the
# bundled data; gateway: a client_credentials token and /verify) and handed to uvicorn's loader.
# Optional imports libraries guard themselves (httpx's CLI wants pygments) fail quietly as they would in
# the image; a required one fails the probe.
IMAGE_IMPORT_PROBE = """
import importlib, importlib.abc, importlib.metadata, json, pkgutil, re, sys

package, lock = sys.argv[1], sys.argv[2]
canonical = lambda name: re.sub(r"[-_.]+", "-", name).lower()
locked = {canonical(m) for m in re.findall(r"(?m)^([A-Za-z0-9][A-Za-z0-9._-]*)==", open(lock).read())}
owners = importlib.metadata.packages_distributions()

class NotInTheImage(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        dists = owners.get(top)
        if dists and not any(canonical(d) in locked for d in dists):
            raise ModuleNotFoundError(f"{name} ({dists[0]}) is not in {lock}", name=name)
        return None

sys.meta_path.insert(0, NotInTheImage())
root = importlib.import_module(package)
for info in pkgutil.walk_packages(root.__path__, package + "."):
    importlib.import_module(info.name)
import uvicorn
from starlette.testclient import TestClient
if package == "mcp_server":
    from mcp_server.config import Settings
    from mcp_server.server import create_http_app
    app = create_http_app(Settings(CACHE_PATH="off"))
    calls = [("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "probe", "version": "1"}}, "serverInfo"),
             ("tools/list", {}, "get_apartment_trades"),
             ("tools/call", {"name": "get_region_code", "arguments": {"query": "마포구"}}, "11440")]
    headers = {"Accept": "application/json, text/event-stream"}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for number, (method, params, expected) in enumerate(calls):
            message = {"jsonrpc": "2.0", "id": number, "method": method, "params": params}
            answer = client.post("/mcp", json=message, headers=headers)
            data = [line[5:] for line in answer.text.splitlines() if line.startswith("data:")]
            reply = json.loads(data[-1]) if data else answer.json()  # an SSE stream, or one JSON body
            assert answer.status_code == 200 and "error" not in reply, answer.text
            assert expected in answer.text and '"isError":true' not in answer.text, answer.text
else:
    from auth_gateway.app import create_app
    from auth_gateway.config import GatewaySettings
    app = create_app(GatewaySettings(AUTH_MODE="oauth", PUBLIC_BASE_URL="https://h.example",
                                     OAUTH_CLIENT_ID="probe", OAUTH_CLIENT_SECRET="s" * 40,
                                     OAUTH_STATE_PATH="oauth.sqlite3"))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        form = {"grant_type": "client_credentials"}
        token = client.post("/oauth/token", data=form, auth=("probe", "s" * 40))
        assert token.status_code == 200, token.text
        bearer = {"Authorization": "Bearer " + token.json()["access_token"]}
        assert client.get("/verify", headers=bearer).status_code == 200
uvicorn.Config(app, host="127.0.0.1", port=0).load()
print("ok")
"""


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_everything_the_service_imports_is_in_its_own_lock(package: str, tmp_path: Path) -> None:
    group, _ = SERVICES[package]
    lock = REPO / "requirements" / f"{group}.txt"

    # Only the package directory, as the Dockerfile's COPY lays it out: code the service imports from
    # elsewhere in the checkout (scripts/region_codes, the build-time region code) would not be there.
    app = tmp_path / "app"
    shutil.copytree(REPO / package, app / package, ignore=shutil.ignore_patterns("__pycache__"))

    result = subprocess.run(
        [sys.executable, "-c", IMAGE_IMPORT_PROBE, package, str(lock)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # no .env from the repository
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(app)},
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_copied_paths_are_in_the_build_context(package: str) -> None:
    included = {
        rule[1:].strip().rstrip("/")
        for rule in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if rule.startswith("!")
    }
    sources = [arguments.split()[:-1] for arguments in arguments_of(package, "COPY")]

    assert sources
    for paths in sources:
        for source in paths:
            assert (REPO / source).exists(), source
            assert source.split("/")[0] in included, f"{source} is outside the .dockerignore whitelist"
    # The package copy brings the data files it reads at run time (region codes).
    assert [package + "/"] in sources
