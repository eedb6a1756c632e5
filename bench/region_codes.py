"""Benchmark the region index: start-up cost of the bundled snapshot and lookups per second.

  .venv/bin/python bench/region_codes.py [--rounds 20] [--seconds 2]

Start-up is measured as the server pays it (read the packaged JSON, parse, build every dictionary),
repeated to get a median; lookups cycle through typical queries, from exact 시군구 names to unspaced
and ambiguous ones.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mcp_server.regions.index.lookup import RegionIndex

QUERIES = [
    "마포구",
    "서울 마포구",
    "서울특별시마포구",
    "분당",
    "공덕동",
    "화성시 동탄구",
    "중구",
    "성남시",
    "경기도 성남시 분당구 정자동",
    "41135",
    "28110",
    "강원도 춘천시",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()

    data_dir = resources.files("mcp_server.regions").joinpath("data")
    snapshot_bytes = data_dir.joinpath("region_codes.json").read_bytes()
    successors_text = data_dir.joinpath("region_successors.json").read_text(encoding="utf-8")

    loads = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        index = RegionIndex(json.loads(snapshot_bytes.decode("utf-8")), json.loads(successors_text))
        loads.append(time.perf_counter() - started)

    count = 0
    deadline = time.perf_counter() + args.seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        for query in QUERIES:
            index.resolve(query)
        count += len(QUERIES)
    elapsed = time.perf_counter() - started

    print(f"snapshot: {len(snapshot_bytes) / 1024:.1f} KiB, {index.snapshot.district_count} 시군구")
    print(f"load+build: median {statistics.median(loads) * 1000:.1f} ms, max {max(loads) * 1000:.1f} ms")
    print(f"lookups: {count / elapsed:,.0f}/s over {len(QUERIES)} query kinds ({count:,} in {elapsed:.1f} s)")


if __name__ == "__main__":
    main()
