"""The owner login page in a real browser: headless Chromium (Debian's chromium and chromium-driver,
tests/support/browser.py) driven by selenium, against the real
gateway behind Caddy.

The browser loads the page, a wrong password is typed and submitted, then the right one; the test
asserts that the browser ends up at the client's redirect URI with a code. Screenshots of the page go
to test-artifacts/ (git-ignored) and their paths are printed, so a person can see what owners see.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from auth_gateway.authorization_server.pkce import s256_challenge
from tests.e2e.stack_processes import RecordingMcpServer, Stack
from tests.e2e.test_owner_login import OWNER_PASSWORD, owner_stack
from tests.support.browser import chromium, screenshot
from tests.support.document_server import DocumentServer


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mcp_server: RecordingMcpServer) -> Iterator[Stack]:
    running = owner_stack(tmp_path_factory, mcp_server, "owner-browser")
    yield running
    running.stop()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    with chromium(width=900, height=900) as driver:  # quits the browser at the end
        yield driver


def test_the_owner_logs_in_with_a_real_browser(stack: Stack, browser: webdriver.Chrome) -> None:
    with DocumentServer() as callback_site:  # the client's redirect URI, so the browser lands somewhere
        callback_site.put("/callback", b'{"landed": true}')
        redirect_uri = f"{callback_site.base_url}/callback"
        registration = httpx.post(
            f"{stack.url}/oauth/register", json={"client_name": "ChatGPT", "redirect_uris": [redirect_uri]}
        )
        query = {
            "response_type": "code",
            "client_id": registration.json()["client_id"],
            "redirect_uri": redirect_uri,
            "code_challenge": s256_challenge("b" * 64),
            "code_challenge_method": "S256",
            "state": "browser-state",
            "resource": f"{stack.url}/mcp",
        }

        browser.get(f"{stack.url}/oauth/authorize?{urlencode(query)}")
        assert "연결 승인" in browser.title
        page_text = browser.find_element(By.TAG_NAME, "main").text
        assert "ChatGPT" in page_text
        assert f"127.0.0.1:{callback_site.port}" in page_text  # where the code will be sent
        assert screenshot(browser, "owner-login-page").stat().st_size > 10_000

        browser.find_element(By.ID, "password").send_keys("not-the-password")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 20).until(
            expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".alert"), "Wrong password")
        )
        screenshot(browser, "owner-login-wrong-password")

        browser.find_element(By.ID, "password").send_keys(OWNER_PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 20).until(expected_conditions.url_contains("/callback?"))
        landed = urlsplit(browser.current_url)
        assert callback_site.hits["/callback"] == 1

    assert f"{landed.scheme}://{landed.netloc}{landed.path}" == redirect_uri
    answer = dict(parse_qsl(landed.query))
    assert answer["code"]
    assert answer["state"] == "browser-state"
    assert answer["iss"] == stack.url
