"""The operator commands' SDK stays out of the service images: only the dev lock (./scripts/test,
./scripts/dev and the two commands' .venv) installs auth0-python, and no service imports auth0_admin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("group", ["mcp-server", "auth-gateway"])
def test_service_locks_do_not_install_the_management_sdk(group: str) -> None:
    lock = (REPO / "requirements" / f"{group}.txt").read_text(encoding="utf-8")

    assert not re.search(r"^auth0-python==", lock, re.M)


def test_the_dev_lock_installs_it() -> None:
    lock = (REPO / "requirements" / "dev.txt").read_text(encoding="utf-8")

    assert re.search(r"^auth0-python==6\.", lock, re.M)


@pytest.mark.parametrize("package", ["mcp_server", "auth_gateway"])
def test_no_service_imports_the_operator_package(package: str) -> None:
    for module in (REPO / package).rglob("*.py"):
        assert "auth0_admin" not in module.read_text(encoding="utf-8"), module
