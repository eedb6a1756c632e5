"""Headless Chromium for page tests: Debian's chromium and chromium-driver (./scripts/ensure-browser).

``chromium(window_size)`` starts one with the browser console and network events recorded, so a test can
assert "no console errors" (``console_errors``) and "no requests but these" (``requested_urls``). When
Chromium is missing the test fails with what to run, instead of skipping.
"""

from __future__ import annotations

import json
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

__all__ = ["MISSING_BROWSER", "chromium", "console_errors", "requested_urls"]

MISSING_BROWSER = (
    "chromium and chromedriver are needed for this test: run ./scripts/ensure-browser "
    "(it installs Debian's chromium, chromium-driver and fonts-nanum)"
)


def chromium(width: int = 900, height: int = 900) -> webdriver.Chrome:
    chromium_path, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium_path is None or chromedriver is None:
        pytest.fail(MISSING_BROWSER)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium_path
    for argument in (
        "--headless=new",
        "--no-sandbox",  # tests run as root in a container
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--lang=ko-KR",
        "--hide-scrollbars",
        # A sandboxed iframe would otherwise run in a process of its own, whose console and network
        # events never reach the driver's logs: "no errors, no requests" would hold vacuously.
        "--disable-features=IsolateSandboxedIframes",
        "--disable-site-isolation-trials",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_page_load_timeout(30)
    return driver


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """Console messages of level error (or worse) since the last call, from every frame."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def requested_urls(driver: webdriver.Chrome) -> list[str]:
    """Every URL the browser asked for since the last call (DevTools Network.requestWillBeSent)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
