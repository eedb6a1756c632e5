"""What the browser tests of the chart views share, started once for this folder.

Headless Chromium (tests/support/browser.py) loads ``host_page.html`` from a loopback server; the host
page renders each view's document in an iframe sandboxed with ``allow-scripts`` only and speaks the host
side of MCP Apps (host_driver.py drives it). Starting Chromium is the expensive part, so the browser,
the host page's server and the fixture upstream are package-scoped: one start serves every module here,
as one start served the single module (test_views_browser.py) they were split from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver

from tests.mcp_server.apps.browser.host_driver import Shown
from tests.support.browser import chromium
from tests.support.document_server import DocumentServer
from tests.support.fixture_upstream.server import FixtureUpstream

HOST_PAGE = Path(__file__).with_name("host_page.html").read_bytes()


@pytest.fixture(scope="package")
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


@pytest.fixture(scope="package")
def host() -> Iterator[str]:
    with DocumentServer() as server:
        server.put("/host.html", HOST_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
        yield f"{server.base_url}/host.html"


@pytest.fixture(scope="package")
def browser() -> Iterator[webdriver.Chrome]:
    driver = chromium(width=1000, height=2600)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def view(browser: webdriver.Chrome, host: str) -> Iterator[Shown]:
    shown = Shown(browser, host)
    yield shown
    browser.switch_to.default_content()
