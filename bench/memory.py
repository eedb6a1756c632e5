"""Memory under sustained use: RSS of the MCP server and the gateway over 20,000 requests through Caddy.

  .venv/bin/python bench/memory.py [--requests 20000] [--concurrency 16]

`./scripts/dev` in AUTH_MODE=oauth. Requests go through Caddy as raw JSON-RPC POSTs from one asyncio
httpx client (the MCP SDK client would make the driver, not the stack, the bottleneck): a cached
`tools/call` (get_apartment_trades), `tools/list` and `ping` in turn, each with a different issuer
JWT from a pool of 5,000, so the gateway's verification cache fills and must evict. RSS (VmRSS from
/proc) is sampled every 1,000 requests; the verdict is the least-squares slope after the first 2,000
(warm-up), in KiB per 1,000 requests. Results: bench/results/memory.json.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.dev_stack import dev_stack, machine
from tests.e2e.mcp_client import APARTMENT_TRADES, MCP_HEADERS
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.oidc_issuer.issuer import OidcTestIssuer

RESULTS = Path(__file__).resolve().parent / "results" / "memory.json"
SAMPLE_EVERY = 1000
WARM_UP = 2000
TOKENS = 5000


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def bodies() -> list[bytes]:
    name, arguments = APARTMENT_TRADES
    return [
        json.dumps(message).encode()
        for message in (
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": name, "arguments": arguments},
            },
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
            {"jsonrpc": "2.0", "id": 3, "method": "ping"},
        )
    ]


def slope(points: list[tuple[int, int]]) -> float:
    """Least-squares KiB per 1,000 requests."""
    xs = [x / 1000 for x, _ in points]
    ys = [y for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    denominator = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / denominator


async def drive(
    url: str, tokens: list[str], total: int, concurrency: int, pids: dict[str, int]
) -> dict[str, Any]:
    samples: dict[str, list[tuple[int, int]]] = {name: [(0, rss_kib(pid))] for name, pid in pids.items()}
    messages = bodies()
    counter = itertools.count()
    failures = 0
    done = 0
    lock = asyncio.Lock()

    async def worker(http: httpx.AsyncClient) -> None:
        nonlocal failures, done
        while (n := next(counter)) < total:
            headers = {**MCP_HEADERS, "Authorization": f"Bearer {tokens[n % len(tokens)]}"}
            response = await http.post(url, content=messages[n % len(messages)], headers=headers)
            async with lock:
                failures += response.status_code != 200 or b'"error"' in response.content[:200]
                done += 1
                if done % SAMPLE_EVERY == 0:
                    for name, pid in pids.items():
                        samples[name].append((done, rss_kib(pid)))

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    report: dict[str, Any] = {"requests": done, "failures": failures, "seconds": round(seconds, 1)}
    for name, points in samples.items():
        steady = [p for p in points if p[0] >= WARM_UP]
        report[name] = {
            "rss_kib_samples": points,
            "rss_mib_after_warm_up": round(steady[0][1] / 1024, 1),
            "rss_mib_at_end": round(points[-1][1] / 1024, 1),
            "rss_mib_max": round(max(y for _, y in points) / 1024, 1),
            "slope_kib_per_1000_requests_after_warm_up": round(slope(steady), 1),
        }
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with (
        FixtureUpstream() as upstream,
        OidcTestIssuer() as issuer,
        dev_stack(upstream, AUTH_MODE="oauth", OAUTH_ISSUER=issuer.issuer) as stack,
    ):
        url = f"{stack.url}/mcp"
        tokens = [issuer.mint(aud=url, exp_in=7200, jti=f"m{i}") for i in range(TOKENS)]
        pids = {name: pid for name, pid in stack.pids().items() if name in ("mcp-server", "auth-gateway")}
        report = asyncio.run(drive(url, tokens, args.requests, args.concurrency, pids))
    result = {
        "benchmark": "memory",
        "command": "python bench/memory.py " + " ".join(sys.argv[1:]),
        "driver": f"asyncio httpx, raw JSON-RPC POSTs through Caddy, {args.concurrency} at a time",
        "machine": machine(),
        **report,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    summary = {k: v for k, v in result.items() if k not in ("mcp-server", "auth-gateway")}
    for name in ("mcp-server", "auth-gateway"):
        summary[name] = {k: v for k, v in report[name].items() if k != "rss_kib_samples"}
    print(json.dumps(summary, indent=2))
    return 0 if report["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
