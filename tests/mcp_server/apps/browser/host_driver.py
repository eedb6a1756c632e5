"""Drives host_page.html from the test side: load a view, deliver a tool result, read back what it drew.

``Shown`` keeps the driver inside the view's frame between calls, and lets a test check that the
view stayed clean: no console error (CSP refusals included) and no request but the host page itself.
Screenshots go to test-artifacts/ (git-ignored). With ``UPDATE_DOCS_SCREENSHOTS=1`` they are also
written to docs/images/, where README.md shows them: look at them before committing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from tests.support.browser import console_errors, requested_urls

REPO = Path(__file__).resolve().parents[4]
ARTIFACTS = REPO / "test-artifacts"
DOC_IMAGES = REPO / "docs" / "images"
WAIT_SECONDS = 30  # a loaded 2-core CI box still answers well within this


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
