"""`python -m auth_gateway [--host 127.0.0.1] [--port 9000]`: validate, write discovery documents, serve.

The discovery documents go to DISCOVERY_DIR before anything listens, so Caddy serves this
configuration's documents by the time the gateway is healthy (auth_gateway/discovery/publisher.py).

A configuration problem prints one clear message to stderr and exits with status 2, without a
traceback, so `docker compose logs` and `./scripts/dev` show the fix instead of a stack.
"""

from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from auth_gateway.app import create_app
from auth_gateway.config import load_settings
from auth_gateway.discovery.publisher import publish_discovery_documents
from auth_gateway.errors import DiscoveryPublishError, SettingsError, StateStoreError
from auth_gateway.logging_setup import configure_logging

log = logging.getLogger("auth_gateway")

# Idle keep-alive connections outlive Caddy's (60 s, Caddyfile `keepalive_below_services`), so Caddy never
# reuses a connection this side is closing (a 502 for the client). Slow clients are Caddy's to cut off.
KEEP_ALIVE_SECONDS = 75


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auth_gateway", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9000, help="port to listen on (default 9000)")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error(f"--port must be between 1 and 65535, got {args.port}")
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"auth_gateway: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.LOG_LEVEL)
    try:
        app = create_app(settings)
        published = publish_discovery_documents(settings)
    except (StateStoreError, DiscoveryPublishError) as exc:
        print(f"auth_gateway: {exc}", file=sys.stderr)
        return 2
    if published:
        log.info("discovery documents for Caddy in %s: %s", settings.DISCOVERY_DIR, ", ".join(published))
    log.info("starting in AUTH_MODE=%s on %s:%d", settings.AUTH_MODE, args.host, args.port)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_config=None,  # keep the JSON handlers configure_logging installed
        access_log=False,  # the decision log replaces it, one line per request
        proxy_headers=False,  # client addresses are resolved by auth_gateway.web.client_ip, trust-checked
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=5,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
