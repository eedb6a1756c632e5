"""--token: its iss, aud and exp, decoded without trusting them; an opaque or encrypted token gets the
Auth0 fix. The token itself is never printed."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from verify_deployment.checks import token_claims
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.scripts.verify_deployment.conftest import printed

AUDIENCE = "https://mcp.example.net/mcp"
ISSUER = "https://tenant.example/"


def jws(claims: dict[str, Any]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln"


def claims_of(token: str, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any] | None, list[str]]:
    claims = token_claims.token_claims(Report(), token, AUDIENCE)
    return claims, printed(capsys)


@pytest.mark.parametrize(
    ("token", "said"),
    [
        (
            "8f3bYqv0c2Zr9KxS1mWn4TtUe7Lh5AjD",
            "the token is opaque, not a signed JWT: it cannot be verified here",
        ),
        ("a.bm90IGpzb24.c", "the token is opaque, not a signed JWT: it cannot be verified here"),
        (
            "eyJhbGciOiJkaXIifQ..aGVsbG8.d29ybGQ.dGFn",
            "the token is encrypted (JWE): nobody but Auth0 can read or verify it",
        ),
    ],
)
def test_an_unreadable_token_gets_the_auth0_fix(
    capsys: pytest.CaptureFixture[str], token: str, said: str
) -> None:
    claims, lines = claims_of(token, capsys)

    assert claims is None
    assert lines == [
        f"FAIL  [token-shape] {said}",
        f"      -> In Auth0, create an API whose identifier is {AUDIENCE} and enable the Resource Parameter "
        "Compatibility Profile (or make that API the tenant's default audience): ./scripts/auth0-setup "
        "--apply",
    ]


def test_good_claims_pass_each(capsys: pytest.CaptureFixture[str]) -> None:
    claims = {"iss": ISSUER, "aud": [AUDIENCE, ISSUER + "userinfo"], "exp": time.time() + 3630}

    token_claims.check_token_claims(Report(), claims, ISSUER, AUDIENCE)

    assert printed(capsys) == [
        f"PASS  token iss = {ISSUER}",
        f"PASS  token aud includes {AUDIENCE}",
        "PASS  token exp: valid for 60 more minutes",
    ]


def test_wrong_claims_are_named_one_by_one(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()
    claims = {"iss": "https://other.example/", "aud": ISSUER + "userinfo", "exp": 0}

    token_claims.check_token_claims(report, claims, ISSUER, AUDIENCE)

    lines = printed(capsys)
    assert (
        lines[0]
        == f"FAIL  [token-issuer] token iss is 'https://other.example/', the metadata's issuer is '{ISSUER}'"
    )
    assert (
        lines[2]
        == f"FAIL  [token-audience] token aud is '{ISSUER}userinfo', the protected resource is '{AUDIENCE}'"
    )
    assert "enable the Resource Parameter Compatibility Profile" in lines[3]
    assert lines[4:] == [
        "FAIL  [token-expiry] the token expired at 1970-01-01 00:00:00 UTC",
        "      -> get a fresh token and run again",
    ]
    assert report.failures == 3


def test_no_exp_and_no_advertised_issuer(capsys: pytest.CaptureFixture[str]) -> None:
    token_claims.check_token_claims(Report(), {"aud": AUDIENCE}, None, AUDIENCE)

    assert printed(capsys) == [
        f"PASS  token aud includes {AUDIENCE}",
        "FAIL  [token-expiry] the token has no exp claim",
        "      -> the gateway refuses tokens without an expiry",
    ]


def test_an_unreadable_token_stops_before_tools_list(capsys: pytest.CaptureFixture[str]) -> None:
    """The gateway would refuse it for the same reason: one line, no request."""
    deployment = Deployment("http://127.0.0.1:9", token="opaque-token-value")

    token_claims.run(Report(), deployment)

    output = "\n".join(printed(capsys))
    assert output.startswith("FAIL  [token-shape]")
    assert "tools/list" not in output
    assert "opaque-token-value" not in output


def test_without_a_token_nothing_runs(capsys: pytest.CaptureFixture[str]) -> None:
    token_claims.run(Report(), Deployment("http://127.0.0.1:9"))

    assert printed(capsys) == []
