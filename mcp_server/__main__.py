"""``python -m mcp_server``: stdio (Claude Desktop) or ``--transport http`` (behind Caddy, port 8000).

Logs go to stderr in both modes, one JSON object per line (``logging_setup``; stdout is the stdio
protocol channel). Malformed settings are printed one line per variable and the process exits with
status 2 instead of a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mcp_server.config import Settings, Transport, load_settings
from mcp_server.errors import SettingsError
from mcp_server.logging_setup import configure_logging
from mcp_server.upstream.redaction import install_log_redaction

__all__ = ["KEEP_ALIVE_SECONDS", "configure_logging", "main"]

# uvicorn behind Caddy. Idle keep-alive connections live longer than Caddy keeps them (60 s, Caddyfile
# `keepalive_below_services`), so Caddy never reuses a connection this side is closing, which would be a 502.
# Slow clients never get here: Caddy's server timeouts cut them off first.
KEEP_ALIVE_SECONDS = 75


def _settings_or_exit(transport: Transport) -> Settings:
    """The settings from the environment over ./.env (how the server has always been started by
    hand), or the problems printed one per line and exit status 2."""
    try:
        return load_settings(Path(".env")).for_transport(transport)
    except SettingsError as exc:
        for line in str(exc).splitlines():
            print(f"mcp_server: {line}", file=sys.stderr)
        where = (
            'in the "env" block of this server in your MCP client\'s configuration'
            if transport == "stdio"
            else "in .env (see .env.example)"
        )
        print(f"mcp_server: fix the variable {where} and start again.", file=sys.stderr)
        raise SystemExit(2) from None


def _port(text: str) -> int:
    """argparse type: a TCP port, so a typo ends in a usage line instead of a bind() traceback."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """``python -m mcp_server`` and the ``real-estate-mcp`` console script (pyproject.toml), which a
    desktop client runs with pipx or uvx: stdio unless told otherwise."""
    parser = argparse.ArgumentParser(prog="real-estate-mcp", description=__doc__)
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP bind address (container: 0.0.0.0)")
    parser.add_argument("--port", type=_port, default=8000)
    args = parser.parse_args(argv)

    settings = _settings_or_exit(args.transport)
    configure_logging(settings.LOG_LEVEL)
    install_log_redaction(settings.secret_values())

    from mcp_server.server import create_http_app, create_server  # after logging is configured

    if args.transport == "stdio":
        create_server(settings).run("stdio")
        return 0

    import uvicorn

    uvicorn.run(
        create_http_app(settings),
        host=args.host,
        port=args.port,
        log_level=settings.LOG_LEVEL,
        log_config=None,  # uvicorn's lines go through the JSON handler configure_logging installed
        proxy_headers=False,  # Caddy is the only client; client addresses are not used
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=5,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
