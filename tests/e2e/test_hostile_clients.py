"""Hostile clients against the real stack in AUTH_MODE=oauth: oversized and slow requests, malformed
JSON-RPC, path tricks, spoofed Host / X-Forwarded-* / identity headers.

What a user would notice: nobody without a token reaches the MCP server by any of these, a stalled
client is cut off within the configured server timeouts (set low here through the environment, as an
operator could), and after all of it the stack still answers a normal client.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.mcp_client import MCP_HEADERS, PING, json_rpc_answer, own_token
from tests.e2e.raw_http import CUT_OFF_WAIT, connection, parse, read_until_closed, request
from tests.e2e.stack_processes import RecordingMcpServer, Stack, start_stack
from tests.support.oidc_issuer.issuer import OidcTestIssuer


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer, oidc_issuer: OidcTestIssuer
) -> Iterator[Stack]:
    started = start_stack(
        tmp_path_factory.mktemp("hostile"),
        mcp_server,
        AUTH_MODE="oauth",
        OAUTH_ISSUER=oidc_issuer.issuer,
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
        CADDY_READ_HEADER_TIMEOUT="1s",
        CADDY_READ_BODY_TIMEOUT="2s",
    )
    yield started
    started.stop()


@pytest.fixture(scope="module")
def token(stack: Stack) -> str:
    return own_token(stack.url, CLIENT_ID, CLIENT_SECRET)


def port(stack: Stack) -> int:
    assert stack.caddy.port is not None
    return stack.caddy.port


def assert_still_serving(stack: Stack, token: str) -> None:
    """Every process alive, and a normal authenticated ping answered by the MCP server."""
    for process in (stack.caddy, stack.gateway, stack.mcp.process):
        assert process.alive(), process.fail("died")
    response = httpx.post(
        f"{stack.url}/mcp", content=PING, headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert json_rpc_answer(response)["result"] == {}
    stack.mcp.new_requests()


# ------------------------------------------------------------------ slow clients ----------------------


def test_a_client_stalling_in_its_headers_is_cut_off(stack: Stack, token: str) -> None:
    stack.mcp.new_requests()
    with connection(port(stack)) as sock:
        sock.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n")

        answer = parse(read_until_closed(sock))  # raises socket.timeout if Caddy keeps waiting

    assert answer.status in (None, 408), answer.head
    assert stack.mcp.new_requests() == []
    assert_still_serving(stack, token)


def access_log_entry(stack: Stack, uri: str, *, after: int) -> dict[str, Any]:
    """Wait for Caddy's access-log line of the request to `uri` (written when Caddy is done with it)."""
    deadline = time.monotonic() + CUT_OFF_WAIT
    while time.monotonic() < deadline:
        for line in stack.caddy.log().splitlines()[after:]:
            if '"handled request"' in line and f'"uri":"{uri}"' in line:
                entry: dict[str, Any] = json.loads(line)
                return entry
        time.sleep(0.05)
    raise stack.caddy.fail(f"no access-log line for {uri} within {CUT_OFF_WAIT}s: the upload was not cut off")


@pytest.mark.parametrize("path", ["/mcp", "/oauth/token"])
def test_a_stalled_upload_is_given_up_on_without_reaching_a_service(
    stack: Stack, token: str, path: str
) -> None:
    stack.mcp.new_requests()
    uri = f"{path}?stalled={secrets.token_hex(4)}"
    head = (
        f"POST {uri} HTTP/1.1\r\nHost: 127.0.0.1:{port(stack)}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
        "Content-Length: 4000\r\n\r\n"
    )
    lines_before = len(stack.caddy.log().splitlines())
    gateway_log_before = stack.gateway.log()
    with connection(port(stack)) as sock:
        sock.sendall(head.encode() + b'{"jsonrpc": "2.0", ')  # ... and the other 3,980 bytes never come

        entry = access_log_entry(stack, uri, after=lines_before)

    # Caddy ended the request at read_body (499: nothing more can be said to this client); the body was
    # being buffered, so neither service ever saw the request.
    assert entry["status"] == 499, entry
    assert entry["bytes_read"] < 4000
    assert stack.mcp.new_requests() == []
    assert uri not in stack.gateway.log()[len(gateway_log_before) :]
    assert_still_serving(stack, token)


def test_a_slow_upload_without_a_token_is_refused_before_its_body(stack: Stack, token: str) -> None:
    stack.mcp.new_requests()
    head = (
        f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port(stack)}\r\nContent-Type: application/json\r\n"
        "Content-Length: 4000\r\nConnection: close\r\n\r\n"
    )
    with connection(port(stack)) as sock:
        sock.sendall(head.encode() + b'{"jsonrpc": ')

        answer = parse(read_until_closed(sock))

    assert answer.status == 401
    assert stack.mcp.new_requests() == []


# ------------------------------------------------------------------ oversized requests ----------------


@pytest.mark.parametrize("with_token", [False, True], ids=["no-token", "token"])
def test_an_oversized_body_is_refused(stack: Stack, token: str, with_token: bool) -> None:
    stack.mcp.new_requests()
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"x": "a" * 2_000_000}})
    headers = {**MCP_HEADERS, **({"Authorization": f"Bearer {token}"} if with_token else {})}

    response = httpx.post(f"{stack.url}/mcp", content=body, headers=headers)

    assert response.status_code == (413 if with_token else 401)
    if not with_token:
        assert stack.mcp.new_requests() == []
    assert_still_serving(stack, token)


def test_an_oversized_token_request_is_refused(stack: Stack, token: str) -> None:
    response = httpx.post(
        f"{stack.url}/oauth/token",
        data={"grant_type": "client_credentials", "padding": "a" * 100_000},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )

    # 413 from Caddy's body limit, or 400 when the gateway, which got the buffered first 16 KB, answers
    # the cut-off form first: either way refused, and no token.
    assert response.status_code in (400, 413)
    assert "access_token" not in response.text
    assert_still_serving(stack, token)


@pytest.mark.parametrize("size", [20_000, 200_000])
def test_oversized_headers_are_refused(stack: Stack, token: str, size: int) -> None:
    stack.mcp.new_requests()

    answer = request(port(stack), "POST", "/mcp", headers={**MCP_HEADERS, "X-Filler": "a" * size}, body=PING)

    assert answer.status in (400, 401, 431), answer.head
    assert stack.mcp.new_requests() == []
    assert_still_serving(stack, token)


def test_an_oversized_bearer_token_is_refused(stack: Stack, token: str) -> None:
    stack.mcp.new_requests()

    answer = request(
        port(stack), "POST", "/mcp", headers={**MCP_HEADERS, "Authorization": "Bearer " + "a" * 30_000}
    )

    assert answer.status in (400, 401, 431), answer.head
    assert stack.mcp.new_requests() == []


# ------------------------------------------------------------------ malformed MCP ---------------------

MALFORMED = {
    "not-json": b"{this is not json",
    "not-an-object": b'"ping"',
    "no-method": b'{"jsonrpc": "2.0", "id": 1}',
    "wrong-version": b'{"jsonrpc": "1.0", "id": 1, "method": "ping"}',
    "unknown-method": b'{"jsonrpc": "2.0", "id": 1, "method": "admin/shutdown"}',
    "batch": b'[{"jsonrpc": "2.0", "id": 1, "method": "ping"}, '
    b'{"jsonrpc": "2.0", "id": 2, "method": "ping"}]',
    "empty-batch": b"[]",
    "huge-id": b'{"jsonrpc": "2.0", "id": ' + b"9" * 5000 + b', "method": "ping"}',
    "deep-nesting": b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": '
    + b"[" * 5000 + b"]" * 5000 + b"}",
    "tool-call-garbage-args": b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call", '
    b'"params": {"name": "get_apartment_trades", "arguments": {"region_code": [1], "year_month": {}}}}',
    "unknown-tool": b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call", '
    b'"params": {"name": "../etc/passwd"}}',
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_json_rpc_without_a_token_never_reaches_the_mcp_server(stack: Stack, kind: str) -> None:
    stack.mcp.new_requests()

    response = httpx.post(f"{stack.url}/mcp", content=MALFORMED[kind], headers=MCP_HEADERS)

    assert response.status_code == 401
    assert stack.mcp.new_requests() == []


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_json_rpc_gets_a_json_rpc_error_not_a_crash(stack: Stack, token: str, kind: str) -> None:
    response = httpx.post(
        f"{stack.url}/mcp",
        content=MALFORMED[kind],
        headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"},
    )

    assert response.status_code < 500, response.text
    if response.content:
        answer = json_rpc_answer(response)
        answers = answer if isinstance(answer, list) else [answer]
        for item in answers:
            # A JSON-RPC error, or a tool result flagged as an error: never a traceback.
            failed = "error" in item or item.get("result", {}).get("isError") is True
            assert failed, item
            assert "Traceback" not in json.dumps(item)
    assert_still_serving(stack, token)


# ------------------------------------------------------------------ path tricks -----------------------

PATH_TRICKS = [
    "/mcp/../mcp",
    "/x/../mcp",
    "/./mcp",
    "//mcp",
    "/mcp/",
    "/mcp//",
    "/%6dcp",
    "/%2Fmcp",
    "/mcp%2F",
    "/mcp%2f..%2fverify",
    "/mcp/..%2Fverify",
    "/MCP",
    "/Mcp",
    "/mcp;x=1",
    "/mcp%00",
    "/mcp%20",
    "/mcp?x=../../verify",
    "/mcp#frag",
    "http://127.0.0.1/mcp",
    "/verify",
    "/.well-known/../mcp",
]


@pytest.mark.parametrize("target", PATH_TRICKS)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_path_tricks_without_a_token_never_reach_the_mcp_server(
    stack: Stack, target: str, method: str
) -> None:
    stack.mcp.new_requests()

    answer = request(port(stack), method, target, headers=MCP_HEADERS, body=PING if method == "POST" else b"")

    assert answer.status in (400, 401, 404, 405), answer.head
    assert stack.mcp.new_requests() == []


@pytest.mark.parametrize("target", PATH_TRICKS)
def test_path_tricks_with_a_token_reach_nothing_but_the_mcp_endpoint(
    stack: Stack, token: str, target: str
) -> None:
    stack.mcp.new_requests()

    answer = request(
        port(stack), "POST", target, headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"}, body=PING
    )

    assert answer.status is not None, "closed without an answer"
    assert answer.status < 500, answer.head
    for received in stack.mcp.new_requests():
        assert "authorization" not in received["headers"]
    assert_still_serving(stack, token)


# ------------------------------------------------------------------ spoofed headers -------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost", "127.0.0.1", "mcp-server:8000", "auth-gateway:9000", ""]
)
def test_a_forged_host_gets_no_way_around_the_token(stack: Stack, host: str) -> None:
    stack.mcp.new_requests()

    answer = request(port(stack), "POST", "/mcp", headers=MCP_HEADERS, body=PING, host=host)

    # 401, 400 (no Host) or the Caddyfile's 404 for a host name it does not serve (Caddy's own answer
    # would be an empty 200): never a JSON-RPC result.
    assert answer.status in (400, 401, 404), answer.head
    assert b"jsonrpc" not in answer.body
    assert stack.mcp.new_requests() == []


FORWARDED = {
    "X-Forwarded-For": "10.0.0.1",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Uri": "/healthz",
    "X-Forwarded-Method": "GET",
    "X-Original-URL": "/healthz",
    "X-Real-IP": "10.0.0.1",
    "Forwarded": "for=10.0.0.1;host=evil.example;proto=https",
}


def test_forwarded_headers_open_nothing_without_a_token(stack: Stack) -> None:
    stack.mcp.new_requests()

    response = httpx.post(f"{stack.url}/mcp", content=PING, headers={**MCP_HEADERS, **FORWARDED})

    assert response.status_code == 401
    assert stack.mcp.new_requests() == []


def test_the_mcp_server_sees_caddy_s_forwarded_headers_not_the_client_s(stack: Stack, token: str) -> None:
    stack.mcp.new_requests()
    spoofed = {**FORWARDED, "X-Auth-Subject": "admin", "X-Auth-Client-Id": "someone-else"}

    response = httpx.post(
        f"{stack.url}/mcp",
        content=PING,
        headers={**MCP_HEADERS, **spoofed, "Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200, response.text
    (received,) = stack.mcp.new_requests()
    headers = received["headers"]
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-forwarded-host"] == f"127.0.0.1:{port(stack)}"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-auth-subject"] == CLIENT_ID
    assert headers["x-auth-client-id"] == CLIENT_ID
    assert "authorization" not in headers


def test_forged_forwarded_headers_do_not_trick_the_gateway_into_allowing(stack: Stack) -> None:
    """forward_auth sends the gateway X-Forwarded-Method/Uri; a client's own copies must not win."""
    stack.mcp.new_requests()

    for target in ("/mcp", "/mcp/x"):
        answer = request(
            port(stack),
            "POST",
            target,
            headers={**MCP_HEADERS, **FORWARDED, "X-Forwarded-Method": "OPTIONS"},
            body=PING,
        )
        assert answer.status == 401, answer.head
    assert stack.mcp.new_requests() == []
