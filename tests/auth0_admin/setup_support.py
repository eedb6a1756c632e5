"""What a run of ./scripts/auth0-setup read, sent and printed, for the tests of the command and its items.

Every auth0-setup test runs the command in-process against the fake Management API (the `setup` and
`fake` fixtures in conftest.py) and asserts on what an operator or Auth0 would see: the GETs of the
plan, the exact changes, and the plan and read-back lines. Those readers and the expected request
lists live here once, so the modules split by item (tests/auth0_admin/tenant_setup/) and by command
behaviour read the output the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.auth0_admin.conftest import CONNECTION, DISPLAY_NAME, IDENTIFIER, OPTIONS, Result
from tests.support.fake_auth0_management.api import FakeManagementApi

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
