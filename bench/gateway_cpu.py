"""What one forward_auth request costs the gateway in CPU, measured on the gateway process itself.

  .venv/bin/python bench/gateway_cpu.py [--requests 4000]

Every /mcp request makes Caddy send one `GET /verify` to the gateway, in AUTH_MODE=none too. This
starts `python -m auth_gateway` as a user runs it (uvicorn, LOG_LEVEL=info, so the decision line is
written), sends `--requests` forward_auth-shaped requests from 16 keep-alive connections, and divides the
CPU time the gateway process used (user + system, from /proc/<pid>/stat) by the request count. Unlike a
requests-per-second figure this does not depend on the load generator's speed or on what else the
machine runs, so it can be compared across runs and commits. Scenarios: AUTH_MODE=none, an issuer
(RS256) token and an own (HS256) token, both cached after their first use as a client reuses its token.
Results: bench/results/gateway_cpu.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.dev_stack import machine
from tests.e2e.mcp_client import own_token
from tests.support.oidc_issuer.issuer import OidcTestIssuer
from tests.support.ports import free_port, wait_for_port

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "gateway_cpu.json"
PUBLIC_BASE_URL = "https://mcp.example.test"
RESOURCE = f"{PUBLIC_BASE_URL}/mcp"
CLIENT_ID = "bench-client"
CLIENT_SECRET = "bench-secret-" + "g" * 40
CONNECTIONS = 16
FORWARD_AUTH_HEADERS = {
    "X-Forwarded-Method": "POST",
    "X-Forwarded-Uri": "/mcp",
    "X-Forwarded-For": "127.0.0.1",
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def gateway(**config: str) -> Iterator[tuple[str, int]]:
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as tmp:
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "OAUTH_STATE_PATH": str(Path(tmp) / "oauth.sqlite3"),
            "DISCOVERY_DIR": str(Path(tmp) / "discovery"),
            "LOG_LEVEL": "info",
            **config,
        }
        with (Path(tmp) / "gateway.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "auth_gateway", "--port", str(port)],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for_port(port)
            yield f"http://127.0.0.1:{port}", process.pid
        finally:
            process.terminate()
            process.wait(timeout=10)


async def cpu_per_request(base_url: str, pid: int, headers: dict[str, str], requests: int) -> float:
    """Microseconds of gateway CPU per /verify, after a warm-up that also fills the token cache."""
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits) as client:

        async def send(count: int) -> None:
            for _ in range(count):
                response = await client.get("/verify")
                if response.status_code != 200:
                    raise SystemExit(f"/verify answered {response.status_code}: the benchmark setup is wrong")

        await asyncio.gather(*(send(20) for _ in range(CONNECTIONS)))
        before = cpu_seconds(pid)
        await asyncio.gather(*(send(requests // CONNECTIONS) for _ in range(CONNECTIONS)))
        used = cpu_seconds(pid) - before
    return used / (requests // CONNECTIONS * CONNECTIONS) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests per scenario (default 4000)")
    args = parser.parse_args()
    results: dict[str, float] = {}
    with gateway(AUTH_MODE="none") as (url, pid):
        none = cpu_per_request(url, pid, FORWARD_AUTH_HEADERS, args.requests)
        results["AUTH_MODE=none"] = asyncio.run(none)
    with (
        OidcTestIssuer(audience=RESOURCE) as issuer,
        gateway(
            AUTH_MODE="oauth",
            OAUTH_ISSUER=issuer.issuer,
            OAUTH_CLIENT_ID=CLIENT_ID,
            OAUTH_CLIENT_SECRET=CLIENT_SECRET,
        ) as (url, pid),
    ):
        for name, token in (
            ("issuer token (cached)", issuer.mint(exp_in=3600)),
            ("own token (cached)", own_token(url, CLIENT_ID, CLIENT_SECRET)),
        ):
            headers = {**FORWARD_AUTH_HEADERS, "Authorization": f"Bearer {token}"}
            results[name] = asyncio.run(cpu_per_request(url, pid, headers, args.requests))
    print(f"\ngateway CPU per forward_auth request ({args.requests} requests per scenario)\n")
    for name, micros in results.items():
        print(f"{name:<24}{micros:>10.0f} µs")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "gateway_cpu",
                "command": "python bench/gateway_cpu.py " + " ".join(sys.argv[1:]),
                "machine": machine(),
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "requests": args.requests,
                "cpu_us_per_request": {name: round(micros, 1) for name, micros in results.items()},
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
