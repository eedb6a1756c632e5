"""The stack as a user runs it without Docker: `./scripts/dev` on free loopback ports, for benchmarks.

The fixture upstream (tests/support/fixture_upstream/) stands in for data.go.kr and the month cache
lives in a temporary directory, so a benchmark measures the stack and not the network.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.ports import free_port

REPO = Path(__file__).resolve().parents[1]
STARTED = re.compile(r"started (?P<name>[\w-]+) \(pid (?P<pid>\d+)\)")


@dataclass
class DevStack:
    url: str
    log_path: Path
    home: Path

    def pids(self) -> dict[str, int]:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return {m["name"]: int(m["pid"]) for m in STARTED.finditer(text)}


@contextmanager
def dev_stack(upstream: FixtureUpstream, **config: str) -> Iterator[DevStack]:
    """./scripts/dev with AUTH_MODE etc. from config; stopped with SIGINT (Ctrl-C) on exit."""
    with tempfile.TemporaryDirectory(prefix="bench-dev-") as tmp:
        home = Path(tmp)
        caddy_port = free_port()
        url = f"http://127.0.0.1:{caddy_port}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "LANG": "C.UTF-8",
            "LOG_LEVEL": "warning",
            "SITE_ADDRESS": url,
            "PUBLIC_BASE_URL": url,
            "MCP_PORT": str(free_port()),
            "AUTH_PORT": str(free_port()),
            "CACHE_PATH": str(home / "cache.sqlite3"),
            "DATA_GO_KR_API_KEY": "bench-service-key",
            "DATA_GO_KR_BASE_URL": upstream.data_go_kr_base_url,
            "ODCLOUD_BASE_URL": upstream.odcloud_base_url,
            **config,
        }
        log_path = home / "dev.log"
        with log_path.open("ab") as log:
            runner = subprocess.Popen(
                [str(REPO / "scripts" / "dev")],
                env=env,
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        stack = DevStack(url=url, log_path=log_path, home=home)
        try:
            deadline = time.monotonic() + 120
            while "real-estate-mcp is running" not in log_path.read_text(errors="replace"):
                if runner.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"./scripts/dev did not start:\n{log_path.read_text(errors='replace')}"
                    )
                time.sleep(0.1)
            yield stack
        finally:
            runner.send_signal(signal.SIGINT)
            try:
                runner.wait(timeout=30)
            except subprocess.TimeoutExpired:
                runner.kill()
                runner.wait()


def machine() -> dict[str, str | int | None]:
    """What the figures came from."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
