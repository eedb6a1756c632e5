"""odcloud: every page matchCount announces, and every error shape as an error that says what to do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from mcp_server.applyhome.client import (
    APT_NOTICE_PATH,
    NOTICE_SERVICE,
    ApplyhomeClient,
    parse_odcloud_response,
)
from mcp_server.errors import (
    UpstreamAuthError,
    UpstreamQuotaError,
    UpstreamRequestError,
    UpstreamResponseError,
    UpstreamUnavailableError,
)
from mcp_server.upstream.http import RawResponse, UpstreamHttp
from tests.mcp_server.server_setup import server_for, settings_for
from tests.support.fixture_upstream.odcloud import INFO_PATH
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.upstream_fixtures import FIXTURES_DIR


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def test_the_newest_notice_is_found_when_it_is_on_the_last_page(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stub lists notices oldest first (odcloud has no sort parameter) and tells the truth about
    matchCount (5); at 2 rows a page the newest one is on page 3."""
    original = upstream.odcloud.rows

    def oldest_first_and_honest(name: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        status, content_type, body = original(name, {})
        envelope: dict[str, Any] = json.loads(body)
        rows = sorted(envelope["data"], key=lambda row: row["모집공고일"])
        page, per_page = int(query["page"]), int(query["perPage"])
        shown = rows[(page - 1) * per_page : page * per_page]
        envelope.update(data=shown, currentCount=len(shown), matchCount=len(rows), page=page)
        return status, content_type, json.dumps(envelope, ensure_ascii=False).encode()

    monkeypatch.setattr(upstream.odcloud, "rows", oldest_first_and_honest)
    settings = settings_for(upstream)
    async with UpstreamHttp(settings) as http:
        found = await ApplyhomeClient(http, settings).fetch_all(APT_NOTICE_PATH, NOTICE_SERVICE, per_page=2)
    assert (found.match_count, len(found.rows), found.complete) == (5, 5, True)
    assert max(row["모집공고일"] for row in found.rows) == "2025-01-10"
    assert sorted(int(q["page"]) for q in upstream.requests_to(INFO_PATH)) == [1, 2, 3]


async def test_filters_go_to_every_page_and_a_short_dataset_is_reported_incomplete(
    upstream: FixtureUpstream,
) -> None:
    settings = settings_for(upstream)
    async with UpstreamHttp(settings) as http:
        client = ApplyhomeClient(http, settings)
        gyeonggi = await client.fetch_all(
            APT_NOTICE_PATH, NOTICE_SERVICE, conds={"공급지역코드::EQ": "410"}, per_page=1
        )
        everything = await client.fetch_all(APT_NOTICE_PATH, NOTICE_SERVICE, per_page=2, max_pages=4)
    assert (gyeonggi.match_count, len(gyeonggi.rows), gyeonggi.complete) == (2, 2, True)
    queries = upstream.requests_to(INFO_PATH)
    assert all(q["cond[공급지역코드::EQ]"] == "410" for q in queries[:2])
    # matchCount says 2612, the stub holds 5: page 4 (of at most 4) is empty, so reading stops there
    assert (everything.match_count, len(everything.rows), everything.complete) == (2612, 5, False)
    assert len(queries) == 2 + 4


def _raw(status: int, body: bytes | str, content_type: str = "application/json") -> RawResponse:
    return RawResponse(status, content_type, body.encode() if isinstance(body, str) else body)


@pytest.mark.parametrize(
    ("raw", "error", "fragments"),
    [
        (
            _raw(401, (FIXTURES_DIR / "odcloud_error_401_unregistered_key.json").read_bytes()),
            UpstreamAuthError,
            ["등록되지 않은 인증키", "활용신청", "ODCLOUD_API_KEY"],
        ),
        (
            _raw(404, '{"code":-3,"msg":"등록되지 않은 서비스 입니다."}'),
            UpstreamRequestError,
            ["등록되지 않은 서비스", "ODCLOUD_BASE_URL"],
        ),
        (_raw(500, '{"code":-1,"msg":"error"}'), UpstreamUnavailableError, ["server error", "HTTP 500"]),
        (_raw(502, "<html><body>Bad Gateway</body></html>", "text/html"), UpstreamUnavailableError, ["502"]),
        (
            _raw(200, (FIXTURES_DIR / "gateway_30_service_key_not_registered.xml").read_bytes(), "text/xml"),
            UpstreamAuthError,
            ["SERVICE_KEY_IS_NOT_REGISTERED_ERROR", "활용신청"],
        ),
        (
            _raw(
                403,
                '{"OpenAPI_ServiceResponse":{"cmmMsgHeader":{"errMsg":"SERVICE ERROR",'
                '"returnAuthMsg":"LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR","returnReasonCode":"22"}}}',
            ),
            UpstreamQuotaError,
            ["resets daily"],
        ),
        (_raw(403, "Forbidden", "text/plain"), UpstreamAuthError, ["Forbidden", "활용신청"]),
        (_raw(200, '{"currentCount":5,"data":[{"주택'), UpstreamResponseError, ["could not be read"]),
        (_raw(200, '{"result":"ok"}'), UpstreamResponseError, ["without data"]),
    ],
)
def test_every_odcloud_failure_shape_is_an_error_that_says_what_to_do(
    raw: RawResponse, error: type[Exception], fragments: list[str]
) -> None:
    with pytest.raises(error) as caught:
        parse_odcloud_response(raw, "청약홈 svc")
    for fragment in fragments:
        assert fragment in str(caught.value)


async def test_a_slow_odcloud_is_a_timeout_tool_error(upstream: FixtureUpstream) -> None:
    upstream.scenario = "slow"
    upstream.slow_seconds = 1.0
    async with Client(server_for(upstream, UPSTREAM_TIMEOUT_SECONDS=0.2, UPSTREAM_RETRIES=0)) as client:
        result = await client.call_tool("get_apt_subscription_results", {"year_month": "202501"})
    assert result.is_error
    assert "did not answer within 0.2 seconds" in result.content[0].text
