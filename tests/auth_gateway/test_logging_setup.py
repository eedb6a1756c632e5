"""Logs: one JSON object per line, and never a token or a secret, whatever path a request takes."""

from __future__ import annotations

import json
import logging

import pytest

from auth_gateway.logging_setup import JsonFormatter
from tests.auth_gateway.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    GatewayFactory,
    bearer,
    client_credentials_token,
)
from tests.support.oidc_issuer.issuer import OidcTestIssuer


def test_formatter_writes_json_with_decision_fields() -> None:
    record = logging.LogRecord(
        "auth_gateway.decisions", logging.INFO, __file__, 1, "verify %s", ("deny",), None
    )
    record.decision, record.reason, record.latency_ms = "deny", "expired", 0.12
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "verify deny"
    assert line["decision"] == "deny"
    assert line["reason"] == "expired"
    assert line["level"] == "info"


def test_exceptions_are_logged_by_type_only() -> None:
    try:
        raise ValueError("input quoted here: eyJsecret")
    except ValueError:
        import sys

        record = logging.LogRecord("auth_gateway", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "eyJsecret" not in line
    assert json.loads(line)["error"] == "ValueError"


def test_no_token_or_secret_in_any_log_line(
    issuer: OidcTestIssuer, gateway_client: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = gateway_client(
        OAUTH_ISSUER=issuer.issuer, OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
    )
    own = client_credentials_token(client)
    wrong_secret = "wrong-" + CLIENT_SECRET
    client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(CLIENT_ID, wrong_secret))
    client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": wrong_secret},
    )
    issuer_token = issuer.mint()
    tokens = [
        own,
        issuer_token,
        issuer.mint(exp_in=-600),
        issuer.mint(kid="unknown-kid"),
        issuer.mint(aud="wrong"),
        "opaque-token-value-123",
        own[:-3] + "AAA",
    ]
    for token in tokens:
        client.get("/verify", headers=bearer(token))
    with issuer.outage():
        client.get("/verify", headers=bearer(issuer.mint(kid="another-unknown")))
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records] + [caplog.text]
    decisions = [r for r in caplog.records if r.name == "auth_gateway.decisions"]
    assert len(decisions) == 3 + len(tokens) + 1  # one line per decision
    for line in lines:
        assert CLIENT_SECRET not in line
        assert wrong_secret not in line
        for token in tokens:
            assert token not in line
            assert token.split(".")[-1] not in line
