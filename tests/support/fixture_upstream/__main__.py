"""``python -m tests.support.fixture_upstream``: the fixture upstream as its own process.

For a stack run by hand that needs data.go.kr and odcloud stand-ins without pytest around it: it prints
the two base URLs to point the MCP server at, then serves in the foreground until killed.
"""

from __future__ import annotations

import argparse

from tests.support.fixture_upstream.server import FixtureUpstream


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.fixture_upstream",
        description="Serve the shared upstream fixtures on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    args = parser.parse_args()
    upstream = FixtureUpstream(args.port, slow_seconds=args.slow_seconds)
    print(f"DATA_GO_KR_BASE_URL={upstream.data_go_kr_base_url}", flush=True)
    print(f"ODCLOUD_BASE_URL={upstream.odcloud_base_url}", flush=True)
    upstream.serve()


if __name__ == "__main__":
    main()
