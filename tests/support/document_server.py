"""A tiny HTTP server on a loopback port that serves JSON documents the test puts in it.

Stands in for the web sites that host client ID metadata documents. A real socket (stdlib
`ThreadingHTTPServer` in a daemon thread), so the gateway's resolver, pinning and limits run for real.

    with DocumentServer() as server:
        url = server.put("/client.json", lambda url: {"client_id": url, ...}, headers={...})
        server.hits["/client.json"], server.hosts[-1]   # requests served, Host headers seen
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class Document:
    status: int
    headers: dict[str, str]
    body: bytes


class DocumentServer:
    def __init__(self, host_name: str = "127.0.0.1") -> None:
        self.documents: dict[str, Document] = {}
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits[self.path.split("?")[0]] += 1
                server.hosts.append(self.headers.get("Host", ""))
                document = server.documents.get(self.path.split("?")[0], Document(404, {}, b"{}"))
                self.send_response(document.status)
                for name, value in {"Content-Type": "application/json", **document.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(document.body)))
                self.end_headers()
                self.wfile.write(document.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"http://{host_name}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def put(
        self,
        path: str,
        document: Callable[[str], object] | bytes,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> str:
        """Serve `document` (built from the document's own URL, or raw bytes) at `path`; return the URL."""
        url = self.base_url + path
        body = document if isinstance(document, bytes) else json.dumps(document(url)).encode()
        self.documents[path] = Document(status, headers or {}, body)
        return url

    def __enter__(self) -> DocumentServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
