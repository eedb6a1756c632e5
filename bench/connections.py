"""Open sockets with 100 idle SDK clients connected: bounded at Caddy and at the MCP server.

  .venv/bin/python bench/connections.py [--clients 100]

`./scripts/dev` in AUTH_MODE=none. 100 MCP SDK clients connect (initialize) and make one tool call,
then stay connected and idle; 100 more raw clients ask `GET /mcp` for the server-to-client stream (405
since the Caddyfile answers it) and keep their connection open. Established TCP sockets per process are
counted with `ss` at three moments: all clients connected and idle, 5 s later, and after the clients
closed. Results: bench/results/connections.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.dev_stack import dev_stack, machine
from tests.e2e.mcp_client import apartment_trades, connect
from tests.support.fixture_upstream.server import FixtureUpstream

RESULTS = Path(__file__).resolve().parent / "results" / "connections.json"


def established(pids: dict[str, int]) -> dict[str, int]:
    """Established TCP sockets owned by each process (both directions)."""
    lines = subprocess.run(
        ["ss", "-Htnp", "state", "established"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return {name: sum(f"pid={pid}," in line for line in lines) for name, pid in pids.items()}


async def measure(url: str, clients: int, pids: dict[str, int]) -> dict[str, Any]:
    counts: dict[str, Any] = {"before": established(pids)}
    get_statuses: list[int] = []
    async with AsyncExitStack() as stack:
        connected = [await stack.enter_async_context(connect(url)) for _ in range(clients)]
        await asyncio.gather(*(apartment_trades(client) for client in connected))
        raw = [await stack.enter_async_context(httpx.AsyncClient(timeout=10)) for _ in range(clients)]
        for http in raw:
            response = await http.get(url, headers={"Accept": "text/event-stream"})
            get_statuses.append(response.status_code)
        counts["all_connected_idle"] = established(pids)
        await asyncio.sleep(5)
        counts["after_5s_idle"] = established(pids)
    await asyncio.sleep(1)
    counts["after_clients_closed"] = established(pids)
    counts["get_mcp_statuses"] = sorted(set(get_statuses))
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    args = parser.parse_args()
    started = time.time()
    with FixtureUpstream() as upstream, dev_stack(upstream, AUTH_MODE="none") as stack:
        pids = stack.pids()
        counts = asyncio.run(measure(f"{stack.url}/mcp", args.clients, pids))
    result = {
        "benchmark": "connections",
        "command": "python bench/connections.py " + " ".join(sys.argv[1:]),
        "clients": {"sdk_idle": args.clients, "raw_get_mcp": args.clients},
        "machine": machine(),
        "seconds": round(time.time() - started, 1),
        "established_tcp_sockets": counts,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
