"""AUTH_MODE=none through `./scripts/dev`: the native runner starts the real stack, the SDK client uses
it through Caddy, Ctrl-C (or a dying child) leaves no process behind, and each of the three processes
holds only the secrets its code reads (read from the running processes' /proc/<pid>/environ).

The runner is started exactly as a user would (the script itself, with its lean .venv-run prepared by
./scripts/ensure-venv run), only with free loopback ports and the fixture upstream instead of data.go.kr.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from mcp import Client

from mcp_server.config import Settings
from mcp_server.server import create_server
from tests.e2e.mcp_client import (
    APARTMENT_MEDIAN_10K,
    APARTMENT_TOTAL_COUNT,
    MCP_HEADERS,
    PING,
    apartment_trades,
    connect,
)
from tests.e2e.stack_processes import REPO, Process, base_env, http_status, spawn
from tests.stack.test_env_contract import documented
from tests.stack.test_service_environment import reads
from tests.support.ports import free_port

STARTED = re.compile(r"started (?P<name>[\w-]+) \(pid (?P<pid>\d+)\)")


@dataclass
class DevStack:
    runner: Process
    url: str
    ports: tuple[int, ...]

    def child_pids(self) -> dict[str, int]:
        return {m["name"]: int(m["pid"]) for m in STARTED.finditer(self.runner.log())}


def start_dev(home: Path, upstream_env: dict[str, str], **extra: str) -> DevStack:
    caddy_port, mcp_port, auth_port = free_port(), free_port(), free_port()
    env = base_env(
        home,
        **upstream_env,
        **extra,
        AUTH_MODE="none",
        SITE_ADDRESS=f"http://127.0.0.1:{caddy_port}",
        MCP_PORT=str(mcp_port),
        AUTH_PORT=str(auth_port),
        CACHE_PATH=str(home / "cache.sqlite3"),
    )
    runner = spawn("scripts-dev", [str(REPO / "scripts" / "dev")], env, home)
    url = f"http://127.0.0.1:{caddy_port}"
    deadline = time.monotonic() + 90  # includes ./scripts/ensure-venv checking the lock
    while "real-estate-mcp is running" not in runner.log():
        if not runner.alive():
            raise runner.fail(f"exited with code {runner.popen.returncode} before the stack was up")
        if time.monotonic() > deadline:
            raise runner.fail("did not report the stack running within 90s")
        time.sleep(0.1)
    return DevStack(runner=runner, url=url, ports=(caddy_port, mcp_port, auth_port))


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def assert_all_gone(stack: DevStack) -> None:
    pids = stack.child_pids()
    assert set(pids) == {"mcp-server", "auth-gateway", "caddy"}, stack.runner.log()
    left = [name for name, pid in pids.items() if process_exists(pid)]
    for name in left:  # a failing runner must not leave its orphans to disturb the rest of the suite
        with contextlib.suppress(ProcessLookupError):
            os.kill(pids[name], signal.SIGKILL)
    assert left == []
    assert [port for port in stack.ports if http_status(f"http://127.0.0.1:{port}/") is not None] == []


@pytest.fixture(scope="module", autouse=True)
def lean_environment() -> Path:
    """.venv-run, built (on a fresh clone: downloaded) before any runner starts, so the runner's own
    check is quick and its start-up deadline is not spent on pip."""
    subprocess.run([str(REPO / "scripts" / "ensure-venv"), "run"], check=True, timeout=900)
    return REPO / ".venv-run"


@pytest.fixture(scope="module")
def dev_stack(tmp_path_factory: pytest.TempPathFactory, upstream_env: dict[str, str]) -> Iterator[DevStack]:
    stack = start_dev(tmp_path_factory.mktemp("dev"), upstream_env, **SECRETS)
    yield stack
    stack.runner.stop(signal.SIGINT)


# Secrets set for the module's stack (AUTH_MODE=none ignores the gateway's, but they are still handed
# out), and what each may reach.
SECRETS = {
    "OAUTH_CLIENT_ID": "dev-runner-client",
    "OAUTH_CLIENT_SECRET": "dev-runner-secret-" + "s" * 32,
    "OWNER_PASSWORD_HASH": PasswordHasher().hash("dev-runner-owner-password"),
    "AUTH0_MGMT_CLIENT_SECRET": "operator-command-only",
    "CLOUDFLARE_TUNNEL_TOKEN": "tunnel-container-only",
}
HOLDERS = {
    "OAUTH_CLIENT_SECRET": {"auth-gateway"},
    "OWNER_PASSWORD_HASH": {"auth-gateway"},
    "DATA_GO_KR_API_KEY": {"mcp-server"},
    "AUTH0_MGMT_CLIENT_SECRET": set(),
    "CLOUDFLARE_TUNNEL_TOKEN": set(),
}


def process_environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode("utf-8", "replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def test_each_process_holds_only_the_variables_its_code_reads(dev_stack: DevStack) -> None:
    environments = {name: process_environment(pid) for name, pid in dev_stack.child_pids().items()}
    stack_variables = documented() | set().union(*reads().values())

    assert set(environments) == {"caddy", "auth-gateway", "mcp-server"}
    for name, wanted in reads().items():
        assert sorted(set(environments[name]) & stack_variables - wanted) == [], name
        assert environments[name]["PATH"]  # the shell's own variables still reach every child
    for secret, holders in HOLDERS.items():
        assert {name for name, env in environments.items() if secret in env} == holders, secret
    assert environments["auth-gateway"]["OWNER_PASSWORD_HASH"] == SECRETS["OWNER_PASSWORD_HASH"]
    assert environments["caddy"]["DISCOVERY_DIR"] == environments["auth-gateway"]["DISCOVERY_DIR"]
    assert environments["mcp-server"]["DATA_GO_KR_API_KEY"]


async def test_sdk_client_lists_every_tool_and_gets_a_full_month_through_caddy(dev_stack: DevStack) -> None:
    async with Client(create_server(Settings(_env_file=None))) as in_memory:
        expected = {tool.name for tool in (await in_memory.list_tools()).tools}

    async with connect(f"{dev_stack.url}/mcp") as client:
        listed = {tool.name for tool in (await client.list_tools()).tools}
        data = await apartment_trades(client)

    assert listed == expected
    assert data["total_count"] == APARTMENT_TOTAL_COUNT
    assert data["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K


@pytest.mark.parametrize(
    "path",
    [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-authorization-server",
        "/healthz",
        "/internal/status",
        "/verify",
        "/mcpx",
    ],
)
def test_only_mcp_and_the_status_page_are_served_in_none_mode(dev_stack: DevStack, path: str) -> None:
    assert http_status(dev_stack.url + path) == 404


async def test_the_status_page_is_at_the_root_and_counts_the_days_requests(dev_stack: DevStack) -> None:
    async with connect(f"{dev_stack.url}/mcp") as client:
        await apartment_trades(client)

    async with httpx.AsyncClient(timeout=30) as http:
        page = await http.get(dev_stack.url + "/")
        status = (await http.get(dev_stack.url + "/status.json")).json()

    assert page.status_code == 200
    assert "real-estate-mcp 상태" in page.text
    assert status["components"] == {"caddy": "up", "auth_gateway": "up", "mcp_server": "up"}
    assert status["mcp_url"] == f"{dev_stack.url}/mcp"
    (apartment,) = [row for row in status["mcp"]["upstream"] if "RTMSDataSvcAptTrade" in row["service"]]
    assert apartment["requests"] >= 1


def test_the_runner_uses_the_lean_environment_without_the_test_tools(
    dev_stack: DevStack, lean_environment: Path
) -> None:
    pid = dev_stack.child_pids()["mcp-server"]
    argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()

    assert argv0 == str(lean_environment / "bin" / "python")
    for tool in ("pytest", "mypy", "hypothesis", "selenium", "ruff", "pip_audit"):
        found = subprocess.run(
            [str(lean_environment / "bin" / "python"), "-c", f"import {tool}"],
            capture_output=True,
            check=False,
        )
        assert found.returncode != 0, f"{tool} is installed in .venv-run"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_all_three_processes(
    tmp_path: Path, upstream_env: dict[str, str], stop_signal: signal.Signals
) -> None:
    stack = start_dev(tmp_path, upstream_env)
    assert len(stack.child_pids()) == 3

    code = stack.runner.stop(stop_signal, timeout=30)

    assert_all_gone(stack)
    assert code == 0, stack.runner.log()
    assert "stopped" in stack.runner.log()


def test_closing_the_terminal_during_shutdown_does_not_interrupt_it(
    tmp_path: Path, upstream_env: dict[str, str]
) -> None:
    stack = start_dev(tmp_path, upstream_env)

    stack.runner.popen.send_signal(signal.SIGINT)  # Ctrl-C, then the window closes while stopping
    deadline = time.monotonic() + 10
    while "stopping" not in stack.runner.log() and time.monotonic() < deadline:
        time.sleep(0.01)
    stack.runner.popen.send_signal(signal.SIGHUP)
    code = stack.runner.popen.wait(timeout=30)

    assert_all_gone(stack)
    assert code == 0, stack.runner.log()
    assert "stopped" in stack.runner.log()


def test_a_dying_service_stops_the_whole_stack(tmp_path: Path, upstream_env: dict[str, str]) -> None:
    stack = start_dev(tmp_path, upstream_env)

    os.kill(stack.child_pids()["auth-gateway"], signal.SIGKILL)
    stack.runner.popen.wait(timeout=30)

    assert_all_gone(stack)
    assert stack.runner.popen.returncode == 1
    assert "auth-gateway exited" in stack.runner.log()
    assert "does not restart it: the whole stack stops and exits with status 1" in stack.runner.log()


def test_a_local_stack_listens_on_loopback_only(dev_stack: DevStack) -> None:
    # 127.0.0.2 is loopback too (on Linux), but not the address bound: only a listener on every
    # interface, which a forged Host header would open to the network, answers there.
    reachable = []
    for port in dev_stack.ports:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.2", port), timeout=1):
            reachable.append(port)

    assert http_status(f"{dev_stack.url}/mcp") is not None
    assert reachable == []


def test_responses_carry_security_headers_and_no_server_banner(dev_stack: DevStack) -> None:
    response = httpx.post(f"{dev_stack.url}/mcp", content=PING, headers=MCP_HEADERS)

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Server" not in response.headers


def test_oversized_mcp_requests_are_refused(dev_stack: DevStack) -> None:
    body = b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": "' + b"x" * 2_000_000 + b'"}}'

    response = httpx.post(f"{dev_stack.url}/mcp", content=body, headers=MCP_HEADERS)

    assert response.status_code == 413
