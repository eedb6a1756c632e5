"""The whole output of ./scripts/verify-deployment, stored: what the user reads must not change by accident.

The other modules assert the lines each case is about; this one compares every line, the exit status
and stderr of fifteen scenarios with tests/e2e/verify_deployment/stored_output/NAME.txt, so a refactor
of the script keeps its wording byte for byte. It runs on the same stacks and fakes as the other modules
(conftest.py), so it starts none of its own.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.fake_deployment import auth0_like, json_answer
from tests.e2e.stack_processes import Stack
from tests.e2e.verify_deployment.support import dotenv, verify
from tests.support.oidc_issuer.issuer import OidcTestIssuer

STORED_OUTPUT = Path(__file__).with_name("stored_output")
# What differs from run to run, or from one OpenSSL to another, and says nothing about the script: ports,
# registered client ids, dates, OpenSSL's wording of a verification failure and where CPython raised it.
VOLATILE = [
    (re.compile(r"(127\.0\.0\.1|localhost):\d+"), r"\1:PORT"),
    (re.compile(r"client-[0-9a-f]{16}"), "client-ID"),
    (re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2} UTC)?"), "DATE"),
    (re.compile(r"certificate verify failed: [^(]*\(_ssl\.c:\d+\)"), "certificate verify failed: REASON"),
]


def output_scenario(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, list[str]]:
    """The command line of each stored scenario, on the stacks and fakes the other modules use
    (conftest.py)."""
    if name == "help":
        return "--help", []
    if name == "plain_http_for_a_public_host":
        return "http://mcp.example.ddns.net", []
    if name == "untrusted_certificate":
        return request.getfixturevalue("self_signed_server"), []
    if name in ("registration_disabled_at_auth0", "no_tool_list"):
        resource, issuer = request.getfixturevalue("fakes")
        if name == "no_tool_list":
            broken = json_answer(200, {"jsonrpc": "2.0", "id": 2, "error": {"code": -32601, "message": "x"}})
            auth0_like(resource, issuer, mcp=broken)
            claims = {"iss": issuer.url + "/", "aud": resource.url + "/mcp", "exp": int(time.time()) + 3630}
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            return resource.url, ["--skip-dcr", "--token", f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln"]
        auth0_like(resource, issuer, registration=json_answer(403, {"error": "access_denied"}))
        return resource.url, []
    if name == "no_data_key":
        return request.getfixturevalue("keyless_stack").url, ["--skip-dcr"]
    if name.startswith("built_in") or name in ("issuer_without_slash", "auth_mode_none"):
        stacks = request.getfixturevalue("misconfigured")
        if name == "issuer_without_slash":
            return stacks["issuer_without_slash"].url, []
        if name == "auth_mode_none":
            return stacks["none_mode"].url, []
        secret = {"built_in_round_trip": CLIENT_SECRET, "built_in_wrong_secret": "w" * 40}[name]
        return stacks["built_in"].url, ["--client-credentials-from", dotenv(tmp_path, CLIENT_ID, secret)]
    stack: Stack = request.getfixturevalue("oidc_stack")
    issuer_: OidcTestIssuer = request.getfixturevalue("oidc_issuer")
    tokens = {
        "good_token": issuer_.mint(aud=stack.url + "/mcp", exp_in=3630),
        "expired_token": issuer_.mint(aud=stack.url + "/mcp", exp_in=-600),
        "opaque_token": "8f3bYqv0c2Zr9KxS1mWn4TtUe7Lh5AjD",
    }
    if name in tokens:
        return stack.url, ["--skip-dcr", "--token", tokens[name]]
    if name == "unserved_host":
        return stack.url.replace("127.0.0.1", "localhost"), []
    return stack.url, []  # auth0_style_issuer


@pytest.mark.parametrize(
    "name",
    [
        "auth0_style_issuer",
        "built_in_round_trip",
        "built_in_wrong_secret",
        "issuer_without_slash",
        "auth_mode_none",
        "unserved_host",
        "good_token",
        "expired_token",
        "opaque_token",
        "no_data_key",
        "untrusted_certificate",
        "registration_disabled_at_auth0",
        "no_tool_list",
        "plain_http_for_a_public_host",
        "help",
    ],
)
def test_the_whole_output_is_the_stored_one(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Every line, the exit status and stderr, on the shared stacks, as stored in
    stored_output/NAME.txt (refactors of the script keep it byte for byte, but for VOLATILE).
    After an intended change: VERIFY_DEPLOYMENT_STORE=1 rewrites the files; review their diff."""
    url, options = output_scenario(name, request, tmp_path)
    result = verify(url, *options, env={**os.environ, "COLUMNS": "80"})  # --help wraps at the width
    seen = f"exit {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    for pattern, replacement in VOLATILE:
        seen = pattern.sub(replacement, seen)
    stored = STORED_OUTPUT / f"{name}.txt"
    if os.environ.get("VERIFY_DEPLOYMENT_STORE") == "1":
        STORED_OUTPUT.mkdir(exist_ok=True)
        stored.write_text(seen, encoding="utf-8")
    assert stored.exists(), f"no {stored.name}: run with VERIFY_DEPLOYMENT_STORE=1 and review it"
    assert seen == stored.read_text(encoding="utf-8")
