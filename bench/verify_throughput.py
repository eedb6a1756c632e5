"""Benchmark GET /verify: what the gateway adds to every /mcp request.

  .venv/bin/python bench/verify_throughput.py [--requests 3000] [--http]

Four scenarios in one run, against the same baseline: a no-op FastAPI endpoint (the floor any
FastAPI sidecar pays), /verify with a cached valid token (the steady state: a client reuses its token),
/verify with first-seen RS256 issuer tokens (full signature check against the cached JWKS) and with
first-seen own HS256 client_credentials tokens. Tokens are minted before timing starts.

By default the ASGI apps are called directly (no socket), which isolates the gateway's own cost;
`--http` serves both apps with uvicorn on loopback and uses one keep-alive httpx client, which adds
the HTTP stack on both sides (and is dominated by the Python client).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from fastapi import FastAPI, Response

from auth_gateway.app import create_app
from auth_gateway.config import GatewaySettings
from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from tests.support.oidc_issuer.issuer import OidcTestIssuer
from tests.support.uvicorn_thread import serve_in_thread

BASE_URL = "http://127.0.0.1:8443"
RESOURCE = f"{BASE_URL}/mcp"
CLIENT_ID = "bench-client"
CLIENT_SECRET = "bench-secret-" + "b" * 40

Call = Callable[[str, str | None], Awaitable[int]]


def noop_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/noop")
    async def noop() -> Response:
        return Response(status_code=200)

    return app


def asgi_caller(app: Any) -> Call:
    """Call an ASGI app in-process with a minimal HTTP scope, as uvicorn would after parsing."""

    async def call(path: str, token: str | None) -> int:
        headers = [
            (b"host", b"127.0.0.1:9000"),
            (b"x-forwarded-method", b"POST"),
            (b"x-forwarded-uri", b"/mcp"),
        ]
        if token is not None:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 9000),
            "state": {},
        }
        status = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    return call


async def measure(call: Call, path: str, tokens: list[str | None]) -> float:
    """Requests per second over `tokens`, asserting every answer is 200."""
    started = time.perf_counter()
    for token in tokens:
        status = await call(path, token)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: the benchmark setup is wrong")
    return len(tokens) / (time.perf_counter() - started)


@contextmanager
def http_callers(gateway: Any, noop: Any) -> Iterator[tuple[Call, Call, httpx.AsyncClient]]:
    with serve_in_thread(gateway, proxy_headers=False) as gateway_url, serve_in_thread(noop) as noop_url:
        client = httpx.AsyncClient()

        def caller(base: str) -> Call:
            async def call(path: str, token: str | None) -> int:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                return (await client.get(base + path, headers=headers)).status_code

            return call

        yield caller(gateway_url), caller(noop_url), client


async def run(requests: int, over_http: bool) -> list[tuple[str, float]]:
    with OidcTestIssuer(audience=RESOURCE) as issuer, tempfile.TemporaryDirectory() as state:
        settings = GatewaySettings(
            OAUTH_STATE_PATH=str(Path(state) / "oauth.sqlite3"),  # refresh tokens, revoked sign-ins
            AUTH_MODE="oauth",
            PUBLIC_BASE_URL=BASE_URL,
            OAUTH_ISSUER=issuer.issuer,
            OAUTH_CLIENT_ID=CLIENT_ID,
            OAUTH_CLIENT_SECRET=CLIENT_SECRET,
            LOG_LEVEL="warning",
        )
        own = OwnTokenAuthority(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            issuer=BASE_URL,
            audience=RESOURCE,
            ttl=3600,
            scopes=(),
        )
        print(f"minting {2 * requests} tokens ...", file=sys.stderr)
        issuer_tokens: list[str | None] = [issuer.mint(jti=str(n), exp_in=3600) for n in range(requests)]
        own_tokens: list[str | None] = [own.issue().access_token for _ in range(requests)]
        cached: list[str | None] = [issuer_tokens[0]] * requests
        gateway, noop = create_app(settings), noop_app()
        if over_http:  # uvicorn runs the lifespan (JWKS load) in its own thread and loop
            with http_callers(gateway, noop) as (call_gateway, call_noop, client):
                results = await scenarios(
                    call_gateway, call_noop, requests, cached, issuer_tokens, own_tokens
                )
                await client.aclose()
        else:
            async with gateway.router.lifespan_context(gateway):
                results = await scenarios(
                    asgi_caller(gateway), asgi_caller(noop), requests, cached, issuer_tokens, own_tokens
                )
        if issuer.hits["jwks"] != 1:
            raise SystemExit(f"the JWKS was fetched {issuer.hits['jwks']} times; expected once")
        return results


async def scenarios(
    call_gateway: Call,
    call_noop: Call,
    requests: int,
    cached: list[str | None],
    issuer_tokens: list[str | None],
    own_tokens: list[str | None],
) -> list[tuple[str, float]]:
    await measure(call_noop, "/noop", [None] * 200)  # warm-up
    await measure(call_gateway, "/verify", cached[:200])
    cached_own = [own_tokens[-1]] * requests
    await measure(call_gateway, "/verify", cached_own[:1])
    return [
        ("no-op FastAPI endpoint", await measure(call_noop, "/noop", [None] * requests)),
        ("/verify, cached valid token", await measure(call_gateway, "/verify", cached)),
        # Our own tokens also check their sign-in against the revocation list (one stat() per request).
        ("/verify, cached own token", await measure(call_gateway, "/verify", cached_own)),
        ("/verify, first-seen RS256 issuer token", await measure(call_gateway, "/verify", issuer_tokens)),
        ("/verify, first-seen own HS256 token", await measure(call_gateway, "/verify", own_tokens)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per scenario (default 3000)")
    parser.add_argument("--http", action="store_true", help="go through uvicorn on loopback")
    args = parser.parse_args()
    import logging

    logging.getLogger("auth_gateway").setLevel(logging.WARNING)  # no decision lines in the timing
    results = asyncio.run(run(args.requests, args.http))
    baseline = results[0][1]
    mode = "HTTP via uvicorn" if args.http else "ASGI in-process"
    python = sys.version.split()[0]
    print(f"\n/verify throughput ({mode}, {args.requests} requests per scenario, Python {python})\n")
    print(f"{'scenario':<42}{'requests/s':>12}{'µs/request':>12}{'vs no-op':>10}")
    for name, rate in results:
        print(f"{name:<42}{rate:>12,.0f}{1e6 / rate:>12.1f}{rate / baseline:>10.2f}")


if __name__ == "__main__":
    main()
