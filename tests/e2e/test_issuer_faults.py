"""The OIDC issuer (Auth0's stand-in) failing while clients call /mcp through Caddy: tokens signed with
keys the gateway already holds keep working, a token naming an unknown key gets a 401 (never a 5xx, never
a hang past the gateway's issuer timeout), a key rotation under load costs one JWKS fetch, and a gateway
that started while discovery answered garbage comes right once the issuer does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.mcp_client import MCP_HEADERS, PING
from tests.e2e.stack_processes import RecordingMcpServer, Stack, start_stack
from tests.support.oidc_issuer.issuer import OidcTestIssuer

CONCURRENT = 40


@pytest.fixture(scope="module")
def issuer() -> Iterator[OidcTestIssuer]:
    """This module's own issuer: its outages and rotations must not reach other modules' stacks."""
    with OidcTestIssuer() as started:
        yield started


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer, issuer: OidcTestIssuer
) -> Iterator[Stack]:
    started = start_stack(
        tmp_path_factory.mktemp("issuer-faults"), mcp_server, AUTH_MODE="oauth", OAUTH_ISSUER=issuer.issuer
    )
    yield started
    started.stop()


def resource(stack: Stack) -> str:
    return f"{stack.url}/mcp"


async def statuses(stack: Stack, tokens: list[str]) -> list[int]:
    """POST a ping with each token, all at once."""
    async with httpx.AsyncClient(timeout=30) as http:

        async def one(token: str) -> int:
            response = await http.post(
                resource(stack), content=PING, headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"}
            )
            return response.status_code

        return list(await asyncio.gather(*(one(token) for token in tokens)))


def fresh_tokens(stack: Stack, issuer: OidcTestIssuer, count: int, **claims: Any) -> list[str]:
    """Distinct tokens (each verified in full the first time), signed with the current key."""
    return [
        issuer.mint(aud=resource(stack), jti=f"t-{time.monotonic_ns()}-{i}", **claims) for i in range(count)
    ]


async def test_known_keys_keep_working_while_the_jwks_endpoint_is_down(
    stack: Stack, issuer: OidcTestIssuer
) -> None:
    tokens = fresh_tokens(stack, issuer, CONCURRENT)
    unknown = issuer.mint(aud=resource(stack), kid="never-published")

    with issuer.outage(503):
        answered = await statuses(stack, [*tokens, unknown])

    assert answered == [200] * CONCURRENT + [401]


async def test_a_hung_issuer_holds_up_neither_known_keys_nor_the_401_for_unknown_ones(
    stack: Stack, issuer: OidcTestIssuer
) -> None:
    tokens = fresh_tokens(stack, issuer, CONCURRENT)
    unknown = [issuer.mint(aud=resource(stack), kid=f"unknown-{i}") for i in range(3)]

    with issuer.stall():
        # The first unknown kid starts a JWKS refresh that hangs until the gateway's issuer timeout;
        # every call must still end (the httpx timeout of 30 s would raise otherwise).
        answered = await statuses(stack, [*unknown, *tokens])

    assert answered == [401] * len(unknown) + [200] * CONCURRENT
    stack.mcp.new_requests()


async def test_a_key_rotation_under_load_costs_one_jwks_fetch(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer
) -> None:
    """Its own issuer and gateway: an unknown kid seen shortly before (as in the tests above) would hold
    the next refresh back for the gateway's refresh interval, by design (no JWKS storms)."""
    with OidcTestIssuer() as issuer:
        stack = start_stack(
            tmp_path_factory.mktemp("rotation"), mcp_server, AUTH_MODE="oauth", OAUTH_ISSUER=issuer.issuer
        )
        try:
            old_tokens = fresh_tokens(stack, issuer, CONCURRENT // 2)
            assert await statuses(stack, old_tokens[:1]) == [200]
            fetched_before = issuer.hits["jwks"]

            issuer.rotate_key(keep_old=True)  # Auth0 publishes the next key before signing with it
            new_tokens = fresh_tokens(stack, issuer, CONCURRENT)
            answered = await statuses(stack, [*old_tokens, *new_tokens])

            assert answered == [200] * len(answered)
            assert issuer.hits["jwks"] - fetched_before == 1
        finally:
            stack.stop()
            stack.mcp.new_requests()


GARBAGE_DISCOVERY: dict[str, dict[str, Any]] = {
    "not-an-issuer-document": {"hello": "world"},
    "wrong-issuer": {"issuer": "https://evil.example/", "jwks_uri": "https://evil.example/jwks"},
    "jwks-uri-not-a-string": {"jwks_uri": ["x"]},
    "jwks-uri-over-plain-http": {"jwks_uri": "http://keys.example/jwks.json"},
}


@pytest.mark.parametrize("kind", sorted(GARBAGE_DISCOVERY))
def test_garbage_discovery_refuses_tokens_with_a_401_and_nothing_else(
    tmp_path_factory: pytest.TempPathFactory,
    mcp_server: RecordingMcpServer,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    with OidcTestIssuer() as garbage_issuer:
        good = garbage_issuer.metadata()
        garbage = GARBAGE_DISCOVERY[kind]
        document = garbage if kind == "not-an-issuer-document" else {**good, **garbage}
        monkeypatch.setattr(garbage_issuer, "metadata", lambda: document)
        stack = start_stack(
            tmp_path_factory.mktemp(f"garbage-{kind}"),
            mcp_server,
            AUTH_MODE="oauth",
            OAUTH_ISSUER=garbage_issuer.issuer,
        )
        try:
            stack.mcp.new_requests()
            token = garbage_issuer.mint(aud=resource(stack))
            response = httpx.post(
                resource(stack), content=PING, headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"}
            )

            assert response.status_code == 401
            assert "Traceback" not in response.text
            assert stack.mcp.new_requests() == []
            assert stack.gateway.alive()
        finally:
            stack.stop()


def test_a_gateway_started_during_an_issuer_outage_accepts_tokens_once_it_is_back(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer
) -> None:
    with OidcTestIssuer() as flaky:
        with flaky.outage(503):
            stack = start_stack(
                tmp_path_factory.mktemp("issuer-back"),
                mcp_server,
                AUTH_MODE="oauth",
                OAUTH_ISSUER=flaky.issuer,
            )
        try:
            token = flaky.mint(aud=resource(stack))
            headers = {**MCP_HEADERS, "Authorization": f"Bearer {token}"}
            # The gateway retries discovery at most every 10 s while it holds no key: wait for that.
            deadline = time.monotonic() + 30
            while (status := httpx.post(resource(stack), content=PING, headers=headers).status_code) == 401:
                assert time.monotonic() < deadline, "the gateway never picked the issuer's keys up"
                time.sleep(0.5)

            assert status == 200
        finally:
            stack.stop()
