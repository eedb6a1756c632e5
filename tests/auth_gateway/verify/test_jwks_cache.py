"""Issuer keys: discovery (OIDC, then RFC 8414), rotation without a JWKS storm, outages without 500s."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi.testclient import TestClient

from auth_gateway.credentials.jwt_checks import unverified_header
from auth_gateway.verify.errors import IssuerUnavailable
from auth_gateway.verify.issuer_tokens import IssuerTokenVerifier
from auth_gateway.verify.jwks_cache import JwksCache, discovery_urls
from tests.auth_gateway.conftest import RESOURCE, GatewayFactory, bearer
from tests.support.oidc_issuer.issuer import OidcTestIssuer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def test_discovery_urls_follow_oidc_and_rfc8414() -> None:
    assert discovery_urls("https://t.auth0.com/") == (
        "https://t.auth0.com/.well-known/openid-configuration",
        "https://t.auth0.com/.well-known/oauth-authorization-server",
    )
    assert discovery_urls("https://sso.example.com/realms/home") == (
        "https://sso.example.com/realms/home/.well-known/openid-configuration",
        "https://sso.example.com/.well-known/oauth-authorization-server/realms/home",
    )


async def test_unknown_kid_refreshes_at_most_once_per_interval(
    issuer: OidcTestIssuer, http: httpx.AsyncClient
) -> None:
    clock = FakeClock()
    cache = JwksCache(issuer.issuer, http, refresh_interval=60, clock=clock)
    await cache.load()
    assert issuer.hits["jwks"] == 1
    for n in range(20):
        assert await cache.key_after_refresh(f"forged-{n}") is None
    assert issuer.hits["jwks"] == 2  # one refresh for the first unknown kid, none after
    new_kid = issuer.rotate_key()
    clock.now += 30
    assert await cache.key_after_refresh(new_kid) is None  # still inside the interval
    clock.now += 31
    assert await cache.key_after_refresh(new_kid) is not None
    assert issuer.hits["jwks"] == 3
    assert issuer.hits["openid_configuration"] == 1  # discovery is not repeated on refresh


async def test_concurrent_requests_with_a_rotated_key_share_one_refresh(
    issuer: OidcTestIssuer, http: httpx.AsyncClient
) -> None:
    """Right after a rotation many requests arrive at once: one JWKS fetch, and none of them refused."""
    cache = JwksCache(issuer.issuer, http, clock=FakeClock())
    await cache.load()
    new_kid = issuer.rotate_key()
    keys = await asyncio.gather(*(cache.key_after_refresh(new_kid) for _ in range(10)))
    assert all(key is not None for key in keys)
    assert issuer.hits["jwks"] == 2


async def test_failed_refresh_keeps_cached_keys(issuer: OidcTestIssuer, http: httpx.AsyncClient) -> None:
    clock = FakeClock()
    cache = JwksCache(issuer.issuer, http, clock=clock)
    await cache.load()
    old_kid = issuer.kid
    with issuer.outage():
        assert await cache.key_after_refresh("rotated") is None
    assert cache.key(old_kid) is not None


async def test_hanging_issuer_times_out_and_keeps_cached_keys(issuer: OidcTestIssuer) -> None:
    """An issuer that accepts connections but never answers costs one timeout, not a hung gateway."""
    async with httpx.AsyncClient(timeout=0.3) as quick:
        cache = JwksCache(issuer.issuer, quick, clock=FakeClock())
        await cache.load()
        with issuer.stall():
            started = time.monotonic()
            assert await cache.key_after_refresh("rotated") is None
            assert time.monotonic() - started < 3  # the client's timeout, not the issuer, ended the wait
        assert cache.key(issuer.kid) is not None
        assert issuer.hits["jwks"] == 2


async def test_known_keys_are_not_blocked_by_a_refresh_waiting_on_a_hung_issuer(
    issuer: OidcTestIssuer, http: httpx.AsyncClient
) -> None:
    verifier = IssuerTokenVerifier(JwksCache(issuer.issuer, http), audience=RESOURCE)
    await verifier.jwks.load()
    unknown, valid = issuer.mint(kid="rotated"), issuer.mint()
    with issuer.stall():
        refreshing = asyncio.create_task(verifier.verify(unknown, unverified_header(unknown)))
        for _ in range(500):  # until the refresh is waiting for the issuer, holding the lock
            if issuer.hits["jwks"] == 2:
                break
            await asyncio.sleep(0.01)
        identity = await verifier.verify(valid, unverified_header(valid))
        assert identity.subject == issuer.subject
        assert not refreshing.done()  # the valid token did not wait for it
        refreshing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await refreshing


async def test_issuer_mismatch_is_explained(issuer: OidcTestIssuer, http: httpx.AsyncClient) -> None:
    cache = JwksCache(issuer.issuer.rstrip("/"), http)
    with pytest.raises(IssuerUnavailable, match="trailing slash included"):
        await cache.load()


@pytest.mark.parametrize("issuer_path", ["", "/realms/home"])
async def test_rfc8414_fallback(http: httpx.AsyncClient, issuer_path: str) -> None:
    with OidcTestIssuer(
        serve_openid_configuration=False, issuer_path=issuer_path, trailing_slash=False
    ) as server:
        cache = JwksCache(server.issuer, http)
        await cache.load()
        assert cache.kids == {server.kid}
        assert server.hits["oauth_authorization_server"] == 1


async def test_unreachable_issuer_at_load(http: httpx.AsyncClient) -> None:
    server = OidcTestIssuer()  # never started: its port is bound but refuses connections
    try:
        with pytest.raises(IssuerUnavailable):
            await JwksCache(server.issuer, http).load()
    finally:
        server.stop()


async def test_jwks_without_usable_keys(
    issuer: OidcTestIssuer, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(issuer, "jwks", lambda: {"keys": [{"kty": "oct", "kid": "x", "k": "c2VjcmV0"}]})
    with pytest.raises(IssuerUnavailable, match="no usable RS256"):
        await JwksCache(issuer.issuer, http).load()


@pytest.mark.parametrize(
    ("jwks_uri", "expected"),
    [
        pytest.param("http://keys.example.com/jwks.json", "only fetched over https://", id="plain-http"),
        pytest.param("https://[::1/jwks.json", "only fetched over https://", id="unparseable"),
        pytest.param("https://127.0.0.1:abc/jwks.json", "127.0.0.1:abc/jwks.json: InvalidURL", id="bad-port"),
        pytest.param("https://127.0.0.1:99999/jwks.json", "127.0.0.1:99999/jwks.json: ", id="port-too-big"),
    ],
)
def test_bad_jwks_uri_makes_the_issuer_unavailable_not_a_crash(
    issuer: OidcTestIssuer,
    gateway_client: GatewayFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    jwks_uri: str,
    expected: str,
) -> None:
    """Keys over plain http could be swapped on the way; a broken URL must not stop the gateway starting."""
    metadata = issuer.metadata()
    monkeypatch.setattr(issuer, "metadata", lambda: {**metadata, "jwks_uri": jwks_uri})
    with caplog.at_level(logging.ERROR, logger="auth_gateway"):
        client = gateway_client(OAUTH_ISSUER=issuer.issuer)
    assert expected in caplog.text
    response = client.get("/verify", headers=bearer(issuer.mint()))
    assert response.status_code == 401
    assert issuer.hits["jwks"] == 0


# ---- through the gateway ------------------------------------------------------------------------


@pytest.fixture
def gateway(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(OAUTH_ISSUER=issuer.issuer)


def test_no_jwks_storm_from_unknown_kids(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    before = dict(issuer.hits)
    for n in range(50):
        assert gateway.get("/verify", headers=bearer(issuer.mint(kid=f"attacker-{n}"))).status_code == 401
    assert issuer.hits["jwks"] <= before["jwks"] + 1
    assert issuer.hits["openid_configuration"] == before["openid_configuration"]


def test_no_issuer_calls_for_repeated_valid_tokens(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    before = sum(issuer.hits.values())
    token = issuer.mint()
    for _ in range(20):
        assert gateway.get("/verify", headers=bearer(token)).status_code == 200
    for _ in range(5):
        assert gateway.get("/verify", headers=bearer(issuer.mint())).status_code == 200
    assert sum(issuer.hits.values()) == before


def test_issuer_down_cached_keys_keep_working(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    issuer.stop()
    assert gateway.get("/verify", headers=bearer(issuer.mint())).status_code == 200
    response = gateway.get("/verify", headers=bearer(issuer.mint(kid="rotated-while-down")))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_issuer_answering_errors_gives_401_not_500(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    with issuer.outage(500):
        response = gateway.get("/verify", headers=bearer(issuer.mint(kid="unknown")))
    assert response.status_code == 401


def test_gateway_starts_while_issuer_is_down(
    gateway_client: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    down = OidcTestIssuer(audience=RESOURCE)  # not started: connections are refused
    try:
        with caplog.at_level(logging.ERROR, logger="auth_gateway"):
            client = gateway_client(OAUTH_ISSUER=down.issuer)
        assert "could not load the issuer's signing keys" in caplog.text
        assert client.get("/healthz").status_code == 200
        assert client.get("/verify", headers=bearer(down.mint())).status_code == 401
        down.start()  # the issuer comes up, but the failed refresh above holds the next one for 10 s
        assert client.get("/verify", headers=bearer(down.mint())).status_code == 401
    finally:
        down.stop()


def test_issuer_mismatch_rejects_tokens_and_logs_the_fix(
    issuer: OidcTestIssuer, gateway_client: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="auth_gateway"):
        client = gateway_client(OAUTH_ISSUER=issuer.issuer.rstrip("/"))
    assert "trailing slash included" in caplog.text
    assert client.get("/verify", headers=bearer(issuer.mint())).status_code == 401
