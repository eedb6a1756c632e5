"""The status page at / in a real browser (headless Debian Chromium, tests/support/browser.py), through
Caddy, the real gateway and the real MCP server with its cache, against the fixture upstream.

The page is read as an owner reads it: in Korean, drawn with a Korean font (the glyphs Chromium used
are asked from the browser itself), with the MCP URL and its copy button, with and without JavaScript.
A tool call through Caddy then moves today's count for its service on the next load. Screenshots go to
test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.mcp_client import APARTMENT_TRADES, connect, own_token
from tests.e2e.service_stack import ServiceStack, start_service_stack
from tests.support.browser import chromium, korean_fonts, screenshot

APT = "국토교통부_아파트 매매 실거래가 자료 (RTMSDataSvcAptTrade)"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, upstream_env: dict[str, str]) -> Iterator[ServiceStack]:
    home = tmp_path_factory.mktemp("status-page")
    started = start_service_stack(
        home,
        {**upstream_env, "CACHE_PATH": str(home / "cache.sqlite3")},
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )
    yield started
    started.stop()


def fonts_used_for(driver: webdriver.Chrome, selector: str) -> dict[str, int]:
    """Font family → glyphs Chromium drew with it in the first element matching ``selector``."""
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})
    node = driver.execute_cdp_cmd(
        "DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector}
    )
    driver.execute_cdp_cmd("CSS.enable", {})
    fonts: list[dict[str, Any]] = driver.execute_cdp_cmd(
        "CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}
    )["fonts"]
    return {font["familyName"]: int(font["glyphCount"]) for font in fonts}


def page_text(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.TAG_NAME, "main").text)


async def test_the_page_in_a_browser_and_its_counts_move_with_a_tool_call(stack: ServiceStack) -> None:
    with chromium() as browser:
        browser.get(stack.url + "/")
        assert "상태" in browser.title
        text = page_text(browser)
        for expected in (
            "Caddy가 이 페이지를 전달했습니다",
            "MCP 서버 응답",
            "AUTH_MODE=oauth",
            "data.go.kr 키 설정됨",
            "오늘은 아직 외부 요청이 없습니다",
        ):
            assert expected in text, expected
        assert browser.find_element(By.ID, "mcp-url").get_attribute("value") == f"{stack.url}/mcp"
        # "real-estate-mcp 상태": the Hangul is drawn with a Korean font, not as empty boxes.
        used = fonts_used_for(browser, "h1")
        korean = set(korean_fonts())
        assert any(family in korean and count >= 2 for family, count in used.items()), (used, korean)
        assert screenshot(browser, "status-page-before").stat().st_size > 10_000

        token = own_token(stack.url, CLIENT_ID, CLIENT_SECRET)
        async with connect(f"{stack.url}/mcp", headers={"Authorization": f"Bearer {token}"}) as client:
            assert not (await client.call_tool(*APARTMENT_TRADES)).is_error

        browser.refresh()
        row = browser.find_element(By.XPATH, f"//tr[td[1][normalize-space()='{APT}']]")
        cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        assert cells[1] == "1 / 10,000 (0%)"
        assert cells[2] == "1"
        assert "캐시" in page_text(browser)
        screenshot(browser, "status-page-after-a-tool-call")


def test_the_copy_button_copies_with_javascript(stack: ServiceStack) -> None:
    with chromium() as browser:
        browser.get(stack.url + "/")
        assert not browser.find_element(By.ID, "copied").is_displayed()

        browser.find_element(By.ID, "copy").click()

        WebDriverWait(browser, 10).until(expected_conditions.visibility_of_element_located((By.ID, "copied")))
        assert browser.current_url == stack.url + "/"  # no reload: the script handled the click
        selected = browser.execute_script(
            "var f = document.getElementById('mcp-url');"
            "return f.value.slice(f.selectionStart, f.selectionEnd);"
        )
        assert selected == f"{stack.url}/mcp"


def test_the_copy_button_without_javascript_focuses_the_address(stack: ServiceStack) -> None:
    with chromium(javascript=False) as browser:
        browser.get(stack.url + "/")
        browser.find_element(By.ID, "copy").click()

        WebDriverWait(browser, 10).until(expected_conditions.url_contains("copy=1"))
        hint = browser.find_element(By.ID, "copy-hint").text
        assert "Ctrl+C" in hint
        focused = browser.switch_to.active_element
        assert focused.get_attribute("id") == "mcp-url"
        focused.send_keys(Keys.CONTROL, "a")  # what the hint says to press
        selected = browser.execute_script(
            "var f = document.activeElement; return f.value.slice(f.selectionStart, f.selectionEnd);"
        )
        assert selected == f"{stack.url}/mcp"
        screenshot(browser, "status-page-copy-without-javascript")
