"""Start the stack's real processes (Caddy, the gateway, the MCP server) on free loopback ports.

Each process writes its output to a log file in the test's temporary directory; a process that dies
while we wait for it raises with the tail of that log, so a failing start explains itself. Every
process gets an explicit environment with all configuration variables set (empty when unused), so a
developer's own `.env` in the repository can never leak into a test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.ports import free_port

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CADDY = VENV_BIN / "caddy"

# Every variable of the environment contract, so each test states its whole configuration.
CONFIG_KEYS = (
    "SITE_ADDRESS", "ACME_EMAIL", "PUBLIC_BASE_URL", "AUTH_MODE", "OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET",
    "OAUTH_TOKEN_TTL", "AUTH0_DOMAIN", "AUTH0_AUDIENCE", "OAUTH_ISSUER", "OAUTH_SCOPES", "DATA_GO_KR_API_KEY",
    "ODCLOUD_API_KEY", "ODCLOUD_SERVICE_KEY", "DATA_GO_KR_BASE_URL", "ODCLOUD_BASE_URL", "CACHE_PATH",
    "MCP_PORT", "AUTH_PORT", "MCP_UPSTREAM", "AUTH_UPSTREAM", "LOG_LEVEL", "CADDY_EMAIL_OPTION",
    "OAUTH_REFRESH_TTL", "OAUTH_REDIRECT_URIS", "OAUTH_STATE_PATH",
    "OWNER_PASSWORD_HASH", "OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK", "STATUS_PAGE", "DATA_GO_KR_DAILY_QUOTA",
    "CADDY_FALLBACK_SITE",
)  # fmt: skip


def base_env(home: Path, **values: str) -> dict[str, str]:
    """A clean child environment: PATH, a private HOME/XDG (Caddy writes its storage there)."""
    env = {key: "" for key in CONFIG_KEYS}
    env.update(
        PATH=os.environ.get("PATH", "/usr/bin:/bin"),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        LANG="C.UTF-8",
        PYTHONPATH=str(REPO),
        LOG_LEVEL="info",
        CACHE_PATH="off",
        OAUTH_STATE_PATH=str(home / "oauth.sqlite3"),  # the gateway's refresh tokens, one file per stack
        DISCOVERY_DIR=str(home / "discovery"),  # written by the stack's gateway, served by its Caddy
    )
    env.update(values)
    return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    port: int | None = None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.popen.returncode

    def fail(self, message: str) -> AssertionError:
        tail = "\n".join(self.log().splitlines()[-40:])
        return AssertionError(f"{self.name}: {message}\n--- last lines of {self.log_path} ---\n{tail}")


def spawn(
    name: str, argv: list[str], env: Mapping[str, str], log_dir: Path, port: int | None = None
) -> Process:
    log_path = log_dir / f"{name}.log"
    with log_path.open("ab") as log_file:
        # cwd is the log directory, not the repository: the MCP server reads a .env in its working
        # directory, and a developer's own .env must not leak into a test. PYTHONPATH finds the code.
        popen = subprocess.Popen(
            argv,
            env=dict(env),
            cwd=log_dir,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return Process(name=name, popen=popen, log_path=log_path, port=port)


def http_status(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_for_http(process: Process, url: str, timeout: float = 45.0) -> None:
    """Until url answers anything over HTTP; raise with the process log if it dies or never answers."""
    deadline = time.monotonic() + timeout
    while http_status(url) is None:
        if not process.alive():
            raise process.fail(f"exited with code {process.popen.returncode} before answering {url}")
        if time.monotonic() > deadline:
            raise process.fail(f"did not answer {url} within {timeout:.0f}s")
        time.sleep(0.05)


def start_gateway(env: Mapping[str, str], log_dir: Path, name: str = "auth-gateway") -> Process:
    port = free_port()
    process = spawn(
        name,
        [str(VENV_BIN / "python"), "-m", "auth_gateway", "--host", "127.0.0.1", "--port", str(port)],
        env,
        log_dir,
        port,
    )
    wait_for_http(process, f"http://127.0.0.1:{port}/healthz")
    return process


def start_caddy(
    env: Mapping[str, str], log_dir: Path, name: str = "caddy", port: int | None = None
) -> Process:
    """Caddy with the repository's Caddyfile on http://127.0.0.1:PORT, listening on loopback only, as
    ./scripts/dev does for a local site (env must set the upstreams, and DISCOVERY_DIR where the
    stack's gateway writes the discovery documents)."""
    port = port or free_port()
    env = {
        **env,
        "SITE_ADDRESS": f"http://127.0.0.1:{port}",
        "CADDY_BIND_OPTION": "default_bind 127.0.0.1",
        "CADDY_FALLBACK_SITE": f"http://:{port}",  # other host names on this port: the 404 with a hint
    }
    process = spawn(
        name,
        [str(CADDY), "run", "--adapter", "caddyfile", "--config", str(REPO / "Caddyfile")],
        env,
        log_dir,
        port,
    )
    # A path Caddy answers itself (200, or 404 when the gateway wrote no such document): / would ask the
    # gateway, and it the MCP server.
    wait_for_http(process, f"http://127.0.0.1:{port}/.well-known/oauth-protected-resource")
    return process


@dataclass
class RecordingMcpServer:
    """The real MCP app in its own process, appending every request it receives to a JSON-lines file."""

    process: Process
    record_path: Path
    seen: int = field(default=0)

    @property
    def upstream(self) -> str:
        return f"127.0.0.1:{self.process.port}"

    def requests(self) -> list[dict[str, Any]]:
        if not self.record_path.exists():
            return []
        lines = self.record_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def new_requests(self) -> list[dict[str, Any]]:
        """Requests received since the previous call (each test looks only at its own)."""
        everything = self.requests()
        fresh, self.seen = everything[self.seen :], len(everything)
        return fresh


def start_recording_mcp_server(env: Mapping[str, str], log_dir: Path) -> RecordingMcpServer:
    port = free_port()
    record_path = log_dir / "mcp-requests.jsonl"
    process = spawn(
        "mcp-server",
        [
            str(VENV_BIN / "python"), "-m", "tests.e2e.recording_mcp_server",
            "--port", str(port), "--record", str(record_path),
        ],
        env,
        log_dir,
        port,
    )  # fmt: skip
    wait_for_http(process, f"http://127.0.0.1:{port}/healthz")
    server = RecordingMcpServer(process=process, record_path=record_path)
    server.new_requests()  # the health probes above are not part of any test
    return server


@dataclass
class Stack:
    """Caddy and the gateway of one configuration, in front of the shared recording MCP server."""

    url: str
    env: dict[str, str]
    gateway: Process
    caddy: Process
    mcp: RecordingMcpServer

    def stop(self) -> None:
        self.caddy.stop()
        self.gateway.stop()


class Stacks:
    """The stacks one fixture scope starts, each in its own new directory, all stopped when it ends."""

    def __init__(self, homes: Callable[[str], Path], mcp: RecordingMcpServer) -> None:
        self.homes = homes  # e.g. tmp_path_factory.mktemp
        self.mcp = mcp
        self.started: list[Stack] = []

    def start(self, name: str, **config: str) -> Stack:
        stack = start_stack(self.homes(name), self.mcp, **config)
        self.started.append(stack)
        return stack

    def __enter__(self) -> Stacks:
        return self

    def __exit__(self, *_: object) -> None:
        for stack in reversed(self.started):
            stack.stop()


def start_stack(home: Path, mcp: RecordingMcpServer, **config: str) -> Stack:
    """Gateway, then Caddy, with PUBLIC_BASE_URL = Caddy's own loopback URL (chosen up front)."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = base_env(home, PUBLIC_BASE_URL=url, **config)
    gateway = start_gateway({**env, "MCP_UPSTREAM": mcp.upstream}, home)
    try:
        caddy_env = {**env, "MCP_UPSTREAM": mcp.upstream, "AUTH_UPSTREAM": f"127.0.0.1:{gateway.port}"}
        caddy = start_caddy(caddy_env, home, port=port)
    except BaseException:
        gateway.stop()
        raise
    return Stack(url=url, env=env, gateway=gateway, caddy=caddy, mcp=mcp)
