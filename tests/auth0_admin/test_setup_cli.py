"""./scripts/auth0-setup as a command: the plan only reads, --apply sends exactly the documented changes
and reads the tenant back, a second run changes nothing, and exit codes and messages say what is wrong.

These are the end-to-end promises docs/deployment.md makes for the command as a whole (auth0_admin/
setup_cli.py); what each item checks and changes is tested beside its module in tenant_setup/.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.auth0_admin.conftest import CONNECTION, DISPLAY_NAME, IDENTIFIER, OPTIONS
from tests.auth0_admin.setup_support import (
    FRESH_TENANT_CHANGES,
    READS,
    Run,
    db_connection,
    plan_lines,
    reads,
    verdicts,
)
from tests.support.fake_auth0_management.api import FakeManagementApi
from tests.support.fake_auth0_management.credentials import CLIENT_SECRET, DOMAIN

REPO = Path(__file__).resolve().parents[2]


def test_the_plan_only_reads_and_says_what_it_would_change_and_why(
    setup: Run, fake: FakeManagementApi
) -> None:
    result = setup()

    assert result.code == 0
    assert reads(fake) == READS
    assert fake.changes() == []
    assert plan_lines(result) == {
        "api": "CHANGE",
        "api-permissions": "OK",
        "third-party-access": "CHANGE",
        "resource-parameter": "CHANGE",
        "issuer-in-response": "CHANGE",
        "dcr": "CHANGE",
        "connection-domain-level": "CHANGE",
        "application-connections": "OK",
        "connection-signups": "CHANGE",
        "cimd": "N/A",
    }
    assert (
        "CHANGE  dcr: dynamic client registration is off -> will turn it on (ChatGPT and Claude register "
        "themselves; registering grants nothing, signing in does)" in result.lines
    )
    assert "N/A     cimd: client ID metadata document support is not available on this tenant" in result.out
    assert result.lines[-1] == "7 change(s) to make: run ./scripts/auth0-setup --apply"


def test_apply_sends_exactly_the_documented_changes_then_every_item_passes(
    setup: Run, fake: FakeManagementApi
) -> None:
    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    assert fake.changes() == FRESH_TENANT_CHANGES
    assert reads(fake) == READS + READS  # the plan, then the read-back
    assert set(verdicts(result).values()) == {"PASS", "N/A"}
    assert result.lines[-1] == "all items PASS"
    connection = db_connection(fake)
    assert connection["options"] == {**OPTIONS, "disable_signup": True}
    assert connection["display_name"] == DISPLAY_NAME
    assert fake.settings["flags"]["enable_client_connections"] is True  # read, never changed
    assert (
        f"PASS  application-connections: not needed: {CONNECTION!r} is domain level, enabled for every "
        "application (Enable Application Connections is on, left as it is)" in result.lines
    )


def test_a_second_run_changes_nothing(setup: Run, fake: FakeManagementApi) -> None:
    assert setup("--apply").code == 0

    plan = setup()
    assert fake.changes() == []
    assert set(plan_lines(plan).values()) == {"OK", "N/A"}
    assert plan.lines[-1] == "nothing to change"

    again = setup("--apply")
    assert again.code == 0
    assert fake.changes() == []
    assert again.lines[-1] == "all items PASS"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AUTH0_MGMT_CLIENT_ID", None, "AUTH0_MGMT_CLIENT_ID: is not set"),
        (
            "AUTH0_DOMAIN",
            "https://tenant.example.auth0.com/",
            "AUTH0_DOMAIN: must be the bare tenant host name",
        ),
        ("AUTH0_MGMT_BASE_URL", "http://192.0.2.1:8080", "AUTH0_MGMT_BASE_URL: is for tests only"),
        ("PUBLIC_BASE_URL", None, "PUBLIC_BASE_URL is not set"),
    ],
)
def test_configuration_errors_name_the_variable(
    setup: Run, monkeypatch: pytest.MonkeyPatch, variable: str, value: str | None, message: str
) -> None:
    if value is None:
        monkeypatch.delenv(variable)
    else:
        monkeypatch.setenv(variable, value)

    result = setup()

    assert result.code == 2
    assert message in result.err


def test_the_script_runs_from_a_shell_with_dotenv_and_environment(
    fake: FakeManagementApi, tmp_path: Path
) -> None:
    """The command as the guide prints it; .env values fill in what the environment does not set."""
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"AUTH0_DOMAIN={DOMAIN}\nPUBLIC_BASE_URL=https://wrong.example.net\n", encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if key != "AUTH0_DOMAIN"}

    result = subprocess.run(
        [str(REPO / "scripts" / "auth0-setup"), "--env-file", str(dotenv)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "OK      api-permissions: OAUTH_SCOPES is empty" in result.stdout
    assert IDENTIFIER in result.stdout  # PUBLIC_BASE_URL from the environment won over .env
    assert CLIENT_SECRET not in result.stdout + result.stderr
