"""deploy/systemd, checked without installing anything: `systemd-analyze verify` when this machine has it
(warnings count as failures: it only warns about unknown keys and bad values), and in any case a parse of
the unit that checks what the no-Docker guide relies on."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNITS = sorted((REPO / "deploy" / "systemd").glob("*.service"))
INSTALL_ROOT = "/opt/real-estate-mcp"  # where the unit expects the checkout (docs/deployment.md)


def parse(unit: Path) -> dict[str, dict[str, list[str]]]:
    """Sections -> key -> values (systemd allows a key more than once, e.g. Environment=)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(unit.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{unit.name}:{number}: a setting before any [Section]"
        key, separator, value = line.partition("=")
        assert separator, f"{unit.name}:{number}: not KEY=VALUE: {line!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_there_is_a_unit() -> None:
    assert [unit.name for unit in UNITS] == ["real-estate-mcp.service"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_the_unit_runs_the_native_runner_from_the_checkout(unit: Path) -> None:
    service = parse(unit)["Service"]
    start = service["ExecStart"][0]

    assert service["WorkingDirectory"] == [INSTALL_ROOT]
    assert start.startswith(f"{INSTALL_ROOT}/")
    runner = REPO / start.removeprefix(f"{INSTALL_ROOT}/")
    assert runner == REPO / "scripts" / "dev"
    assert os.access(runner, os.X_OK)


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_the_unit_stops_the_stack_in_order_and_restarts_it(unit: Path) -> None:
    sections = parse(unit)
    service = sections["Service"]

    # Only ./scripts/dev gets SIGTERM; it stops Caddy first, then the services.
    assert service["KillMode"] == ["mixed"]
    assert service["Restart"] == ["on-failure"]
    assert service["User"] != ["root"]
    assert service["AmbientCapabilities"] == ["CAP_NET_BIND_SERVICE"]
    assert service["CapabilityBoundingSet"] == ["CAP_NET_BIND_SERVICE"]
    assert service["NoNewPrivileges"] == ["true"]
    assert sections["Install"]["WantedBy"] == ["multi-user.target"]
    assert "network-online.target" in sections["Unit"]["After"][0]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_systemd_accepts_the_unit(unit: Path, tmp_path: Path) -> None:
    # Verified as installed on this checkout: systemd-analyze checks that ExecStart is executable.
    installed = tmp_path / unit.name
    installed.write_text(unit.read_text(encoding="utf-8").replace(INSTALL_ROOT, str(REPO)), encoding="utf-8")

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(installed)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
