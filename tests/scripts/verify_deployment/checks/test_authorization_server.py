"""The advertised issuer's metadata, found where clients look for it, and its issuer matching exactly."""

from __future__ import annotations

import pytest
from verify_deployment.checks import authorization_server
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import printed


def test_where_clients_look_for_metadata() -> None:
    assert authorization_server.metadata_urls("https://tenant.example/") == [
        "https://tenant.example/.well-known/oauth-authorization-server",
        "https://tenant.example/.well-known/openid-configuration",
    ]
    assert authorization_server.metadata_urls("https://idp.example/realms/home") == [
        "https://idp.example/.well-known/oauth-authorization-server/realms/home",
        "https://idp.example/.well-known/openid-configuration/realms/home",
        "https://idp.example/realms/home/.well-known/openid-configuration",
    ]


def test_metadata_found_at_openid_configuration_and_the_issuer_matches(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer = server.url + "/"
    server.routes[("GET", "/.well-known/openid-configuration")] = json_answer(200, {"issuer": issuer})
    deployment = Deployment(server.url, issuer=issuer)

    authorization_server.run(Report(), deployment)

    assert deployment.metadata == {"issuer": issuer}
    assert printed(capsys) == [
        f"PASS  authorization server metadata found at {server.url}/.well-known/openid-configuration",
        f"PASS  issuer matches exactly: {issuer}",
    ]


def test_no_metadata_lists_every_address_tried(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes[("GET", "/.well-known/openid-configuration")] = (200, {}, b"<html>")
    deployment = Deployment(server.url, issuer=server.url)

    authorization_server.run(Report(), deployment)

    assert deployment.metadata is None
    assert printed(capsys) == [
        f"FAIL  [authorization-server-metadata] no authorization server metadata for {server.url}: tried "
        f"{server.url}/.well-known/oauth-authorization-server (HTTP 404); "
        f"{server.url}/.well-known/openid-configuration (not JSON)",
        "      -> check AUTH0_DOMAIN / OAUTH_ISSUER in .env (the issuer, not an API or application URL)",
    ]


def test_a_missing_trailing_slash_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()

    authorization_server.check_issuer(report, "https://t.us.auth0.com", {"issuer": "https://t.us.auth0.com/"})

    assert printed(capsys) == [
        "FAIL  [issuer] issuer mismatch: advertised 'https://t.us.auth0.com', metadata says "
        "'https://t.us.auth0.com/'",
        "      -> clients compare issuers character by character (the trailing slash matters: Auth0's issuer "
        "ends with '/'); set OAUTH_ISSUER=https://t.us.auth0.com/",
    ]
    assert report.failures == 1


def test_another_issuer_gets_no_slash_hint(capsys: pytest.CaptureFixture[str]) -> None:
    authorization_server.check_issuer(Report(), "https://a.example/", {"issuer": "https://b.example/"})

    assert printed(capsys)[1] == (
        "      -> clients compare issuers character by character; set OAUTH_ISSUER=https://b.example/"
    )


def test_without_an_advertised_issuer_nothing_is_asked(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    authorization_server.run(Report(), Deployment(server.url))

    assert printed(capsys) == []
    assert server.requests == []
