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
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET, OWN_TOKENS_ONLY
from tests.e2e.mcp_client import MCP_HEADERS, PING
from tests.e2e.stack_processes import RecordingMcpServer, Stack, Stacks
from tests.e2e.test_owner_login import OWNER_PASSWORD, authorization_url, owner_stack, register
from tests.support.login_form import LoginForm, parse_login_form

LIMIT = 10  # failed logins a minute per address (README, "Authentication")
ATTACKER, BYSTANDER = "127.0.0.2", "127.0.0.3"


@pytest.fixture(scope="module")
def stack(module_stacks: Stacks) -> Stack:
    return module_stacks.start("brute-force", **OWN_TOKENS_ONLY)


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


# ---- a burst cannot outrun the password limit ---------------------------------------------------------


def open_login_page(http: httpx.Client, stack: Stack) -> LoginForm:
    page = http.get(authorization_url(stack, register(stack)))
    assert page.status_code == 200, page.text
    return parse_login_form(page.text)


def test_a_burst_of_25_wrong_passwords_gets_ten_checks_and_the_right_one_after_it_429(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer
) -> None:
    """All 25 are in flight at once (a barrier releases them together), each from the attacker's
    address; Argon2 takes tens of milliseconds, so without a slot taken before the check all 25
    would pass the limit check before the first failure is recorded."""
    stack = owner_stack(tmp_path_factory, mcp_server, "password-burst")
    try:
        with client_from(ATTACKER) as attacker:
            form = open_login_page(attacker, stack)
            cookies = dict(attacker.cookies)
            start = threading.Barrier(25)

            def guess(n: int) -> int:
                with client_from(ATTACKER) as http:
                    http.cookies.update(cookies)
                    start.wait(timeout=60)
                    url = f"{stack.url}{form.action}"
                    return http.post(url, data=form.filled(f"burst-guess-{n:02d}-xx")).status_code

            with ThreadPoolExecutor(max_workers=25) as pool:
                statuses = sorted(pool.map(guess, range(25)))
            right_after = attacker.post(f"{stack.url}{form.action}", data=form.filled(OWNER_PASSWORD))
        with client_from(BYSTANDER) as owner:
            owner_form = open_login_page(owner, stack)
            signed_in = owner.post(f"{stack.url}{owner_form.action}", data=owner_form.filled(OWNER_PASSWORD))
    finally:
        stack.stop()

    assert statuses == [403] * LIMIT + [429] * (25 - LIMIT)
    checked = [line for line in stack.gateway.log().splitlines() if "wrong_password" in line]
    assert len(checked) == LIMIT
    assert right_after.status_code == 429
    assert "code=" not in right_after.headers.get("location", "")
    assert signed_in.status_code == 302
    assert "code=" in signed_in.headers["location"]


# ---- behind a Cloudflare tunnel: one proxy address, many visitors ---------------------------------


@pytest.fixture(scope="module")
def tunnel_stack(module_stacks: Stacks) -> Stack:
    """127.0.0.2 plays cloudflared (a trusted proxy in front of Caddy, as the compose `tunnel` profile
    sets it up); 127.0.0.3 is a visitor who reaches Caddy directly."""
    return module_stacks.start(
        "tunnel",
        **OWN_TOKENS_ONLY,
        CLIENT_IP_HEADER="CF-Connecting-IP",
        TRUSTED_PROXIES=f"127.0.0.1/32,{CLOUDFLARED}/32",
    )


CLOUDFLARED, DIRECT_VISITOR = ATTACKER, BYSTANDER


def test_behind_the_tunnel_each_visitor_has_its_own_limit(tunnel_stack: Stack) -> None:
    with client_from(CLOUDFLARED) as tunnel:
        guesses = [
            login(
                tunnel, tunnel_stack, secrets.token_hex(32), {"CF-Connecting-IP": "203.0.113.50"}
            ).status_code
            for _ in range(LIMIT)
        ]
        limited = login(tunnel, tunnel_stack, CLIENT_SECRET, {"CF-Connecting-IP": "203.0.113.50"})
        other_visitor = login(tunnel, tunnel_stack, CLIENT_SECRET, {"CF-Connecting-IP": "198.51.100.60"})

    assert guesses == [401] * LIMIT
    assert limited.status_code == 429
    assert other_visitor.status_code == 200  # the owner is not locked out by someone else's guesses
    assert '"client_ip": "203.0.113.50"' in tunnel_stack.gateway.log()


def test_a_visitor_reaching_caddy_directly_cannot_forge_cf_connecting_ip(tunnel_stack: Stack) -> None:
    with client_from(DIRECT_VISITOR) as visitor:
        guesses = [
            login(
                visitor, tunnel_stack, secrets.token_hex(32), {"CF-Connecting-IP": f"192.0.2.{n}"}
            ).status_code
            for n in range(LIMIT)
        ]
        limited = login(visitor, tunnel_stack, CLIENT_SECRET, {"CF-Connecting-IP": "192.0.2.200"})

    assert guesses == [401] * LIMIT
    assert limited.status_code == 429
    assert "192.0.2." not in tunnel_stack.gateway.log()
