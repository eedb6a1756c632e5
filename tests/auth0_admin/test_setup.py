"""./scripts/auth0-setup against the fake Management API: what it reads, the exact changes it sends,
the read-back verdicts, and that a second run changes nothing."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from auth0_admin.tenant_setup.fixes import FIXES, UNKNOWN_FIXES
from tests.auth0_admin.conftest import (
    CONNECTION,
    DISPLAY_NAME,
    IDENTIFIER,
    OPTIONS,
    Result,
    documented_permissions,
    section,
)
from tests.support.fake_auth0_management.api import FakeManagementApi
from tests.support.fake_auth0_management.credentials import ALL_SCOPES, CLIENT_SECRET, DOMAIN

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
    ("PATCH", "/api/v2/tenants/settings", {"authorization_response_iss_parameter_supported": True}),
    ("PATCH", "/api/v2/tenants/settings", {"flags": {"enable_dynamic_client_registration": True}}),
    # Auth0 resets display_name to the name when a PATCH leaves it out: every PATCH sends it back.
    ("PATCH", "/api/v2/connections/con_db", {"is_domain_connection": True, "display_name": DISPLAY_NAME}),
    (
        "PATCH",
        "/api/v2/connections/con_db",
        # Auth0 replaces `options` whole: the other options must be sent back unchanged.
        {"options": {**OPTIONS, "disable_signup": True}, "display_name": DISPLAY_NAME},
    ),
]
OPTIONS_SCOPES = {"read:connections_options", "update:connections_options"}
CONNECTION_SCOPES = ("read:connections", "update:connections", *sorted(OPTIONS_SCOPES))


def reads(fake: FakeManagementApi) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.query) for r in fake.requests if r.method == "GET"]


def verdicts(result: Result) -> dict[str, str]:
    """The read-back: the lines after 'reading the tenant back:'."""
    after = result.out.split("reading the tenant back:", 1)[1]
    pattern = r"^(PASS|FAIL|N/A|UNKNOWN) +([a-z-]+):"
    return {m.group(2): m.group(1) for m in re.finditer(pattern, after, re.M)}


def plan_lines(result: Result) -> dict[str, str]:
    plan = result.out.split("reading the tenant back:", 1)[0]
    pattern = r"^(OK|CHANGE|N/A|UNKNOWN|FAIL) +([a-z-]+):"
    return {m.group(2): m.group(1) for m in re.finditer(pattern, plan, re.M)}


def db_connection(fake: FakeManagementApi) -> dict[str, Any]:
    return next(c for c in fake.connections if c["id"] == "con_db")


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
        {"options": OPTIONS, "display_name": DISPLAY_NAME},
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
    assert verdicts(result)["application-connections"] == "FAIL"
    assert plan_lines(result)["application-connections"] == "FAIL"
    assert f"      -> {FIXES['connection-domain-level']}" in result.lines
    assert not any(path.startswith("/api/v2/connections/") for _, path, _ in fake.changes())


def test_a_missing_management_permission_is_named(setup: Run, fake: FakeManagementApi) -> None:
    fake.granted_scopes.discard("update:tenant_settings")

    result = setup("--apply")

    assert result.code == 2
    assert "lacks the Management API permission update:tenant_settings" in result.err
    assert "Traceback" not in result.err


def test_a_rate_limit_is_waited_out_until_x_ratelimit_reset(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(1, reset_in=1)

    result = setup()

    assert result.code == 0, result.err
    first, retry = fake.requests[0], fake.requests[1]
    assert (first.method, first.path) == (retry.method, retry.path) == ("GET", "/api/v2/tenants/settings")
    assert retry.at >= fake.rate_limit_resets[0]  # not before the epoch second X-RateLimit-Reset names
    assert reads(fake)[1:] == READS


def test_a_rate_limit_with_only_retry_after_is_waited_out_too(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(1, retry_after=1)

    result = setup()

    assert result.code == 0, result.err
    first, retry = fake.requests[0], fake.requests[1]
    assert retry.at - first.at >= 1.0  # not before Retry-After


def test_a_rate_limit_that_does_not_end_stops_the_command(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit(4, reset_in=1)

    result = setup()

    assert result.code == 2
    assert "429 (rate limit)" in result.err
    assert len(fake.requests) == 4  # the first try and three bounded retries


def test_a_rate_limited_change_is_retried_once_it_is_allowed(setup: Run, fake: FakeManagementApi) -> None:
    """A 429 means Auth0 did nothing, so even a create may be sent again after the wait."""
    fake.fail_next("POST", "/api/v2/resource-servers", status=429)

    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    posts = [c for c in fake.changes() if c[:2] == ("POST", "/api/v2/resource-servers")]
    assert len(posts) == 2
    assert [rs["identifier"] for rs in fake.resource_servers].count(IDENTIFIER) == 1


def test_a_failed_read_is_repeated(setup: Run, fake: FakeManagementApi) -> None:
    fake.fail_next("GET", "/api/v2/tenants/settings", status=503)

    result = setup()

    assert result.code == 0, result.err
    assert reads(fake) == [READS[0], *READS]


def test_the_token_request_waits_out_a_rate_limit(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit_token(2, reset_in=1)

    result = setup()

    assert result.code == 0, result.err
    assert len(fake.token_requests) == 3
    assert reads(fake) == READS


def test_a_token_rate_limit_that_does_not_end_stops_the_command(setup: Run, fake: FakeManagementApi) -> None:
    fake.rate_limit_token(4, reset_in=1)

    result = setup()

    assert result.code == 2
    assert "429 (rate limit) to the token request after 3 waits" in result.err
    assert len(fake.token_requests) == 4
    assert fake.requests == []


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
    failures = section("### auth0-setup FAIL lines")

    documented = set(re.findall(r"^\| `([a-z-]+)` \|", failures, re.M))
    assert documented == set(FIXES)
    unknown = section("#### auth0-setup UNKNOWN lines")
    assert set(re.findall(r"^\| `([a-z-]+)` \|", unknown, re.M)) == set(UNKNOWN_FIXES)


@pytest.mark.parametrize("tenant", ["fresh", "half-done"])
def test_the_documented_permissions_are_enough_for_every_change(
    setup: Run, fake: FakeManagementApi, monkeypatch: pytest.MonkeyPatch, tenant: str
) -> None:
    permissions = documented_permissions("./scripts/auth0-setup")
    assert permissions >= OPTIONS_SCOPES
    fake.granted_scopes = set(permissions)
    if tenant == "half-done":  # every update path instead of the creates
        monkeypatch.setenv("OAUTH_SCOPES", "mcp:use")
        fake.resource_servers.append(
            {"id": "rs-mcp", "name": "mine", "identifier": IDENTIFIER, "signing_alg": "HS256", "scopes": []}
        )
        fake.client_grants.append(
            {
                "id": "cgr_1",
                "audience": IDENTIFIER,
                "default_for": "third_party_clients",
                "subject_type": "user",
                "scope": [],
            }
        )

    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    assert result.lines[-1] == "all items PASS"


def test_the_old_permission_set_leaves_sign_ups_unknown_then_the_new_scopes_converge(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.granted_scopes = set(ALL_SCOPES) - OPTIONS_SCOPES

    first = setup("--apply")

    assert first.code == 1
    assert verdicts(first)["connection-signups"] == "UNKNOWN"
    assert plan_lines(first)["connection-signups"] == "UNKNOWN"
    assert f"      -> {UNKNOWN_FIXES['connection-signups']}" in first.lines
    assert first.lines[-1] == "1 item(s) UNKNOWN (nothing was changed there): see the fixes above"
    assert not any("options" in (body or {}) for _, _, body in fake.changes())
    assert db_connection(fake)["options"] == OPTIONS
    assert db_connection(fake)["display_name"] == DISPLAY_NAME
    assert {v for k, v in verdicts(first).items() if k != "connection-signups"} <= {"PASS", "N/A"}

    fake.granted_scopes = set(ALL_SCOPES)
    second = setup("--apply")

    assert second.code == 0, second.out
    assert fake.changes() == [
        (
            "PATCH",
            "/api/v2/connections/con_db",
            {"options": {**OPTIONS, "disable_signup": True}, "display_name": DISPLAY_NAME},
        )
    ]
    assert db_connection(fake)["options"] == {**OPTIONS, "disable_signup": True}
    assert db_connection(fake)["display_name"] == DISPLAY_NAME
    assert setup("--apply").lines[-1] == "all items PASS"
    assert fake.changes() == []


@pytest.mark.parametrize(
    "lacking",
    [frozenset(c) for n in range(len(CONNECTION_SCOPES) + 1) for c in combinations(CONNECTION_SCOPES, n)],
    ids=lambda lacking: "+".join(sorted(lacking)) or "all",
)
def test_no_permission_set_loses_an_option_or_the_display_name(
    setup: Run, fake: FakeManagementApi, lacking: frozenset[str]
) -> None:
    """Every subset of the four connection permissions (the others all granted), with a sign-ups change
    planned: whatever the run does or refuses, every option and the label stay as they were."""
    fake.granted_scopes = set(ALL_SCOPES) - lacking

    result = setup("--apply")

    assert "Traceback" not in result.err
    options = db_connection(fake)["options"]
    assert {k: v for k, v in options.items() if k != "disable_signup"} == {
        k: v for k, v in OPTIONS.items() if k != "disable_signup"
    }
    assert db_connection(fake)["display_name"] == DISPLAY_NAME
    if "update:connections_options" in lacking and "read:connections_options" not in lacking:
        assert result.code == 2  # refused before the first change, naming both options scopes
        assert "read:connections_options and update:connections_options" in result.err
        assert "Nothing was changed" in result.err
        assert fake.changes() == []


def test_a_missing_connection_permission_names_the_options_scopes_too(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.granted_scopes.discard("update:connections")

    result = setup("--apply")

    assert result.code == 2
    assert "lacks the Management API permission update:connections" in result.err
    assert "need both read:connections_options and update:connections_options" in result.err
    assert "Nothing was changed" in result.err
    assert fake.changes() == []


@pytest.mark.parametrize("status", [409, 500, 503])
def test_a_create_answered_with_an_error_after_it_happened_is_not_sent_again(
    setup: Run, fake: FakeManagementApi, status: int
) -> None:
    fake.fail_next("POST", "/api/v2/resource-servers", status=status, after_change=True)
    fake.fail_next("POST", "/api/v2/client-grants", status=status, after_change=True)

    result = setup("--apply")

    assert result.code == 0, result.out + result.err
    posts = [(m, p) for m, p, _ in fake.changes() if m == "POST"]
    assert posts == [("POST", "/api/v2/resource-servers"), ("POST", "/api/v2/client-grants")]
    assert (
        f"        Auth0 answered {status} to creating the API {IDENTIFIER}, which exists: continuing with it"
        in result.lines
    )
    assert [rs["identifier"] for rs in fake.resource_servers].count(IDENTIFIER) == 1
    assert len(fake.client_grants) == 1
    assert result.lines[-1] == "all items PASS"
    assert setup("--apply").lines[-1] == "all items PASS"
    assert fake.changes() == []


def test_a_5xx_on_a_create_that_did_not_happen_stops_and_a_rerun_converges(
    setup: Run, fake: FakeManagementApi
) -> None:
    fake.fail_next("POST", "/api/v2/client-grants", status=503, after_change=False)

    first = setup("--apply")

    assert first.code == 2
    assert (
        "Auth0 answered 503 to creating the third-party applications' grant, and reading again does not "
        "find it" in first.err
    )
    assert [c[:2] for c in fake.changes()] == [
        ("POST", "/api/v2/resource-servers"),
        ("POST", "/api/v2/client-grants"),
    ]
    assert fake.client_grants == []

    second = setup("--apply")

    assert second.code == 0, second.out + second.err
    assert [rs["identifier"] for rs in fake.resource_servers].count(IDENTIFIER) == 1
    assert len(fake.client_grants) == 1
    assert setup().lines[-1] == "nothing to change"


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
