"""Headless Chromium for the page tests: Debian's chromium, chromium-driver and fonts-nanum.

``chromium(width, height)`` starts one with the browser console and network events recorded, so a test
can assert "no console errors" (``console_errors``) and "no requests but these" (``requested_urls``);
the driver quits at the end of a ``with`` block (or call ``quit()``). ``javascript=False`` starts one
with scripts blocked, for pages that must work without them.

When Chromium, chromedriver or a Korean font is missing, the decision is made here, in one place: on a
user's machine the test is skipped and the run ends with one loud line saying how to install them
(tests/conftest.py), since ./scripts/test never installs system packages by itself; under CI (CI=true,
where .ci/run installs them first) it fails, so the page tests cannot silently stop running.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # selenium is imported by the browser tests only, not by every run's conftest
    from selenium import webdriver

__all__ = [
    "ARTIFACTS",
    "INSTALL_HINT",
    "SKIP_REASON",
    "chromium",
    "console_errors",
    "korean_fonts",
    "missing_browser_parts",
    "requested_urls",
    "screenshot",
]

PACKAGES = "chromium chromium-driver fonts-nanum"
INSTALL_HINT = f"sudo apt-get install {PACKAGES} (or ./scripts/ensure-browser, which runs it)"
SKIP_REASON = "browser test: Chromium, chromedriver or a Korean font is missing"
# Screenshots of the pages, for a person to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def korean_fonts() -> list[str]:
    """Font families fontconfig offers for Korean (empty without fc-list or such a font)."""
    if shutil.which("fc-list") is None:
        return []
    listed = subprocess.run(
        ["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False, timeout=30
    )
    return sorted({family.strip() for line in listed.stdout.splitlines() for family in line.split(",")})


def missing_browser_parts() -> list[str]:
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    if not korean_fonts():
        missing.append("a Korean font (fonts-nanum)")
    return missing


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def chromium(width: int = 900, height: int = 900, *, javascript: bool = True) -> webdriver.Chrome:
    """A headless Chromium session; skips (fails under CI) when the browser is not installed."""
    missing = missing_browser_parts()
    if missing:
        message = f"{SKIP_REASON} ({', '.join(missing)}): install with {INSTALL_HINT}"
        if _in_ci():
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(shutil.which("chromium"))
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
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(
        options=options, service=Service(executable_path=str(shutil.which("chromedriver")))
    )
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


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """test-artifacts/NAME.png, its path printed so a person can look at what the page showed."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"could not write {path}"
    print(f"screenshot: {path}")
    return path
