"""청약 tools against the fixture odcloud: authentication forms, filters, and the 401 error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from tests.mcp_server.server_setup import FAKE_KEY, server_for
from tests.support.fixture_upstream import INFO_PATH, REJECTED_KEY, FixtureUpstream


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def call(up: FixtureUpstream, tool: str, args: dict[str, Any], **settings: Any) -> Any:
    async with Client(server_for(up, **settings)) as client:
        return await client.call_tool(tool, args)


async def test_notices_come_back_newest_first_with_the_fixture_facts(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_apt_subscription_info", {})
    assert not result.is_error
    data = result.structured_content
    items = data["items"]
    assert (data["total_count"], data["returned"], data["truncated"]) == (2612, 5, True)
    assert sum(item["households"] for item in items) == 3422
    assert [i["announcement_date"] for i in items] == sorted(
        (i["announcement_date"] for i in items), reverse=True
    )
    missing = next(i for i in items if i["house_manage_no"] == "2025000003")
    assert "special_supply_start" not in missing  # null upstream → omitted
    assert all(i["url"].startswith("https://www.applyhome.co.kr/") for i in items)


@pytest.mark.parametrize(("area", "count"), [("서울", 1), ("서울특별시", 1), ("경기도", 2), ("410", 2)])
async def test_area_filter_is_sent_as_cond_and_applied(
    upstream: FixtureUpstream, area: str, count: int
) -> None:
    result = await call(upstream, "get_apt_subscription_info", {"area": area})
    items = result.structured_content["items"]
    assert len(items) == count
    query = upstream.requests_to(INFO_PATH)[0]
    assert any(key.startswith("cond[공급지역") for key in query)


async def test_date_filter_keeps_notices_announced_in_range(upstream: FixtureUpstream) -> None:
    result = await call(
        upstream, "get_apt_subscription_info", {"announced_from": "2025-01-09", "announced_to": "20250110"}
    )
    dates = [i["announcement_date"] for i in result.structured_content["items"]]
    assert dates == ["2025-01-10", "2025-01-09"]
    query = upstream.requests_to(INFO_PATH)[0]
    assert (query["cond[모집공고일::GTE]"], query["cond[모집공고일::LTE]"]) == ("2025-01-09", "2025-01-10")


async def test_query_key_form_by_default_and_infuser_header_with_odcloud_api_key(
    upstream: FixtureUpstream,
) -> None:
    await call(upstream, "get_apt_subscription_info", {})
    await call(upstream, "get_apt_subscription_info", {}, odcloud_api_key="odcloud-header-key")
    assert [form for _, form in upstream.auth_log] == ["query", "header"]
    queries = upstream.requests_to(INFO_PATH)
    assert queries[0]["serviceKey"] == FAKE_KEY
    assert "serviceKey" not in queries[1]
    assert all(q["returnType"] == "JSON" for q in queries)


async def test_applicant_statistics_by_region_and_age(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_apt_subscription_results", {"year_month": "202501"})
    data = result.structured_content
    assert (data["total_count"], data["returned"]) == (17, 17)
    seoul = next(r for r in data["items"] if r["area_code"] == "100")
    assert (seoul["age_30_or_under"], seoul["age_40s"], seoul["age_50s"], seoul["age_60_or_over"]) == (
        4446,
        3444,
        6207,
        5022,
    )
    assert data["grand_total"] == 90603
    assert upstream.requests_to("getAPTReqstAreaStat")[0]["cond[STAT_DE::EQ]"] == "202501"


async def test_statistics_for_one_area_and_an_empty_month(upstream: FixtureUpstream) -> None:
    one = await call(upstream, "get_apt_subscription_results", {"year_month": "202501", "area": "서울"})
    assert [r["area_name"] for r in one.structured_content["items"]] == ["서울"]
    empty = await call(upstream, "get_apt_subscription_results", {"year_month": "202402"})
    assert empty.structured_content["items"] == []
    assert "202402" in empty.structured_content["empty_reason"]


@pytest.mark.parametrize(
    "settings", [{"odcloud_api_key": REJECTED_KEY}, {"data_go_kr_api_key": REJECTED_KEY}]
)
async def test_odcloud_401_says_to_apply_for_the_service(
    upstream: FixtureUpstream, settings: dict[str, str]
) -> None:
    result = await call(upstream, "get_apt_subscription_info", {}, **settings)
    assert result.is_error
    text = result.content[0].text
    assert "등록되지 않은 인증키" in text
    assert "활용신청" in text
    assert len(upstream.requests_to(INFO_PATH)) == 1  # an auth error is not retried


@pytest.mark.parametrize(
    ("tool", "args", "fragment"),
    [
        ("get_apt_subscription_info", {"area": "뉴욕"}, "시도"),
        ("get_apt_subscription_info", {"announced_from": "yesterday"}, "YYYY-MM-DD"),
        ("get_apt_subscription_info", {"limit": 0}, "between 1 and 100"),
        ("get_apt_subscription_results", {"year_month": "209901"}, "future"),
    ],
)
async def test_invalid_subscription_arguments(
    upstream: FixtureUpstream, tool: str, args: dict[str, Any], fragment: str
) -> None:
    result = await call(upstream, tool, args)
    assert result.is_error
    assert fragment in result.content[0].text
    assert upstream.request_log == []


async def test_missing_keys_name_the_variables(upstream: FixtureUpstream) -> None:
    result = await call(upstream, "get_apt_subscription_info", {}, data_go_kr_api_key=None)
    assert result.is_error
    assert "ODCLOUD_API_KEY" in result.content[0].text
