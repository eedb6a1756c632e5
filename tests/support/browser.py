"""Headless Chromium for the page tests (Debian's chromium, chromium-driver and fonts-nanum), or a
decision about its absence made in one place.

On a user's machine without them, each browser test is skipped and the run ends with one loud line
saying how to install them (tests/conftest.py): ./scripts/test never installs system packages by
itself. Under CI (CI=true, where .ci/run installs them first) a missing browser is a failure, so the
page tests cannot silently stop running.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
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
    "korean_fonts",
    "missing_browser_parts",
    "screenshot",
]

PACKAGES = "chromium chromium-driver fonts-nanum"
# Screenshots of the pages, for a person to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
INSTALL_HINT = f"sudo apt-get install {PACKAGES} (or ./scripts/ensure-browser, which runs it)"
SKIP_REASON = "browser test: Chromium, chromedriver or a Korean font is missing"


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


@contextmanager
def chromium(*, javascript: bool = True) -> Iterator[webdriver.Chrome]:
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
        "--window-size=900,1100",
        "--lang=ko-KR",
    ):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(
        options=options, service=Service(executable_path=str(shutil.which("chromedriver")))
    )
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """test-artifacts/NAME.png, its path printed so a person can look at what the page showed."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"could not write {path}"
    print(f"screenshot: {path}")
    return path
