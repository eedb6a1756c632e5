"""The chart views in a real browser, behind a host page that speaks the host side of MCP Apps.

Headless Chromium (tests/support/browser.py) loads ``host_page.html`` from a loopback server; the host
page renders each view's document (read with ``resources/read`` from the real server) in an iframe
sandboxed with ``allow-scripts`` only, answers the view's ``ui/initialize``, and delivers a tool result
that the real tool produced from the fixture upstream through the SDK's in-memory client. The tests
then read what the view drew and compare it with the numbers of that result.

Screenshots go to test-artifacts/ (git-ignored). With ``UPDATE_DOCS_SCREENSHOTS=1`` they are also
written to docs/images/, where README.md shows them: look at them before committing.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from mcp_server.apps.views import VIEWS
from tests.mcp_server.server_setup import call_tool, server_for
from tests.support.browser import chromium, console_errors, requested_urls
from tests.support.document_server import DocumentServer
from tests.support.fixture_upstream.server import FixtureUpstream

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"
DOC_IMAGES = REPO / "docs" / "images"
HOST_PAGE = Path(__file__).with_name("host_page.html").read_bytes()
XSS = "<img src=x onerror=\"document.title='pwned'\">"
WAIT_SECONDS = 30  # a loaded 2-core CI box still answers well within this


def won(value: float) -> str:
    """만원 in Korean units, written independently of the view's formatter: 149800 → 14억 9,800만원."""
    eok, rest = divmod(value, 10000)
    man = round(rest, 1)
    man_text = f"{man:,.1f}".removesuffix(".0")
    if eok and man:
        return f"{int(eok):,}억 {man_text}만원"
    return f"{int(eok):,}억원" if eok else f"{man_text}만원"


def test_won_is_written_in_korean_units() -> None:
    assert [won(v) for v in (149800, 150000, 9800, 203962.5, 1234567)] == [
        "14억 9,800만원",
        "15억원",
        "9,800만원",
        "20억 3,962.5만원",
        "123억 4,567만원",
    ]


@pytest.fixture(scope="module")
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.fixture(scope="module")
def host() -> Iterator[str]:
    with DocumentServer() as server:
        server.put("/host.html", HOST_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
        yield f"{server.base_url}/host.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = chromium(width=1000, height=2600)
    try:
        yield driver
    finally:
        driver.quit()


def tool_result(
    upstream: FixtureUpstream,
    tool: str,
    args: dict[str, Any],
    failing: set[str] | None = None,
    *,
    error: bool = False,
) -> Any:
    """The CallToolResult of a real call, as JSON, the way a host relays it to the view."""
    upstream.failing_months = failing or set()
    try:
        result = asyncio.run(call_tool(upstream, tool, args))
    finally:
        upstream.failing_months = set()
    assert result.is_error is error, result.content
    return result.model_dump(mode="json", by_alias=True, exclude_none=True)


def view_document(upstream: FixtureUpstream, key: str) -> str:
    async def read() -> str:
        async with Client(server_for(upstream)) as client:
            contents = (await client.read_resource(VIEWS[key].uri)).contents
        text = getattr(contents[0], "text", None)
        assert isinstance(text, str)
        return text

    return asyncio.run(read())


class Shown:
    """A view rendered by the host page with a result delivered; the driver is inside the frame."""

    def __init__(self, browser: webdriver.Chrome, host_url: str) -> None:
        self.browser = browser
        self.host_url = host_url

    def show(
        self, html: str, args: dict[str, Any], result: Any | None, *, width: int = 760, theme: str = "light"
    ) -> None:
        """Load the view, answer its handshake, send the tool input and then (unless None) the result."""
        browser = self.browser
        browser.switch_to.default_content()
        browser.get(self.host_url)
        console_errors(browser), requested_urls(browser)  # start the logs afresh
        browser.execute_script("loadView(arguments[0], arguments[1], arguments[2])", html, width, theme)
        WebDriverWait(browser, WAIT_SECONDS).until(lambda d: d.execute_script("return host.initialized"))
        browser.execute_script("deliverInput(arguments[0])", args)
        browser.switch_to.frame(browser.find_element(By.ID, "view"))
        if result is None:
            WebDriverWait(browser, WAIT_SECONDS).until(lambda d: "가져오는 중" in self.one("main").text)
            return
        self.deliver(result)
        WebDriverWait(browser, WAIT_SECONDS).until(lambda d: d.find_elements(By.CSS_SELECTOR, "main h1"))

    def deliver(self, result: Any) -> None:
        self.browser.switch_to.default_content()
        self.browser.execute_script("deliverResult(arguments[0])", result)
        self.browser.switch_to.frame(self.browser.find_element(By.ID, "view"))

    def all(self, selector: str) -> list[WebElement]:
        return self.browser.find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector: str) -> WebElement:
        return self.browser.find_element(By.CSS_SELECTOR, selector)

    def table_rows(self, caption: str) -> list[list[str]]:
        for table in self.all("table"):
            if table.find_element(By.TAG_NAME, "caption").text == caption:
                return [
                    [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
                    for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
                ]
        raise AssertionError(f"no table captioned {caption!r}")

    def tab_through(self, presses: int = 60) -> list[str]:
        """What the Tab key focuses, in order, starting from the top of the view's document."""
        self.browser.execute_script("document.activeElement && document.activeElement.blur(); window.focus()")
        visited = []
        for _ in range(presses):
            ActionChains(self.browser).send_keys(Keys.TAB).perform()
            focused = self.browser.execute_script(
                "const e = document.activeElement;"
                "return e === document.body ? null : "
                "(e.getAttribute('class') || e.tagName) + ' ' + "
                "(e.getAttribute('data-month') || e.getAttribute('aria-label') || '')"
            )
            if focused is None or (visited and focused == visited[0]):
                break
            visited.append(str(focused).strip())
        return visited

    def tooltip(self) -> str:
        tip = self.one("#tooltip")
        assert tip.is_displayed()
        return str(tip.text)

    def host_state(self) -> Any:
        self.browser.switch_to.default_content()
        state = self.browser.execute_script("return host")
        self.browser.switch_to.frame(self.browser.find_element(By.ID, "view"))
        return state

    def assert_clean(self) -> None:
        """No console errors (CSP refusals included) and no request but the host page itself."""
        errors = console_errors(self.browser)
        assert errors == [], errors
        assert set(requested_urls(self.browser)) <= {self.host_url}

    def screenshot(self, name: str, *, docs: bool = True) -> None:
        self.browser.switch_to.default_content()
        png = self.browser.find_element(By.ID, "view").screenshot_as_png
        self.browser.switch_to.frame(self.browser.find_element(By.ID, "view"))
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"{name}.png").write_bytes(png)
        if docs and os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
            (DOC_IMAGES / f"{name}.png").write_bytes(png)
        print(f"screenshot: {ARTIFACTS / name}.png")


def test_the_logs_see_what_a_sandboxed_view_does(browser: webdriver.Chrome, host: str) -> None:
    """The clean-view assertions below mean something only if a misbehaving view would be caught."""
    browser.get(host)
    console_errors(browser), requested_urls(browser)
    probe = (
        "<body><script>console.error('probe'); fetch('http://127.0.0.1:9/probe').catch(() => {});</script>"
    )
    browser.execute_script("loadView(arguments[0], 300, 'light')", probe)
    WebDriverWait(browser, WAIT_SECONDS).until(lambda d: "http://127.0.0.1:9/probe" in requested_urls(d))
    assert any('"probe"' in message for message in console_errors(browser))


@pytest.fixture
def view(browser: webdriver.Chrome, host: str) -> Iterator[Shown]:
    shown = Shown(browser, host)
    yield shown
    browser.switch_to.default_content()


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


def test_a_result_string_with_markup_is_shown_as_text(upstream: FixtureUpstream, view: Shown) -> None:
    args = {"region_code": "11440", "start_month": "202301", "end_month": "202302", "name_contains": XSS}
    result = tool_result(upstream, "get_price_trend", args)
    assert result["structuredContent"]["filters"] == {"name_contains": XSS}
    view.show(view_document(upstream, "trend"), args, result)

    assert XSS in view.one("p.sub").text
    assert view.all("img") == []
    assert view.browser.title != "pwned"
    assert "거래가 없습니다" in view.one("main").text  # both months empty: no chart, said in words
    view.assert_clean()


def test_the_view_waits_for_the_result_and_shows_a_tool_error_as_its_message(
    upstream: FixtureUpstream, view: Shown
) -> None:
    args = {"region_code": "11110", "start_month": "202301", "end_month": "202302"}  # key not registered
    result = tool_result(upstream, "get_price_trend", args, error=True)
    view.show(view_document(upstream, "trend"), args, None)
    assert view.one("main").text == "데이터를 가져오는 중…"
    view.deliver(result)
    WebDriverWait(view.browser, WAIT_SECONDS).until(lambda d: view.all("p.status.error"))
    assert view.one("p.status.error").text == result["content"][0]["text"]
    assert "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in view.one("p.status.error").text
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


@pytest.mark.parametrize("name", ["app-trend", "app-comparison", "app-jeonse-ratio", "app-complex"])
def test_the_readmes_show_each_screenshot(name: str) -> None:
    assert (DOC_IMAGES / f"{name}.png").stat().st_size > 10_000
    for readme in ("README.md", "README.ko.md"):
        assert f"docs/images/{name}.png" in (REPO / readme).read_text(encoding="utf-8")
