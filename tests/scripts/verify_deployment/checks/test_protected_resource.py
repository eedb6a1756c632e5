"""/.well-known/oauth-protected-resource/mcp: served as JSON, resource = BASE/mcp, an authorization
server named; each way it goes wrong names the setting."""

from __future__ import annotations

import pytest
from verify_deployment.checks import protected_resource
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import printed

PATH = ("GET", "/.well-known/oauth-protected-resource/mcp")


def check(server: FakeServer) -> Deployment:
    deployment = Deployment(server.url)
    protected_resource.run(Report(), deployment)
    return deployment


def test_a_correct_document_names_the_issuer(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.routes[PATH] = json_answer(
        200, {"resource": server.url + "/mcp", "authorization_servers": ["https://tenant.example/"]}
    )

    assert check(server).issuer == "https://tenant.example/"
    assert printed(capsys) == [
        f"PASS  protected resource metadata: resource = {server.url}/mcp",
        "PASS  authorization server advertised: https://tenant.example/",
    ]


def test_a_missing_document_means_auth_mode_is_not_oauth(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(server).issuer is None
    assert printed(capsys) == [
        f"FAIL  [protected-resource] {server.url}/.well-known/oauth-protected-resource/mcp answered HTTP "
        "404, "
        "not 200",
        "      -> Caddy serves it only with AUTH_MODE=oauth: set it in .env, then docker compose up -d",
    ]


@pytest.mark.parametrize(
    ("body", "said"),
    [(b"<html>", "is not JSON (Content-Type 'text/html')"), (b"[1]", "is not a JSON object")],
)
def test_a_document_that_is_not_a_json_object_fails(
    server: FakeServer, capsys: pytest.CaptureFixture[str], body: bytes, said: str
) -> None:
    server.routes[PATH] = (200, {"Content-Type": "text/html"}, body)

    assert check(server).issuer is None
    failed, fix = printed(capsys)
    assert (
        failed == f"FAIL  [protected-resource] {server.url}/.well-known/oauth-protected-resource/mcp {said}"
    )
    assert fix == "      -> expected a JSON object"


def test_json_served_as_text_fails_but_is_still_read(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    document = (
        b'{"resource": "%s/mcp", "authorization_servers": ["https://t.example/"]}' % server.url.encode()
    )
    server.routes[PATH] = (200, {"Content-Type": "text/plain"}, document)

    assert check(server).issuer == "https://t.example/"
    assert printed(capsys)[:2] == [
        "FAIL  [protected-resource] Content-Type is 'text/plain'",
        "      -> serve it as application/json",
    ]


def test_another_resource_names_public_base_url(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes[PATH] = json_answer(
        200, {"resource": "https://old.example/mcp", "authorization_servers": ["https://t.example/"]}
    )

    check(server)

    assert printed(capsys)[:2] == [
        f"FAIL  [resource] resource is 'https://old.example/mcp', clients expect '{server.url}/mcp'",
        f"      -> set PUBLIC_BASE_URL={server.url} in .env, then docker compose up -d",
    ]


@pytest.mark.parametrize("servers", [None, [], [42]])
def test_no_authorization_server_names_the_settings(
    server: FakeServer, capsys: pytest.CaptureFixture[str], servers: object
) -> None:
    server.routes[PATH] = json_answer(
        200, {"resource": server.url + "/mcp", "authorization_servers": servers}
    )

    assert check(server).issuer is None
    assert printed(capsys)[1:] == [
        "FAIL  [authorization-servers] authorization_servers is missing or empty",
        "      -> set AUTH0_DOMAIN or OAUTH_ISSUER in .env",
    ]


def test_an_unreachable_document(nothing_listens: str, capsys: pytest.CaptureFixture[str]) -> None:
    protected_resource.run(Report(), Deployment(nothing_listens))

    failed, fix = printed(capsys)
    assert failed.startswith(f"FAIL  [reachable] {nothing_listens}/.well-known/oauth-protected-resource/mcp")
    assert fix == "      -> check DNS, port forwarding and that the stack runs"
