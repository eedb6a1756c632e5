"""Benchmark what an MCP client pays per call: tools/list, a cache hit, a cold month, a 12-month trend.

  .venv/bin/python bench/mcp_protocol.py [--rounds 30] [--cold-rounds 5] [--delay 0.15] [--out FILE]

The MCP server runs under uvicorn on loopback (stateless streamable HTTP, as deployed) and the SDK client
calls it over a real socket; the fixture upstream adds ``--delay`` seconds to every request, standing in
for data.go.kr. Every figure is the median of ``--rounds`` calls in the same run, and each target is a
ratio against a baseline measured alongside it:

- ``tools/list``: bytes of the JSON-RPC answer on the wire, its latency as a bare HTTP POST vs ``ping``
  (the floor of any request), and through the SDK client (which also parses the answer) vs
  ``get_current_year_month``;
- a warm (cached) month of ``get_apartment_trades`` vs ``get_current_year_month`` (target ≤ 2×);
- ``get_price_trend`` over 12 cold months vs one cold month (target ≤ 3×), when the server has it.

The figures are printed and written as JSON to ``bench/results/mcp_protocol.json`` (git-ignored: they
belong to one machine and one moment; bench/README.md keeps the reviewed summary).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_server.config import Settings
from mcp_server.server import create_http_app
from tests.e2e.mcp_client import json_rpc_answer
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.uvicorn_thread import serve_in_thread

REGION = "11440"
MONTH = "202501"  # the fixture month with 250 apartment trades
# 12 fixture months with deals, where the fixtures have them (tests/fixtures/upstream/series); months
# without a fixture are empty months to the fixture upstream, which still cost one request each.
TREND = {"region_code": REGION, "start_month": "202302", "end_month": "202401"}
RESULTS = Path(__file__).resolve().parent / "results" / "mcp_protocol.json"
_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def settings_for(up: FixtureUpstream, cache_path: str) -> Settings:
    return Settings(
        DATA_GO_KR_API_KEY="bench-key",
        DATA_GO_KR_BASE_URL=up.data_go_kr_base_url,
        ODCLOUD_BASE_URL=up.odcloud_base_url,
        CACHE_PATH=cache_path,
        PUBLIC_BASE_URL=None,
        SITE_ADDRESS=None,
        MCP_ALLOWED_HOSTS="",
        LOG_LEVEL="warning",
    )


async def median_ms(rounds: int, call: Callable[[], Awaitable[Any]]) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def raw_post(base_url: str, method: str, rounds: int) -> tuple[int, float]:
    """Bytes of the answer to ``method`` as sent, and its median time as a bare HTTP POST (one
    keep-alive connection, no MCP client parsing the answer; the stateless server needs no session)."""
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": {}}
    timings, size = [], 0
    with httpx.Client(timeout=30) as http:
        for _ in range(rounds + 3):
            started = time.perf_counter()
            response = http.post(f"{base_url}/mcp", json=body, headers=_HEADERS)
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            size = len(response.content)
    answer = json_rpc_answer(response)  # an SSE stream, or one JSON body
    assert "result" in answer, response.text[:200]
    return size, statistics.median(timings[3:])


async def warm_figures(base_url: str, rounds: int) -> dict[str, Any]:
    """tools/list, a trivial tool and a cached month, interleaved in one client session."""
    async with (
        httpx2.AsyncClient(timeout=60) as http,
        Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
    ):
        names = {tool.name for tool in (await client.list_tools()).tools}
        month_args = {"region_code": REGION, "year_month": MONTH}
        first = await client.call_tool("get_apartment_trades", month_args)  # fills the cache
        assert not first.is_error, first.content

        async def trivial() -> None:
            assert not (await client.call_tool("get_current_year_month", {})).is_error

        async def cached_month() -> None:
            result = await client.call_tool("get_apartment_trades", month_args)
            assert result.structured_content["source"]["from_cache"] is True

        async def listing() -> None:
            await client.list_tools()

        for _ in range(3):  # warm up both paths (imports, adapters, SQLite pages)
            await trivial()
            await cached_month()
        trivial_ms, cached_ms, list_ms = [], [], []
        for _ in range(rounds):  # interleaved, so machine noise hits all three alike
            trivial_ms.append(await median_ms(1, trivial))
            cached_ms.append(await median_ms(1, cached_month))
            list_ms.append(await median_ms(1, listing))
        text_bytes = len(first.content[0].text) if first.content else 0  # type: ignore[union-attr]
    trivial, cached, listed = (statistics.median(x) for x in (trivial_ms, cached_ms, list_ms))
    return {
        "tools": len(names),
        "has_trend": "get_price_trend" in names,
        "trivial_ms": round(trivial, 2),
        "cached_month_ms": round(cached, 2),
        "cached_vs_trivial": round(cached / trivial, 2),
        "tools_list_ms": round(listed, 2),
        "tools_list_vs_trivial": round(listed / trivial, 2),
        "month_text_bytes": text_bytes,
    }


async def cold_figures(up: FixtureUpstream, rounds: int, has_trend: bool) -> dict[str, Any]:
    """One cold month vs a cold 12-month trend: a fresh cache file for every call."""

    async def once(tool: str, args: dict[str, Any]) -> float:
        with tempfile.TemporaryDirectory() as folder:
            app = create_http_app(settings_for(up, f"{folder}/cache.sqlite3"))
            with serve_in_thread(app) as base_url:
                async with (
                    httpx2.AsyncClient(timeout=120) as http,
                    Client(streamable_http_client(f"{base_url}/mcp", http_client=http)) as client,
                ):
                    started = time.perf_counter()
                    result = await client.call_tool(tool, args)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert not result.is_error, result.content
                    return elapsed

    month_args = {"region_code": REGION, "year_month": MONTH}
    month = [await once("get_apartment_trades", month_args) for _ in range(rounds)]
    figures: dict[str, Any] = {"cold_month_ms": round(statistics.median(month), 1)}
    if not has_trend:
        print("  get_price_trend: not on this server, trend line skipped")
        return figures
    trend = [await once("get_price_trend", TREND) for _ in range(rounds)]
    figures["cold_trend_12_months_ms"] = round(statistics.median(trend), 1)
    figures["trend_vs_month"] = round(statistics.median(trend) / statistics.median(month), 2)
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30, help="calls per warm figure")
    parser.add_argument("--cold-rounds", type=int, default=5, help="calls per cold figure")
    parser.add_argument("--delay", type=float, default=0.15, help="seconds added to every upstream answer")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the figures as JSON")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per upstream request otherwise
    with FixtureUpstream(slow_seconds=args.delay) as up, tempfile.TemporaryDirectory() as folder:
        up.scenario = "slow" if args.delay > 0 else None
        app = create_http_app(settings_for(up, f"{folder}/cache.sqlite3"))
        with serve_in_thread(app) as base_url:
            _, ping_ms = raw_post(base_url, "ping", args.rounds)
            size, raw_ms = raw_post(base_url, "tools/list", args.rounds)
            warm = await warm_figures(base_url, args.rounds)
        cold = await cold_figures(up, args.cold_rounds, warm["has_trend"])
    figures = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "upstream_delay_ms": round(args.delay * 1000),
        "rounds": args.rounds,
        "tools_list_bytes": size,
        "ping_http_ms": round(ping_ms, 2),
        "tools_list_http_ms": round(raw_ms, 2),
        "tools_list_vs_ping": round(raw_ms / ping_ms, 2),
        **warm,
        **cold,
    }
    print(json.dumps(figures, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
