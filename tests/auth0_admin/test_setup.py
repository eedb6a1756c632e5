"""./scripts/auth0-setup against the fake Management API: what it reads, the exact changes it sends,
the read-back verdicts, and that a second run changes nothing."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from auth0_admin.tenant_setup import FIXES
from tests.auth0_admin.conftest import CONNECTION, IDENTIFIER, Result
from tests.support.fake_auth0_management import CLIENT_SECRET, DOMAIN, FakeManagementApi

REPO = Path(__file__).resolve().parents[2]
Run = Callable[..., Result]

READS = [
    ("GET", "/api/v2/tenants/settings", {}),
    (
        "GET",
        "/api/v2/resource-servers",
        {"identifiers": IDENTIFIER, "page": "0", "per_page": "50", "include_totals": "true"},
    ),
    ("GET", "/api/v2/connections", {"name": CONNECTION, "take": "50", "include_totals": "true"}),
    (
        "GET",
        "/api/v2/client-grants",
        {
            "audience": IDENTIFIER,
            "default_for": "third_party_clients",
            "subject_type": "user",
            "take": "50",
            "include_totals": "true",
        },
    ),
]
FRESH_TENANT_CHANGES = [
    (
        "POST",
        "/api/v2/resource-servers",
        {"identifier": IDENTIFIER, "name": "real-estate-mcp", "signing_alg": "RS256", "scopes": []},
    ),
    (
        "POST",
        "/api/v2/client-grants",
        {"audience": IDENTIFIER, "default_for": "third_party_clients", "subject_type": "user", "scope": []},
    ),
    ("PATCH", "/api/v2/tenants/settings", {"resource_parameter_profile": "compatibility"}),
    ("PATCH", "/api/v2/tenants/settings", {"flags": {"enable_dynamic_client_registration": True}}),
    ("PATCH", "/api/v2/connections/con_db", {"is_domain_connection": True}),
    (
        "PATCH",
        "/api/v2/connections/con_db",
        # Auth0 replaces `options` whole: the other options must be sent back unchanged.
        {"options": {"disable_signup": True, "passwordPolicy": "good", "brute_force_protection": True}},
    ),
]


def reads(fake: FakeManagementApi) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.query) for r in fake.requests if r.method == "GET"]


def verdicts(result: Result) -> dict[str, str]:
    return {m.group(2): m.group(1) for m in re.finditer(r"^(PASS|FAIL|N/A) +([a-z-]+):", result.out, re.M)}


def plan_lines(result: Result) -> dict[str, str]:
    return {m.group(2): m.group(1) for m in re.finditer(r"^(OK|CHANGE|N/A) +([a-z-]+):", result.out, re.M)}


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
        "dcr": "CHANGE",
        "connection-domain-level": "CHANGE",
        "connection-signups": "CHANGE",
        "cimd": "N/A",
    }
    assert (
        "CHANGE  dcr: dynamic client registration is off -> will turn it on (ChatGPT and Claude register "
        "themselves; registering grants nothing, signing in does)" in result.lines
    )
    assert "N/A     cimd: client ID metadata document support is not available on this tenant" in result.out
    assert result.lines[-1] == "6 change(s) to make: run ./scripts/auth0-setup --apply"


def test_apply_sends_exactly_the_documented_changes_then_every_item_passes(
    setup: Run, fake: FakeManagementApi
) -> None:
    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    assert fake.changes() == FRESH_TENANT_CHANGES
    assert reads(fake) == READS + READS  # the plan, then the read-back
    assert set(verdicts(result).values()) == {"PASS", "N/A"}
    assert result.lines[-1] == "all items PASS"


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


def test_scopes_are_defined_and_granted_next_to_what_exists(
    setup: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTH_SCOPES", "mcp:use mcp:admin")
    existing_scope = {"value": "read:other", "description": "kept"}
    fake.resource_servers.append(
        {
            "id": "rs-mcp",
            "name": "mine",
            "identifier": IDENTIFIER,
            "signing_alg": "HS256",
            "scopes": [existing_scope],
        }
    )
    fake.client_grants.append(
        {
            "id": "cgr_1",
            "audience": IDENTIFIER,
            "default_for": "third_party_clients",
            "subject_type": "user",
            "scope": ["mcp:use"],
        }
    )

    result = setup("--apply")

    assert result.code == 0, result.out
    described = [
        {"value": s, "description": "Use the real-estate-mcp tools"} for s in ("mcp:use", "mcp:admin")
    ]
    assert fake.changes()[:3] == [
        ("PATCH", "/api/v2/resource-servers/rs-mcp", {"signing_alg": "RS256"}),
        ("PATCH", "/api/v2/resource-servers/rs-mcp", {"scopes": [existing_scope, *described]}),
        ("PATCH", "/api/v2/client-grants/cgr_1", {"scope": ["mcp:use", "mcp:admin"]}),
    ]
    assert setup().lines[-1] == "nothing to change"


def test_options_default_audience_and_allow_signups(setup: Run, fake: FakeManagementApi) -> None:
    fake.connections[1]["options"]["disable_signup"] = True

    result = setup("--apply", "--default-audience", "--allow-signups")

    assert result.code == 0, result.out
    changes = fake.changes()
    assert ("PATCH", "/api/v2/tenants/settings", {"default_audience": IDENTIFIER}) in changes
    assert (
        "PATCH",
        "/api/v2/tenants/settings",
        {"resource_parameter_profile": "compatibility"},
    ) not in changes
    assert changes[-1] == (
        "PATCH",
        "/api/v2/connections/con_db",
        {"options": {"disable_signup": False, "passwordPolicy": "good", "brute_force_protection": True}},
    )
    assert verdicts(result)["default-audience"] == "PASS"


def test_client_id_metadata_documents_are_turned_on_when_the_tenant_offers_them(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.settings["client_id_metadata_document_supported"] = False

    result = setup("--apply")

    assert fake.changes()[-1] == (
        "PATCH",
        "/api/v2/tenants/settings",
        {
            "client_id_metadata_document_supported": True,
            "client_id_metadata_document_dynamic_registration_supported": True,
        },
    )
    assert verdicts(result)["cimd"] == "PASS"


def test_client_id_metadata_documents_refused_by_the_tenant_are_not_a_failure(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.settings["client_id_metadata_document_supported"] = False
    fake.cimd_refused = True

    result = setup("--apply")

    assert result.code == 0, result.out
    assert verdicts(result)["cimd"] == "N/A"
    assert "not available on this tenant" in result.out


def test_a_missing_connection_fails_with_its_fix(setup: Run, fake: FakeManagementApi) -> None:
    result = setup("--apply", "--connection", "no-such-connection")

    assert result.code == 1
    assert verdicts(result)["connection-domain-level"] == "FAIL"
    assert verdicts(result)["connection-signups"] == "FAIL"
    assert f"      -> {FIXES['connection-domain-level']}" in result.lines
    assert not any(path.startswith("/api/v2/connections/") for _, path, _ in fake.changes())


def test_a_missing_management_permission_is_named(setup: Run, fake: FakeManagementApi) -> None:
    fake.granted_scopes.discard("update:tenant_settings")

    result = setup("--apply")

    assert result.code == 2
    assert "lacks the Management API permission update:tenant_settings" in result.err
    assert "Traceback" not in result.err


def test_a_rate_limit_is_waited_out_as_retry_after_says(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(1, retry_after=1)

    result = setup()

    assert result.code == 0, result.err
    first, retry = fake.requests[0], fake.requests[1]
    assert (first.method, first.path) == (retry.method, retry.path) == ("GET", "/api/v2/tenants/settings")
    assert retry.at - first.at >= 1.0  # not before Retry-After
    assert reads(fake)[1:] == READS


def test_a_rate_limit_that_does_not_end_stops_the_command(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(4, retry_after=1)

    result = setup()

    assert result.code == 2
    assert "429 (rate limit)" in result.err
    assert len(fake.requests) == 4  # the first try and three bounded retries


def test_rejected_credentials_say_what_to_check(
    setup: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_MGMT_CLIENT_SECRET", "wrong")

    result = setup()

    assert result.code == 2
    assert "Check AUTH0_MGMT_CLIENT_ID / AUTH0_MGMT_CLIENT_SECRET" in result.err
    assert fake.requests == []


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


def test_every_fail_identifier_is_explained_in_the_troubleshooting_guide() -> None:
    guide = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    section = guide.split("### auth0-setup FAIL lines", 1)[1].split("\n## ", 1)[0]

    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))
    assert documented == set(FIXES)


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
