"""Benchmark a whole-month apartment-trade tool call: paging, parsing, summary and cache.

  .venv/bin/python bench/molit_month_fetch.py [--rounds 20] [--delay 0.05]

Against the fixture upstream (250 rows over pages) on loopback, for several MOLIT_PAGE_SIZE values, with
an optional per-request upstream delay standing in for data.go.kr latency (the service averages about
500 ms). Shows what fetching the remaining pages concurrently saves over reading them one by one, and
what a cache hit costs. Prints milliseconds per call (median of --rounds).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mcp import Client

from mcp_server.config import Settings
from mcp_server.server import create_server
from tests.support.fixture_upstream.server import FixtureUpstream

ARGS = {"region_code": "11440", "year_month": "202501", "limit": 30}


async def timed_calls(settings: Settings, rounds: int) -> list[float]:
    timings = []
    async with Client(create_server(settings)) as client:
        for _ in range(rounds):
            started = time.perf_counter()
            result = await client.call_tool("get_apartment_trades", ARGS)
            timings.append((time.perf_counter() - started) * 1000)
            assert not result.is_error, result.content
            assert result.structured_content["summary"]["sample_count"] == 244
    return timings


def settings_for(up: FixtureUpstream, **values: Any) -> Settings:
    return Settings(
        DATA_GO_KR_API_KEY="bench-key",
        DATA_GO_KR_BASE_URL=up.data_go_kr_base_url,
        ODCLOUD_BASE_URL=up.odcloud_base_url,
        **values,
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds added to every upstream answer")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per upstream request otherwise
    with FixtureUpstream(slow_seconds=args.delay) as up:
        up.scenario = "slow" if args.delay > 0 else None
        print(f"upstream delay {args.delay * 1000:.0f} ms, {args.rounds} rounds, median ms per call")
        for page_size, concurrency in ((1000, 4), (100, 4), (100, 1), (30, 4), (30, 1)):
            settings = settings_for(
                up, MOLIT_PAGE_SIZE=page_size, MOLIT_PAGE_CONCURRENCY=concurrency, CACHE_PATH="off"
            )
            ms = statistics.median(await timed_calls(settings, args.rounds))
            pages = -(-250 // page_size)
            print(f"  page size {page_size:4d} ({pages:2d} pages), page concurrency {concurrency}: {ms:8.1f}")
        with tempfile.TemporaryDirectory() as folder:
            settings = settings_for(up, MOLIT_PAGE_SIZE=100, CACHE_PATH=f"{folder}/cache.sqlite3")
            timings = await timed_calls(settings, args.rounds)
            print(f"  SQLite cache: first call {timings[0]:8.1f}, hits {statistics.median(timings[1:]):8.1f}")


if __name__ == "__main__":
    asyncio.run(main())
