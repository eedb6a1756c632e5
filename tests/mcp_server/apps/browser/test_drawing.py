"""What each chart view draws, read back from a real browser and compared with the numbers of the tool
result it was shown: the trend, the region comparison, the jeonse ratio and the complex summary.

The screenshots these tests take are the ones README.md shows (docs/images/), checked last.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from tests.mcp_server.apps.browser.host_driver import DOC_IMAGES, REPO, Shown
from tests.mcp_server.apps.browser.tool_results import tool_result, view_document, won
from tests.support.fixture_upstream.server import FixtureUpstream


def test_won_is_written_in_korean_units() -> None:
    assert [won(v) for v in (149800, 150000, 9800, 203962.5, 1234567)] == [
        "14억 9,800만원",
        "15억원",
        "9,800만원",
        "20억 3,962.5만원",
        "123억 4,567만원",
    ]


def test_trend_draws_a_point_per_month_with_data_and_a_gap_where_a_month_failed(
    upstream: FixtureUpstream, view: Shown
) -> None:
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202312"}
    result = tool_result(upstream, "get_price_trend", args, failing={"202306"})
    months = result["structuredContent"]["months"]
    with_data = [m for m in months if "median_10k" in m]
    assert len(with_data) == 11
    assert months[5]["status"] == "failed"

    view.show(view_document(upstream, "trend"), args, result)

    points = view.all("circle.point")
    assert [p.get_attribute("data-month") for p in points] == [m["year_month"] for m in with_data]
    assert [float(p.get_attribute("data-median") or "nan") for p in points] == [
        m["median_10k"] for m in with_data
    ]
    # Heights follow the medians: every point sits on one straight scale through the first and last.
    ys = [float(p.get_attribute("cy") or "nan") for p in points]
    medians = [m["median_10k"] for m in with_data]
    slope = (ys[-1] - ys[0]) / (medians[-1] - medians[0])
    assert all(abs(y - (ys[0] + slope * (m - medians[0]))) < 0.2 for y, m in zip(ys, medians, strict=True))
    assert slope < 0  # higher prices are drawn higher
    # The failed month breaks the line in two and is marked, not drawn as a zero.
    assert len(view.all("path.line")) == 2
    assert [g.get_attribute("data-month") for g in view.all(".gap-mark.failed")] == ["202306"]
    assert [b.get_attribute("data-month") for b in view.all("rect.bar")] == [
        m["year_month"] for m in with_data
    ]
    assert {b.get_attribute("data-count") for b in view.all("rect.bar")} == {"54"}

    may = months[4]
    ActionChains(view.browser).move_to_element(view.one('rect.hit[data-month="202305"]')).perform()
    tip = view.tooltip()
    assert "2023.05" in tip
    assert f"중위 {won(may['median_10k'])}" in tip
    assert "거래 54건" in tip
    assert f"전월 대비 +{may['mom_pct']:.1f}%" in tip
    view.browser.execute_script("document.querySelector('rect.hit[data-month=\"202306\"]').focus()")
    assert "조회 실패" in view.tooltip()

    rows = {row[0]: row for row in view.table_rows("월별 수치")}
    assert rows["2023.05"][1:4] == [won(may["median_10k"]), "54건", f"+{may['mom_pct']:.1f}%"]
    assert rows["2023.06"][1] == "–"
    assert rows["2023.06"][-1] == "조회 실패"
    assert any("2023.06" in note.text for note in view.all(".notes li"))
    view.browser.execute_script("document.activeElement.blur()")
    ActionChains(view.browser).move_to_element(view.one('rect.hit[data-month="202310"]')).perform()
    assert f"중위 {won(months[9]['median_10k'])}" in view.tooltip()
    view.screenshot("app-trend")

    state = view.host_state()
    assert state["initializeParams"]["protocolVersion"] == "2026-01-26"
    assert state["sizes"]
    assert state["sizes"][-1]["height"] > 400
    view.assert_clean()


def test_comparison_draws_a_line_per_region_with_a_legend(upstream: FixtureUpstream, view: Shown) -> None:
    args = {"region_codes": ["11440", "11650"], "start_month": "202310", "end_month": "202401"}
    result = tool_result(upstream, "compare_regions", args)
    regions = result["structuredContent"]["regions"]
    view.show(view_document(upstream, "comparison"), args, result)

    for region in regions:
        series = view.one(f'g.series[data-series="{region["region_code"]}"]')
        drawn = series.find_elements(By.CSS_SELECTOR, "circle.point")
        expected = [m for m in region["months"] if "median_10k" in m]
        assert [float(p.get_attribute("data-median") or "nan") for p in drawn] == [
            m["median_10k"] for m in expected
        ]
    assert len(view.all("g.series")) == 2
    assert len(view.all('g.series[data-series="11650"] path.line')) == 1  # 2023.12–2024.01 only
    legend = view.one(".legend").text
    assert "서울특별시 마포구" in legend
    assert "서울특별시 서초구" in legend
    # 서초구 has deals from 202312 only: its first two months are gaps, and its line has two points.
    seocho = {row[0]: row for row in view.table_rows("월별 중위가격")}
    assert seocho["2023.10"][2] == "거래 없음"
    assert seocho["2024.01"][2] == f"{won(regions[1]['months'][3]['median_10k'])} (54건)"
    view.screenshot("app-comparison")
    view.assert_clean()


def test_comparison_of_one_month_is_a_bar_per_region(upstream: FixtureUpstream, view: Shown) -> None:
    args = {"region_codes": ["11440", "11650"], "start_month": "202401", "end_month": "202401"}
    result = tool_result(upstream, "compare_regions", args)
    regions = result["structuredContent"]["regions"]
    view.show(view_document(upstream, "comparison"), args, result)

    bars = view.all("li.hbar.region")
    assert [b.get_attribute("data-region") for b in bars] == ["11440", "11650"]
    assert [
        float(b.find_element(By.CSS_SELECTOR, ".fill").get_attribute("data-median") or "nan") for b in bars
    ] == [r["median_10k"] for r in regions]
    widths = [b.find_element(By.CSS_SELECTOR, ".fill").size["width"] for b in bars]
    assert abs(widths[0] * 2 - widths[1]) <= 2  # 서초구's median is twice 마포구's
    assert view.all("svg") == []
    view.assert_clean()


def test_jeonse_ratio_is_a_sorted_bar_per_complex_with_the_unmatched_listed(
    upstream: FixtureUpstream, view: Shown
) -> None:
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202301"}
    result = tool_result(upstream, "get_jeonse_ratio", args)
    data = result["structuredContent"]
    view.show(view_document(upstream, "jeonse-ratio"), args, result)

    bars = view.all("li.hbar.ratio")
    ratios = [float(b.get_attribute("data-ratio") or "nan") for b in bars]
    assert ratios == sorted((g["ratio_pct"] for g in data["groups"]), reverse=True)
    assert [b.get_attribute("class") for b in bars].count("hbar ratio thin") == data["thin_group_count"] == 1
    top = bars[0].text
    assert "마포그랑자이" in top
    assert "60.0%" in top
    assert "매매 18억 9,500만원" in top
    unmatched = [li.text for li in view.all("ul.unmatched li")]
    assert unmatched == [
        "래미안웰스트림 114㎡ (현석동) — 매매만 8건",
        "메세나폴리스 84㎡ (합정동) — 전세만 1건",
    ]
    rows = view.table_rows("단지·면적별 수치")
    assert [row[6] for row in rows] == [f"{r:.1f}%" for r in ratios]
    view.screenshot("app-jeonse-ratio")
    view.assert_clean()


def test_complex_summary_shows_prices_per_area_type_and_the_latest_deals(
    upstream: FixtureUpstream, view: Shown
) -> None:
    args = {
        "region_code": "11440",
        "apartment_name": "망원 한강한신",
        "start_month": "202301",
        "end_month": "202312",
    }
    result = tool_result(upstream, "get_complex_summary", args)
    data = result["structuredContent"]
    view.show(view_document(upstream, "complex"), args, result)

    ticks = [float(t.get_attribute("data-median") or "nan") for t in view.all("li.hbar.area .tick")]
    expected = [s["median_10k"] for g in data["area_groups"] for s in (g["trade"], g["jeonse"]) if s["count"]]
    assert ticks == expected
    assert [float(p.get_attribute("data-price") or "nan") for p in view.all("circle.deal")] == [
        t["price_10k"] for t in data["latest_trades"]
    ]
    by_area = {row[0]: row for row in view.table_rows("면적별 수치")}
    small = data["area_groups"][0]
    assert by_area["59㎡"][1] == won(small["trade"]["median_10k"])
    assert by_area["59㎡"][4] == f"{won(small['jeonse']['median_10k'])} (표본 적음)"
    trades = view.table_rows("최근 매매")
    assert [row[0] for row in trades] == [t["deal_date"] for t in data["latest_trades"]]
    assert len(view.table_rows("최근 전월세")) == len(data["latest_rents"])
    view.screenshot("app-complex")
    view.assert_clean()


@pytest.mark.parametrize("name", ["app-trend", "app-comparison", "app-jeonse-ratio", "app-complex"])
def test_the_readmes_show_each_screenshot(name: str) -> None:
    assert (DOC_IMAGES / f"{name}.png").stat().st_size > 10_000
    for readme in ("README.md", "README.ko.md"):
        assert f"docs/images/{name}.png" in (REPO / readme).read_text(encoding="utf-8")
