"""The built-in server: every advertised endpoint answers an empty request with its kind of 400."""

from __future__ import annotations

import pytest
from verify_deployment.checks import built_in_endpoints
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import checked, printed

GATEWAY_FIX = (
    "      -> the gateway does not serve it: check docker compose logs auth-gateway and the Caddyfile's "
    "/oauth/* route"
)


def check(server: FakeServer, *, built_in: bool = True) -> Report:
    endpoints = {
        "authorization": "/oauth/authorize",
        "token": "/oauth/token",
        "registration": "/oauth/register",
    }
    metadata = {f"{name}_endpoint": server.url + path for name, path in endpoints.items()}
    issuer = server.url if built_in else "https://t.example/"
    return checked(built_in_endpoints.run, Deployment(server.url, issuer=issuer, metadata=metadata))


def test_endpoints_that_answer_as_oauth_endpoints_pass(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes[("GET", "/oauth/authorize")] = (400, {"Content-Type": "text/html; charset=utf-8"}, b"x")
    server.routes[("POST", "/oauth/token")] = json_answer(400, {"error": "invalid_request"})
    server.routes[("POST", "/oauth/register")] = json_answer(400, {"error": "invalid_client_metadata"})

    report = check(server)

    assert printed(capsys) == [
        f"PASS  authorization_endpoint answers: {server.url}/oauth/authorize",
        f"PASS  token_endpoint answers: {server.url}/oauth/token",
        f"PASS  registration_endpoint answers: {server.url}/oauth/register",
    ]
    assert report.failures == 0
    assert [(method, path, body) for method, path, body in server.requests] == [
        ("GET", "/oauth/authorize", b""),
        ("POST", "/oauth/token", b""),
        ("POST", "/oauth/register", b"{}"),
    ]


def test_unserved_or_wrong_answers_fail_each(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.routes[("GET", "/oauth/authorize")] = json_answer(400, {"error": "invalid_request"})  # not a page
    server.routes[("POST", "/oauth/token")] = (502, {}, b"")

    report = check(server)

    assert printed(capsys) == [
        f"FAIL  [built-in-endpoints] authorization_endpoint {server.url}/oauth/authorize answered HTTP 400 "
        "(application/json)",
        GATEWAY_FIX,
        f"FAIL  [built-in-endpoints] token_endpoint {server.url}/oauth/token answered HTTP 502 (no content "
        "type)",
        GATEWAY_FIX,
        f"FAIL  [built-in-endpoints] registration_endpoint {server.url}/oauth/register answered HTTP 404 "
        "(no content type)",
        GATEWAY_FIX,
    ]
    assert report.failures == 3


def test_an_unreachable_endpoint(nothing_listens: str, capsys: pytest.CaptureFixture[str]) -> None:
    built_in_endpoints.check_built_in_endpoints(Report(), {"token_endpoint": nothing_listens + "/t"})

    failed, fix = printed(capsys)
    assert failed.startswith(f"FAIL  [built-in-endpoints] token_endpoint {nothing_listens}/t unreachable (")
    assert fix == GATEWAY_FIX


def test_an_external_issuers_endpoints_are_not_probed(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    check(server, built_in=False)

    assert printed(capsys) == []
    assert server.requests == []
