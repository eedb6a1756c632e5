"""The compose smoke run's shared pieces: the engine, plugin and base images (prepared once, stopped
again unless --compose-keep), the compose project, and the tool names the checkout's server registers.

Collected only with `pytest --compose-smoke` (tests/conftest.py), as `sudo ./scripts/compose-smoke`
runs it: it needs root, a Docker engine (or apt-get to install one) and a few minutes.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.compose.base_images import ensure_base_images
from tests.compose.engine import SmokeError, ensure_compose, ensure_engine, run, step, stop_engine
from tests.compose.stack import PROJECT, Stack
from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def keep(pytestconfig: pytest.Config) -> bool:
    return bool(pytestconfig.getoption("--compose-keep"))


@pytest.fixture(scope="session")
def engine(keep: bool) -> Iterator[None]:
    if os.geteuid() != 0:
        pytest.exit("compose smoke: run as root (it may install packages, start dockerd and debootstrap)", 2)
    started = time.monotonic()
    daemon = ensure_engine()
    try:
        ensure_compose()
        ensure_base_images(ROOT)
        step(f"engine, plugin and base images ready after {time.monotonic() - started:.0f} s")
        yield
    finally:
        if daemon is not None and keep:
            print(f"--    --keep: dockerd (pid {daemon.pid}) keeps running; stop it with kill {daemon.pid}")
        elif daemon is not None:
            stop_engine(daemon)


@pytest.fixture(scope="session")
def project(engine: None, tmp_path_factory: pytest.TempPathFactory, keep: bool) -> Iterator[Stack]:
    """The compose project; whatever runs in it is removed at the end (images stay for the next run)."""
    stack = Stack(ROOT, tmp_path_factory.mktemp("compose-smoke"), free_port())
    step(f"compose project {PROJECT}, Caddy on {stack.url}")
    yield stack
    if keep:
        print(f"--    --keep: the stack stays up on {stack.url}")
        print(f"      stop it: docker compose -p {PROJECT} down --volumes")
    else:
        stack.down()


@pytest.fixture(scope="session")
def expected_tools() -> list[str]:
    """The tool names the server's code registers, from the checkout (not from the running stack), in a
    process that sees none of the shell's variables."""
    code = (
        "import asyncio\n"
        "from mcp_server.config import Settings\n"
        "from mcp_server.server import create_server\n"
        "tools = asyncio.run(create_server(Settings(_env_file=None)).list_tools())\n"
        "print('\\n'.join(sorted(tool.name for tool in tools)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
    return run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(ROOT)}).split()


def deploy(stack: Stack, env_text: str, label: str) -> None:
    """`compose up -d --build --wait` with this env file; a failure shows the services' last log lines."""
    try:
        seconds = stack.up(env_text)
    except (SmokeError, subprocess.TimeoutExpired) as error:
        logs = ""
        with contextlib.suppress(SmokeError):
            logs = stack.compose("logs", "--tail", "40")[-6000:]
        pytest.fail(f"{label}: compose up failed: {error}\n{logs}", pytrace=False)
    step(f"{label}: up -d --build --wait took {seconds:.0f} s")
