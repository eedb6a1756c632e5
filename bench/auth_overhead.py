"""What authentication costs through the whole stack: `./scripts/dev` with AUTH_MODE=none against
AUTH_MODE=oauth with an issuer JWT and with our own client_credentials token.

  .venv/bin/python bench/auth_overhead.py [--rounds 3] [--calls-per-cell 320]

Driver: asyncio with the official MCP SDK client (tests/e2e/mcp_client.py), one SDK client (own
connection pool) per simulated user, connected before timing starts. Both stacks run at once and the
cells are interleaved round by round, so machine noise hits all three modes alike; the order of the
three modes rotates from round to round (use a multiple of 3 rounds), so none of them always runs right
after another cell on the same stack, and each cell starts after a collection and a short settle so the
previous cell's teardown is not billed to it. Each client makes at least 10 calls a cell (at 64 clients
that is 640 calls, not 320), so the start and end of a cell do not dominate it. Each figure is the median
over the rounds. Calls: `tools/list` and a cached `tools/call`
(get_apartment_trades for a month the cache already holds), at 16 and 64 concurrent clients.
Results: bench/results/auth_overhead.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mcp import Client

from bench.dev_stack import dev_stack, machine
from tests.e2e.mcp_client import APARTMENT_TRADES, apartment_trades, connect, own_token
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.oidc_issuer.issuer import OidcTestIssuer

RESULTS = Path(__file__).resolve().parent / "results" / "auth_overhead.json"
CLIENT_ID = "bench-client"
CLIENT_SECRET = "bench-secret-" + "c" * 40
CONCURRENCY = (16, 64)
MIN_CALLS_PER_CLIENT = 10
SETTLE_SECONDS = 1.0

Operation = Callable[[Client], Awaitable[Any]]


async def list_tools(client: Client) -> Any:
    return await client.list_tools()


async def cached_call(client: Client) -> Any:
    result = await client.call_tool(*APARTMENT_TRADES)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    assert result.structured_content["source"]["from_cache"] is True
    return result


OPERATIONS: dict[str, Operation] = {"tools/list": list_tools, "tools/call (cached)": cached_call}


async def cell(
    url: str, headers: dict[str, str], clients: int, calls: int, operation: Operation
) -> dict[str, float]:
    """`clients` connected SDK clients, each making calls/clients calls back to back; latencies in ms."""
    per_client = max(MIN_CALLS_PER_CLIENT, calls // clients)
    latencies: list[float] = []
    async with AsyncExitStack() as stack:
        connected = [await stack.enter_async_context(connect(url, headers=headers)) for _ in range(clients)]

        async def run(client: Client) -> None:
            for _ in range(per_client):
                started = time.perf_counter()
                await operation(client)
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(run(client) for client in connected))
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "requests_per_second": len(latencies) / wall,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def median_cell(samples: list[dict[str, float]]) -> dict[str, Any]:
    medians: dict[str, Any] = {
        key: round(statistics.median(s[key] for s in samples), 2) for key in samples[0]
    }
    medians["rounds_requests_per_second"] = [round(s["requests_per_second"], 2) for s in samples]
    return medians


async def measure(
    modes: dict[str, tuple[str, dict[str, str]]], rounds: int, calls: int
) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    samples: dict[tuple[str, str, int], list[dict[str, float]]] = {}
    for url, headers in modes.values():  # warm: the month in the cache, the token verified
        async with connect(url, headers=headers) as client:
            await apartment_trades(client)
            await client.list_tools()
    for round_number in range(rounds):
        for clients in CONCURRENCY:
            for op_name, operation in OPERATIONS.items():
                names = list(modes)
                shift = round_number % len(names)
                for mode in names[shift:] + names[:shift]:
                    url, headers = modes[mode]
                    gc.collect()
                    await asyncio.sleep(SETTLE_SECONDS)
                    result = await cell(url, headers, clients, calls, operation)
                    samples.setdefault((op_name, mode, clients), []).append(result)
                    print(
                        f"round {round_number + 1} {op_name:20} {mode:16} {clients:3} clients: "
                        f"{result['requests_per_second']:7.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                        f"p99 {result['p99_ms']:6.1f} ms",
                        flush=True,
                    )
    table: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for (op_name, mode, clients), values in samples.items():
        table.setdefault(op_name, {}).setdefault(str(clients), {})[mode] = median_cell(values)
    return table


def ratios(table: dict[str, dict[str, dict[str, dict[str, Any]]]]) -> dict[str, Any]:
    """Two estimates of with-auth over without: the ratio of the medians, and the median of the ratios
    within each round (paired: a round's cells ran within a minute of each other, so a slow spell of the
    machine hits both sides of a pair and cancels)."""
    out: dict[str, Any] = {}
    for op_name, by_clients in table.items():
        for clients, by_mode in by_clients.items():
            none = by_mode["none"]
            for mode in ("oauth_issuer_jwt", "oauth_own_token"):
                out[f"{op_name} @{clients} {mode}"] = {
                    "rps_ratio_vs_none": round(
                        by_mode[mode]["requests_per_second"] / none["requests_per_second"], 3
                    ),
                    "paired_rps_ratio_median": round(
                        statistics.median(
                            with_auth / without
                            for with_auth, without in zip(
                                by_mode[mode]["rounds_requests_per_second"],
                                none["rounds_requests_per_second"],
                                strict=True,
                            )
                        ),
                        3,
                    ),
                    "p50_added_ms": round(by_mode[mode]["p50_ms"] - none["p50_ms"], 2),
                }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls-per-cell", type=int, default=320)
    args = parser.parse_args()
    started = time.time()
    with (
        FixtureUpstream() as upstream,
        OidcTestIssuer() as issuer,
        dev_stack(upstream, AUTH_MODE="none") as open_stack,
        dev_stack(
            upstream,
            AUTH_MODE="oauth",
            OAUTH_ISSUER=issuer.issuer,
            OAUTH_CLIENT_ID=CLIENT_ID,
            OAUTH_CLIENT_SECRET=CLIENT_SECRET,
        ) as oauth_stack,
    ):
        resource = f"{oauth_stack.url}/mcp"
        modes = {
            "none": (f"{open_stack.url}/mcp", {}),
            "oauth_issuer_jwt": (
                resource,
                {"Authorization": f"Bearer {issuer.mint(aud=resource, exp_in=3600)}"},
            ),
            "oauth_own_token": (
                resource,
                {"Authorization": f"Bearer {own_token(oauth_stack.url, CLIENT_ID, CLIENT_SECRET)}"},
            ),
        }
        table = asyncio.run(measure(modes, args.rounds, args.calls_per_cell))
    result = {
        "benchmark": "auth_overhead",
        "command": "python bench/auth_overhead.py " + " ".join(sys.argv[1:]),
        "driver": "asyncio + official MCP SDK client (mcp.Client over streamable HTTP), one client per user",
        "stack": "./scripts/dev (Caddy from .venv-run, gateway and MCP server on loopback), fixture upstream",
        "machine": machine(),
        "rounds": args.rounds,
        "calls_per_cell": args.calls_per_cell,
        "seconds": round(time.time() - started, 1),
        "results": table,
        "vs_none": ratios(table),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["vs_none"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
