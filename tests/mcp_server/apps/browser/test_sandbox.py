"""The chart views as untrusted content in a sandboxed frame, and their side of the MCP Apps handshake.

A probe shows the console and network logs would catch a misbehaving frame (so every other test's
"clean" check means something); markup in a result is shown as text; a view waits for its result and
shows a tool error as its message.
"""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.mcp_server.apps.browser.host_driver import WAIT_SECONDS, Shown
from tests.mcp_server.apps.browser.tool_results import tool_result, view_document
from tests.support.browser import console_errors, requested_urls
from tests.support.fixture_upstream.server import FixtureUpstream

XSS = "<img src=x onerror=\"document.title='pwned'\">"


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
