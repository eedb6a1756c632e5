"""docker-compose.yml for real: `compose up -d --build --wait` with the project's files unchanged, first
without any configuration, then in oauth mode with a generated client id and secret, checking what a
user checks first (docs/deployment.md, section 9; sudo ./scripts/compose-smoke).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.compose.conftest import deploy
from tests.compose.engine import SmokeError, run
from tests.compose.stack import (
    Stack,
    client_credentials_token,
    get,
    inspect,
    oauth_env,
    served_tools,
    tools_list,
)

# The first test's set-up may install docker.io, debootstrap a base image and build both services.
pytestmark = pytest.mark.timeout(3600)

SERVICES = ("auth-gateway", "mcp-server")
PROTECTED_RESOURCE = "/.well-known/oauth-protected-resource/mcp"
AUTHORIZATION_SERVER = "/.well-known/oauth-authorization-server"
SERVICE_UID = "10001"


@dataclass
class Deployment:
    stack: Stack
    token: str | None = None  # what tools/list carries
    token_status: int | None = None  # the token endpoint's answer to client_credentials


class ServiceChecks:
    """What holds in every auth mode; each subclass brings its stack up in its `deployment` fixture."""

    @pytest.mark.parametrize("service", SERVICES)
    def test_the_service_is_healthy(self, deployment: Deployment, service: str) -> None:
        container = deployment.stack.container(service)

        assert container, f"no {service} container"
        assert inspect(container, "{{.State.Health.Status}}") == "healthy"

    @pytest.mark.parametrize("service", SERVICES)
    def test_the_service_runs_as_the_service_user(self, deployment: Deployment, service: str) -> None:
        container = deployment.stack.container(service)

        assert run(["docker", "exec", container, "id", "-u"]).strip() == SERVICE_UID

    def test_caddy_is_running(self, deployment: Deployment) -> None:
        caddy = deployment.stack.container("caddy")

        assert caddy, "no caddy container"
        assert inspect(caddy, "{{.State.Status}}") == "running"

    def test_tools_list_through_caddy_lists_every_tool(
        self, deployment: Deployment, expected_tools: list[str]
    ) -> None:
        status, served = served_tools(deployment.stack.url, deployment.token)

        assert status == 200
        assert served == expected_tools, f"missing {sorted(set(expected_tools) - set(served))}"


class TestWithoutConfiguration(ServiceChecks):
    @pytest.fixture(scope="class")
    @classmethod
    def deployment(cls, project: Stack) -> Iterator[Deployment]:
        deploy(project, "", "no .env")
        yield Deployment(project)
        project.down()

    def test_no_discovery_documents_without_oauth(self, deployment: Deployment) -> None:
        assert get(deployment.stack.url + PROTECTED_RESOURCE)[0] == 404


class TestOauth(ServiceChecks):
    client_id = f"smoke-{secrets.token_hex(4)}"
    client_secret = secrets.token_urlsafe(32)

    @pytest.fixture(scope="class")
    @classmethod
    def deployment(cls, project: Stack) -> Deployment:
        deploy(project, oauth_env(project.port, cls.client_id, cls.client_secret), "oauth")
        status, token = client_credentials_token(project.url, cls.client_id, cls.client_secret)
        return Deployment(project, token, status)

    @pytest.fixture(scope="class")
    @classmethod
    def access(cls, deployment: Deployment) -> tuple[str, str, str]:
        """./scripts/access's compose form (docs/deployment.md, "Sharing with family or colleagues"), run
        inside the gateway's container as its own user: what `user add` and `status` print, and the uid
        owning the state file afterwards."""
        access = ("python", "-m", "auth_gateway.access_cli")
        stack = deployment.stack
        try:
            added = stack.exec("auth-gateway", *access, "user", "add", "smoke-user", "--password-stdin",
                               stdin="smoke-password-123\n")  # fmt: skip
            status = stack.exec("auth-gateway", *access, "status")
            owner = stack.exec("auth-gateway", "stat", "-c", "%u", "/data/oauth.sqlite3").strip()
        except SmokeError as error:
            pytest.fail(f"the access command in the gateway's container: {str(error)[-300:]}", pytrace=False)
        return added, status, owner

    def test_mcp_without_a_token_gets_401_with_resource_metadata(self, deployment: Deployment) -> None:
        status, headers, _ = tools_list(deployment.stack.url)
        challenge = {k.lower(): v for k, v in headers.items()}.get("www-authenticate", "")

        assert status == 401
        assert "resource_metadata" in challenge

    def test_caddy_serves_the_discovery_documents_the_gateway_wrote(self, deployment: Deployment) -> None:
        """Written by the gateway into the discovery volume at start-up, read-only in Caddy's container."""
        url = deployment.stack.url
        resource_status, resource = get(url + PROTECTED_RESOURCE)
        server_status, server = get(url + AUTHORIZATION_SERVER)

        assert (resource_status, server_status) == (200, 200)
        assert json.loads(resource)["authorization_servers"] == [url]
        assert "client_credentials" in json.loads(server)["grant_types_supported"]

    def test_client_credentials_gives_an_access_token(self, deployment: Deployment) -> None:
        assert deployment.token_status == 200
        assert deployment.token

    def test_access_user_add_and_status_run_in_the_gateways_container(
        self, access: tuple[str, str, str]
    ) -> None:
        added, status, _ = access

        assert added.startswith("added smoke-user"), added
        assert "state file: /data/oauth.sqlite3" in status
        assert "smoke-user" in status

    def test_the_state_file_stays_the_service_users(self, access: tuple[str, str, str]) -> None:
        assert access[2] == SERVICE_UID

    def test_discovery_answers_while_the_gateway_is_stopped(self, deployment: Deployment) -> None:
        """Last in the class: it stops the gateway, then brings it back."""
        stack = deployment.stack
        stack.compose("stop", "auth-gateway")
        try:
            resource_status, _ = get(stack.url + PROTECTED_RESOURCE)
            mcp_status, _, _ = tools_list(stack.url, deployment.token)
        finally:
            stack.compose("start", "auth-gateway")

        assert resource_status == 200
        assert mcp_status == 502  # fail closed: nothing reaches the MCP server without the gateway
