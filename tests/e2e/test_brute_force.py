"""Guessing the client secret at /oauth/token through Caddy: one address is cut off with 429 after ten
failures, forged X-Forwarded-For headers do not buy it fresh attempts, and other addresses are served
as usual.

Two client addresses on one machine: all of 127.0.0.0/8 is loopback on Linux, so a client can connect
to Caddy (listening on 127.0.0.1) from 127.0.0.2 or 127.0.0.3. Caddy passes the address it saw in
X-Forwarded-For (it ignores a client's own copy), and the gateway believes it because Caddy is one of
TRUSTED_PROXIES (loopback by default).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET, OWN_TOKENS_ONLY
from tests.e2e.mcp_client import MCP_HEADERS, PING
from tests.e2e.stack_processes import RecordingMcpServer, Stack, start_stack

LIMIT = 10  # failed logins a minute per address (README, "Authentication")
ATTACKER, BYSTANDER = "127.0.0.2", "127.0.0.3"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer) -> Iterator[Stack]:
    started = start_stack(
        tmp_path_factory.mktemp("brute-force"),
        mcp_server,
        **OWN_TOKENS_ONLY,
    )
    yield started
    started.stop()


def client_from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10)


def login(
    http: httpx.Client, stack: Stack, secret: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return http.post(
        f"{stack.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(CLIENT_ID, secret),
        headers=headers or {},
    )


def test_one_address_is_limited_while_another_is_served(stack: Stack) -> None:
    with client_from(ATTACKER) as attacker, client_from(BYSTANDER) as bystander:
        guesses = [login(attacker, stack, secrets.token_hex(32)).status_code for _ in range(LIMIT)]
        limited = login(attacker, stack, secrets.token_hex(32))
        right_secret_too_late = login(attacker, stack, CLIENT_SECRET)
        forged = [
            login(
                attacker, stack, CLIENT_SECRET, {"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": "10.1.1.1"}
            )
            for i in range(3)
        ]
        served = login(bystander, stack, CLIENT_SECRET)
        bystander_typo = login(bystander, stack, secrets.token_hex(32))

    assert guesses == [401] * LIMIT
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert right_secret_too_late.status_code == 429
    assert "access_token" not in right_secret_too_late.text
    assert [response.status_code for response in forged] == [429, 429, 429]
    assert served.status_code == 200
    assert served.json()["access_token"]
    assert bystander_typo.status_code == 401


def test_the_gateway_logs_the_address_caddy_saw(stack: Stack) -> None:
    log = stack.gateway.log()

    assert ATTACKER in log
    assert "203.0.113." not in log  # the forged addresses never counted as anyone's


def test_a_limited_address_keeps_using_tokens_it_already_has(stack: Stack) -> None:
    with client_from(BYSTANDER) as bystander:
        token = login(bystander, stack, CLIENT_SECRET).json()["access_token"]
    with client_from(ATTACKER) as attacker:
        assert login(attacker, stack, CLIENT_SECRET).status_code == 429
        response = attacker.post(
            f"{stack.url}/mcp", content=PING, headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"}
        )

    assert response.status_code == 200
