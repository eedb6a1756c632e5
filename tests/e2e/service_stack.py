"""The production MCP server (`python -m mcp_server --transport http`) behind the gateway and Caddy.

The recording MCP server of stack_processes proves what reaches the MCP server; load and fault tests
instead need the service exactly as deployed (its uvicorn options, its SQLite cache), with its own
configuration (a cache file, short upstream timeouts) per test module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.stack_processes import (
    VENV_BIN,
    Process,
    base_env,
    spawn,
    start_caddy,
    start_gateway,
    wait_for_http,
)
from tests.support.ports import free_port


def start_mcp_server(
    env: Mapping[str, str], log_dir: Path, name: str = "mcp-server", port: int | None = None
) -> Process:
    port = port or free_port()
    process = spawn(
        name,
        [
            str(VENV_BIN / "python"), "-m", "mcp_server", "--transport", "http",
            "--host", "127.0.0.1", "--port", str(port),
        ],
        env,
        log_dir,
        port,
    )  # fmt: skip
    wait_for_http(process, f"http://127.0.0.1:{port}/healthz")
    return process


@dataclass
class ServiceStack:
    url: str
    env: dict[str, str]
    mcp_env: dict[str, str]
    mcp: Process
    gateway: Process
    caddy: Process

    @property
    def processes(self) -> tuple[Process, ...]:
        return (self.caddy, self.gateway, self.mcp)

    def restart_mcp_server(self) -> None:
        """What a container restart gives: a new process on the same port, memory empty, the same
        SQLite cache file. Caddy is left alone, as in compose."""
        self.mcp.stop()
        self.mcp = start_mcp_server(self.mcp_env, Path(self.env["HOME"]), port=self.mcp.port)

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


def start_service_stack(home: Path, mcp_env: Mapping[str, str], **config: str) -> ServiceStack:
    """MCP server (with mcp_env on top of config), gateway, then Caddy on a port chosen up front."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = base_env(home, PUBLIC_BASE_URL=url, **config)
    started: list[Process] = []
    try:
        started.append(start_mcp_server({**env, **mcp_env}, home))
        started.append(start_gateway({**env, "MCP_UPSTREAM": f"127.0.0.1:{started[0].port}"}, home))
        mcp, gateway = started
        caddy_env = {
            **env,
            "MCP_UPSTREAM": f"127.0.0.1:{mcp.port}",
            "AUTH_UPSTREAM": f"127.0.0.1:{gateway.port}",
        }
        caddy = start_caddy(caddy_env, home, port=port)
    except BaseException:
        for process in started:
            process.stop()
        raise
    return ServiceStack(url=url, env=env, mcp_env={**env, **mcp_env}, mcp=mcp, gateway=gateway, caddy=caddy)
