"""odcloud paging: every page matchCount announces, at the service's own page size."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from mcp_server.applyhome_client import APT_NOTICE_PATH, NOTICE_SERVICE, ApplyhomeClient
from mcp_server.upstream_http import UpstreamHttp
from tests.mcp_server.server_setup import settings_for
from tests.support.fixture_upstream import INFO_PATH, FixtureUpstream


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def test_the_newest_notice_is_found_when_it_is_on_the_last_page(
    upstream: FixtureUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stub lists notices oldest first (odcloud has no sort parameter) and tells the truth about
    matchCount (5); at 2 rows a page the newest one is on page 3."""
    original = upstream._odcloud_rows

    def oldest_first_and_honest(name: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        status, content_type, body = original(name, {})
        envelope: dict[str, Any] = json.loads(body)
        rows = sorted(envelope["data"], key=lambda row: row["모집공고일"])
        page, per_page = int(query["page"]), int(query["perPage"])
        shown = rows[(page - 1) * per_page : page * per_page]
        envelope.update(data=shown, currentCount=len(shown), matchCount=len(rows), page=page)
        return status, content_type, json.dumps(envelope, ensure_ascii=False).encode()

    monkeypatch.setattr(upstream, "_odcloud_rows", oldest_first_and_honest)
    settings = settings_for(upstream)
    async with UpstreamHttp(settings) as http:
        found = await ApplyhomeClient(http, settings).fetch_all(APT_NOTICE_PATH, NOTICE_SERVICE, per_page=2)
    assert (found.match_count, len(found.rows), found.pages, found.complete) == (5, 5, 3, True)
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
