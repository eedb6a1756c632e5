"""MOLIT rows against every fixture, asserting the figures of tests/fixtures/upstream/README.md."""

from __future__ import annotations

import statistics

import pytest

from mcp_server.molit.rows import is_cancelled, parse_amount, parse_rent_rows, parse_trade_rows
from mcp_server.molit.services import MOLIT_SERVICES
from mcp_server.upstream.data_go_kr.bodies import EnvelopePage, parse_envelope
from mcp_server.upstream.http import RawResponse
from tests.support.fixture_upstream.answers import fixture_path

SERVICE = "test service"


def page_of(name: str, status: int = 200) -> EnvelopePage:
    return parse_envelope(RawResponse(status, "application/xml", fixture_path(name).read_bytes()), SERVICE)


def raw(body: str | bytes, status: int = 200) -> RawResponse:
    return RawResponse(status, "text/plain", body.encode() if isinstance(body, str) else body)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" 1,234,500 ", 1234500),
        ("135,000", 135000),
        ("    82,500", 82500),
        (" ", None),
        ("", None),
        ("-", None),
        (None, None),
        ("12a", None),
        ("１２", None),
    ],
)
def test_amounts_follow_the_counting_rules(value: str | None, expected: int | None) -> None:
    assert parse_amount(value) == expected


@pytest.mark.parametrize(
    ("name", "count", "cancelled", "valid", "median", "low", "high"),
    [
        ("apt_trade_11440_202501_p1.xml", 100, 3, 97, 149000, 80000, 260000),
        ("apt_trade_11440_202501_p2.xml", 100, 3, 97, 149600, 77000, 267000),
        ("apt_trade_11440_202501_p3.xml", 50, 0, 50, 154250, 87900, 256000),
        ("apt_trade_11440_202412_cancelled.xml", 9, 3, 6, 155750, 137000, 185300),
        ("offi_trade_11440_202501.xml", 11, 1, 10, 25250, 17400, 41000),
        ("rh_trade_11440_202501.xml", 12, 1, 11, 56500, 31000, 71000),
        ("sh_trade_11440_202501.xml", 7, 1, 6, 263900, 195000, 381000),
        ("nrg_trade_11440_202501.xml", 8, 1, 7, 107000, 31000, 824300),
        ("land_trade_11440_202501.xml", 14, 2, 12, 145000, 1500, 452000),
        ("indu_trade_11440_202501.xml", 10, 1, 9, 58000, 35500, 265000),
        ("silv_trade_11440_202501.xml", 12, 2, 10, 158250, 139000, 189000),
    ],
)
def test_trade_fixtures_give_the_readme_figures(
    name: str, count: int, cancelled: int, valid: int, median: float, low: int, high: int
) -> None:
    page = page_of(name)
    service = MOLIT_SERVICES[name.split("_11440")[0]]
    rows = parse_trade_rows(page.items, service)
    prices = [r.price_10k for r in rows.valid if r.price_10k is not None]
    assert (len(page.items), rows.cancelled, len(rows.valid)) == (count, cancelled, valid)
    assert (statistics.median(prices), min(prices), max(prices)) == (median, low, high)


def test_apartment_pages_report_total_count_of_the_whole_month() -> None:
    pages = [page_of(f"apt_trade_11440_202501_p{n}.xml") for n in (1, 2, 3)]
    assert [p.total_count for p in pages] == [250, 250, 250]
    items = [item for p in pages for item in p.items]
    rows = parse_trade_rows(items, MOLIT_SERVICES["apt_trade"])
    prices = [r.price_10k for r in rows.valid]
    assert (len(items), rows.cancelled, len(prices)) == (250, 6, 244)
    assert (statistics.median(prices), min(prices), max(prices)) == (149800, 77000, 267000)


def test_cancelled_rows_are_the_readme_ones_in_the_pretty_printed_file() -> None:
    page = page_of("apt_trade_11440_202412_cancelled.xml")
    cancelled = sorted((i["aptNm"], i["dealAmount"], i["cdealDay"]) for i in page.items if is_cancelled(i))
    assert page.total_count == 9
    assert cancelled == [
        ("마포한강푸르지오", "115,400", "25.01.19"),
        ("마포한강푸르지오", "141,300", "25.01.20"),
        ("망원한강한신", "91,800", "25.01.09"),
    ]


def test_commercial_cancel_flag_is_read_in_camel_case() -> None:
    rows = parse_trade_rows(page_of("nrg_trade_11440_202501.xml").items, MOLIT_SERVICES["nrg_trade"])
    assert rows.cancelled == 1
    assert statistics.median(r.price_10k for r in rows.valid if r.price_10k) == 107000


@pytest.mark.parametrize(
    ("name", "count", "jeonse", "wolse", "median", "low", "high", "mean_rent"),
    [
        ("apt_rent_11440_202501.xml", 24, 15, 9, 69750, 5000, 123000, 80),
        ("offi_rent_11440_202501.xml", 15, 5, 10, 5000, 500, 29000, 50),
        ("rh_rent_11440_202501.xml", 12, 8, 4, 15250, 1000, 37500, 22),
        ("sh_rent_11440_202501.xml", 9, 4, 5, 3000, 1000, 28000, 28),
    ],
)
def test_rent_fixtures_give_the_readme_figures(
    name: str, count: int, jeonse: int, wolse: int, median: float, low: int, high: int, mean_rent: int
) -> None:
    page = page_of(name)
    rows = parse_rent_rows(page.items, MOLIT_SERVICES[name.split("_11440")[0]])
    deposits = [r.deposit_10k for r in rows.valid if r.deposit_10k is not None]
    assert (page.total_count, len(rows.valid)) == (count, count)
    assert sum(r.rent_type == "전세" for r in rows.valid) == jeonse
    assert sum(r.rent_type == "월세" for r in rows.valid) == wolse
    assert (statistics.median(deposits), min(deposits), max(deposits)) == (median, low, high)
    assert int(statistics.mean(r.monthly_rent_10k for r in rows.valid)) == mean_rent


def test_single_house_rows_use_total_floor_area_and_keep_the_masked_jibun() -> None:
    rows = parse_trade_rows(page_of("sh_trade_11440_202501.xml").items, MOLIT_SERVICES["sh_trade"])
    assert all(r.area_m2 and r.area_m2 > 0 for r in rows.valid)
    assert all(r.floor is None and r.name is None for r in rows.valid)
    assert any(r.jibun and "*" in r.jibun for r in rows.valid)


def test_land_share_deals_and_presale_ownership_are_labelled() -> None:
    land = parse_trade_rows(page_of("land_trade_11440_202501.xml").items, MOLIT_SERVICES["land_trade"])
    assert sum(bool(r.share_deal) for r in land.valid) == 4
    whole = [r.price_10k for r in land.valid if not r.share_deal and r.price_10k]
    assert (len(whole), statistics.median(whole)) == (8, 169750)
    silv = parse_trade_rows(page_of("silv_trade_11440_202501.xml").items, MOLIT_SERVICES["silv_trade"])
    assert [sum(r.ownership == k for r in silv.valid) for k in ("분양권", "입주권", "미상")] == [5, 4, 1]


def test_single_item_and_unknown_tags_and_self_closing_blanks() -> None:
    body = (
        "<response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header><body>"
        "<items><item><deposit> 3,000 </deposit><monthlyRent/><roadnm>x</roadnm><dealYear>2025</dealYear>"
        "<dealMonth>1</dealMonth><dealDay>7</dealDay></item></items><totalCount>1</totalCount></body></response>"
    )
    page = parse_envelope(raw(body), SERVICE)
    rows = parse_rent_rows(page.items, MOLIT_SERVICES["apt_rent"])
    assert [(r.deposit_10k, r.monthly_rent_10k, r.rent_type, r.deal_date) for r in rows.valid] == [
        (3000, 0, "전세", "2025-01-07")
    ]
