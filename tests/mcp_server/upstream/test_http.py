"""The shared client: retries only transient failures, maps transport errors, closes its pool."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mcp_server.errors import (
    UpstreamAuthError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from mcp_server.upstream.data_go_kr.bodies import EnvelopePage, parse_envelope
from mcp_server.upstream.http import RawResponse, UpstreamHttp
from tests.mcp_server.server_setup import FAKE_KEY, settings_for
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.ports import free_port

PATH = "/1613000/RTMSDataSvcAptTrade/getRTMSDataSvcAptTrade"


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream(slow_seconds=1.0) as up:
        yield up


def interpret(raw: RawResponse) -> EnvelopePage:
    return parse_envelope(raw, "svc")


def params(lawd: str) -> dict[str, str]:
    return {"serviceKey": FAKE_KEY, "LAWD_CD": lawd, "DEAL_YMD": "202501", "pageNo": "1", "numOfRows": "100"}


async def get_month(http: UpstreamHttp, base_url: str, lawd: str) -> EnvelopePage:
    """One apartment-trade month of ``lawd`` through ``http``, as the MOLIT client asks for it."""
    return await http.get(base_url + PATH, params=params(lawd), service="svc", interpret=interpret)


async def test_transient_error_is_retried_until_success(upstream: FixtureUpstream) -> None:
    async with UpstreamHttp(settings_for(upstream)) as http:
        page = await get_month(http, upstream.data_go_kr_base_url, "11215")
    assert len(page.items) == 100
    assert len(upstream.request_log) == 2


async def test_key_errors_are_not_retried(upstream: FixtureUpstream) -> None:
    async with UpstreamHttp(settings_for(upstream, UPSTREAM_RETRIES=3)) as http:
        with pytest.raises(UpstreamAuthError):
            await get_month(http, upstream.data_go_kr_base_url, "11110")
    assert len(upstream.request_log) == 1


async def test_timeouts_are_retried_then_reported(upstream: FixtureUpstream) -> None:
    settings = settings_for(upstream, UPSTREAM_TIMEOUT_SECONDS=0.1, UPSTREAM_RETRIES=1)
    async with UpstreamHttp(settings) as http:
        with pytest.raises(UpstreamTimeoutError, match=r"did not answer within 0\.1 seconds"):
            await get_month(http, upstream.data_go_kr_base_url, "11260")
    assert len(upstream.request_log) == 2


async def test_connection_refused_is_a_retryable_unavailable_error(upstream: FixtureUpstream) -> None:
    settings = settings_for(upstream, UPSTREAM_RETRIES=0)
    async with UpstreamHttp(settings) as http:
        with pytest.raises(UpstreamUnavailableError, match="Could not reach svc") as caught:
            await get_month(http, f"http://127.0.0.1:{free_port()}", "11440")
    assert FAKE_KEY not in str(caught.value)


async def test_the_pool_is_shared_by_nested_users_and_closed_by_the_last(upstream: FixtureUpstream) -> None:
    http = UpstreamHttp(settings_for(upstream))
    async with http:
        async with http:
            pass
        page = await get_month(http, upstream.data_go_kr_base_url, "11440")
        assert page.total_count == 250
    assert http._pool is None  # closed: nothing is left open after the lifespan ends
