"""The real MCP HTTP app under uvicorn, recording every request that reaches it.

    python -m tests.e2e.recording_mcp_server --port N --record FILE

The end-to-end tests must prove negatives: a request without a token, or any request while the gateway
is down, never reaches the MCP server, and the bearer token is never forwarded to it. The app is the
production one (`mcp_server.server.create_http_app` with settings from the environment); the only
addition is an outer ASGI layer appending one JSON line per HTTP request (method, path, headers) to
FILE before passing the request on unchanged.
"""

from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path
from typing import Any

import uvicorn

from mcp_server.__main__ import KEEP_ALIVE_SECONDS, configure_logging
from mcp_server.config import Settings
from mcp_server.server import create_http_app

Scope = dict[str, Any]


class RequestRecorder:
    def __init__(self, app: Any, record_path: Path) -> None:
        self._app = app
        self._path = record_path
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            entry = {
                "method": scope["method"],
                "path": scope["path"],
                "headers": {
                    name.decode("latin-1").lower(): value.decode("latin-1")
                    for name, value in scope["headers"]
                },
            }
            with self._lock, self._path.open("a", encoding="utf-8") as file:
                file.write(json.dumps(entry) + "\n")
        await self._app(scope, receive, send)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", type=Path, required=True)
    args = parser.parse_args()
    settings = Settings()
    configure_logging(settings.LOG_LEVEL)  # as python -m mcp_server does: the audit trail on stderr
    app = RequestRecorder(create_http_app(settings), args.record)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


if __name__ == "__main__":
    main()
