"""How the chart views fit their frame: a phone-width iframe, the host's light and dark themes, and the
Tab key, which must reach each month's tooltip and every table that scrolls in its own box.
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from tests.mcp_server.apps.browser.host_driver import WAIT_SECONDS, Shown
from tests.mcp_server.apps.browser.tool_results import tool_result, view_document
from tests.support.fixture_upstream.server import FixtureUpstream


def test_trend_marks_thin_months_follows_the_host_theme_and_fits_a_phone(
    upstream: FixtureUpstream, view: Shown
) -> None:
    args = {
        "region_code": "11440",
        "start_month": "202301",
        "end_month": "202303",
        "name_contains": "망원 한강한신",
        "max_area_m2": 60,
    }
    result = tool_result(upstream, "get_price_trend", args)
    view.show(view_document(upstream, "trend"), args, result, width=360, theme="dark")

    assert [p.get_attribute("class") for p in view.all("circle.point")] == ["point thin"] * 3
    assert [row[-1] for row in view.table_rows("월별 수치")] == ["표본 적음 (5건 미만)"] * 3
    labels = [label.text for label in view.all("text.axis-y")]
    assert len(labels) >= 3
    assert len(set(labels)) == len(labels), f"axis labels repeat: {labels}"  # ticks 0.05억 apart
    background = "return getComputedStyle(document.body).backgroundColor"
    assert view.browser.execute_script(background) == "rgb(13, 17, 23)"
    root = view.browser.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
    assert root[0] <= root[1], f"wider than a 360 px phone: {root}"
    view.screenshot("app-trend-phone-dark", docs=False)

    view.browser.switch_to.default_content()
    view.browser.execute_script("changeTheme('light')")
    view.browser.switch_to.frame(view.browser.find_element(By.ID, "view"))
    WebDriverWait(view.browser, WAIT_SECONDS).until(
        lambda d: d.execute_script(background) == "rgb(255, 255, 255)"
    )
    view.assert_clean()


PHONE_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "comparison": (
        "compare_regions",
        {"region_codes": ["11440", "11650"], "start_month": "202310", "end_month": "202401"},
    ),
    "jeonse-ratio": (
        "get_jeonse_ratio",
        {"region_code": "11440", "start_month": "202301", "end_month": "202301"},
    ),
    "complex": (
        "get_complex_summary",
        {
            "region_code": "11440",
            "apartment_name": "망원한강한신",
            "start_month": "202301",
            "end_month": "202312",
        },
    ),
}


@pytest.mark.parametrize("key", sorted(PHONE_CASES))
def test_each_view_fits_a_phone_width_frame(upstream: FixtureUpstream, view: Shown, key: str) -> None:
    """Wide tables scroll inside their own box, reached with the Tab key; the document itself never gets
    wider than the frame."""
    tool, args = PHONE_CASES[key]
    view.show(view_document(upstream, key), args, tool_result(upstream, tool, args), width=360)
    root = view.browser.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
    assert root[0] <= root[1], f"wider than a 360 px phone: {root}"
    view.screenshot(f"app-{key}-phone", docs=False)
    tables = [f"table-wrap {caption.text}" for caption in view.all("caption")]
    assert [stop for stop in view.tab_through() if stop.startswith("table-wrap")] == tables
    view.assert_clean()


def test_the_tab_key_walks_the_months_then_reaches_the_table(upstream: FixtureUpstream, view: Shown) -> None:
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202303"}
    result = tool_result(upstream, "get_price_trend", args)
    view.show(view_document(upstream, "trend"), args, result)
    visited = view.tab_through()
    assert visited[:3] == ["hit 202301", "hit 202302", "hit 202303"]  # each month's tooltip, by keyboard
    assert visited[3] == "table-wrap 월별 수치"
    view.assert_clean()
