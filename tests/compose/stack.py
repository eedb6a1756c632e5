"""The compose project under test: docker-compose.yml unchanged, Caddy on a free loopback port through
override files in a temp dir, an env file instead of .env, and plain-urllib requests through Caddy.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.compose.engine import run

PROJECT = "real-estate-mcp-smoke"
WAIT_SECONDS = 300
PROTOCOL_VERSION = "2025-06-18"


def port_overrides(port: int) -> tuple[str, str]:
    """Two override files: the first drops the 80/443 publications, the second publishes Caddy's port 80
    on loopback only (`!reset` and a new list cannot share one file in compose 2.22)."""
    reset = "services:\n  caddy:\n    ports: !reset []\n"
    publish = f'services:\n  caddy:\n    ports:\n      - "127.0.0.1:{port}:80"\n'
    return reset, publish


def oauth_env(port: int, client_id: str, client_secret: str) -> str:
    return (
        "AUTH_MODE=oauth\n"
        f"PUBLIC_BASE_URL=http://localhost:{port}\n"
        f"OAUTH_CLIENT_ID={client_id}\n"
        f"OAUTH_CLIENT_SECRET={client_secret}\n"
    )


def rpc_result(body: str) -> dict[str, Any]:
    """The JSON-RPC result of a streamable-HTTP answer, sent as JSON or as one SSE `data:` event."""
    text = body.strip()
    if not text.startswith("{"):
        data = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
        text = data[-1] if data else ""
    message = json.loads(text) if text else {}
    if not isinstance(message, dict) or not isinstance(message.get("result"), dict):
        raise ValueError(f"no JSON-RPC result in the answer: {body[:300]!r}")
    result: dict[str, Any] = message["result"]
    return result


class Stack:
    def __init__(self, root: Path, work: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.url = f"http://localhost:{port}"
        self.files: list[str] = ["-f", str(root / "docker-compose.yml")]
        for index, text in enumerate(port_overrides(port)):
            override = work / f"override-{index}.yml"
            override.write_text(text)
            self.files += ["-f", str(override)]
        self.env_file = work / "env"
        self.env_file.write_text("")
        # Only what docker itself needs: no variable of the shell reaches the compose file's interpolation.
        self.env = {
            k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG")
        }

    def compose(self, *args: str, timeout: float | None = None, stdin: str = "") -> str:
        argv = ["docker", "compose", "-p", PROJECT, "--project-directory", str(self.root),
                "--env-file", str(self.env_file)]  # fmt: skip
        return run([*argv, *self.files, *args], env=self.env, timeout=timeout, stdin=stdin)

    def up(self, env_text: str) -> float:
        self.env_file.write_text(env_text)
        started = time.monotonic()
        self.compose("up", "-d", "--build", "--wait", "--wait-timeout", str(WAIT_SECONDS), timeout=1800)
        return time.monotonic() - started

    def down(self) -> None:
        self.compose("down", "--volumes", "--remove-orphans", timeout=300)

    def container(self, service: str) -> str:
        return self.compose("ps", "-q", service).strip()

    def exec(self, service: str, *argv: str, stdin: str = "") -> str:
        """A command inside a running service's container, as the container's own user."""
        return self.compose("exec", "-T", service, *argv, stdin=stdin)


def inspect(container: str, template: str) -> str:
    return run(["docker", "inspect", "--format", template, container]).strip()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read().decode(errors="replace")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def tools_list(url: str, token: str | None = None) -> tuple[int, dict[str, str], str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": PROTOCOL_VERSION,
    }
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}).encode()
    return post(f"{url}/mcp", body, headers)


def served_tools(url: str, token: str | None = None) -> tuple[int, list[str]]:
    """HTTP status and the sorted tool names of a tools/list through Caddy (none when unreadable)."""
    status, _, body = tools_list(url, token)
    try:
        return status, sorted(tool["name"] for tool in rpc_result(body).get("tools", []))
    except (ValueError, KeyError, TypeError):
        return status, []


def client_credentials_token(url: str, client_id: str, client_secret: str) -> tuple[int, str]:
    form = f"grant_type=client_credentials&client_id={client_id}&client_secret={client_secret}".encode()
    status, _, body = post(f"{url}/oauth/token", form, {"Content-Type": "application/x-www-form-urlencoded"})
    try:
        return status, str(json.loads(body).get("access_token", "")) if status == 200 else ""
    except ValueError:
        return status, ""
