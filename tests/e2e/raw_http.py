"""HTTP/1.1 over a bare socket, for requests no well-behaved client library would send.

httpx normalises paths (`/mcp/../`), fixes up Host and Content-Length and never stalls half-way
through a request; hostile clients do all of that, so these tests write the bytes themselves.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

# How long a test waits for Caddy to cut a stalled client off. Well above the 1-2 s the hostile-client
# stack configures, well below Caddy's own defaults (10 s / 30 s): a stack that ignored the configured
# timeouts would still be holding the connection when this runs out.
CUT_OFF_WAIT = 8.0


@dataclass
class RawResponse:
    status: int | None  # None: the server closed the connection without answering
    head: str
    body: bytes


def parse(data: bytes) -> RawResponse:
    if not data:
        return RawResponse(status=None, head="", body=b"")
    head, _, body = data.partition(b"\r\n\r\n")
    text = head.decode("latin-1")
    status_line = text.split("\r\n", 1)[0].split()
    return RawResponse(status=int(status_line[1]), head=text, body=body)


def connection(port: int, *, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=CUT_OFF_WAIT, source_address=(source, 0))
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (socket.timeout if it never does)."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def request(
    port: int,
    method: str,
    target: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    host: str | None = None,
) -> RawResponse:
    """One request with `Connection: close`, sent exactly as given (target and Host untouched)."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    with connection(port) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return parse(read_until_closed(sock))
