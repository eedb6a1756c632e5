"""Each misconfiguration users hit gets a FAIL (or WARN) line naming its fix, on a real stack.

An issuer missing Auth0's trailing slash, AUTH_MODE=none, a wrong secret in the .env file, advertised
endpoints nobody serves, plain http for a public host, a host name Caddy does not serve, no data.go.kr
key, a daily quota nearly used: the script must name the real cause (and stop there when the later
checks would only repeat it), because a wrong diagnosis sends the user to change the wrong setting.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auth_gateway.config import GatewaySettings
from auth_gateway.discovery.publisher import publish_discovery_documents
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.fake_deployment import FakeServer
from tests.e2e.mcp_client import APARTMENT_TRADES, connect
from tests.e2e.service_stack import ServiceStack, start_service_stack
from tests.e2e.stack_processes import Stack, base_env, start_caddy
from tests.e2e.verify_deployment.support import dotenv, failed_checks, failures, verify, warned_checks
from tests.support.ports import free_port


def test_a_wrong_secret_in_the_env_file_fails_with_a_fix(
    misconfigured: dict[str, Stack], tmp_path: Path
) -> None:
    result = verify(
        misconfigured["built_in"].url, "--client-credentials-from", dotenv(tmp_path, CLIENT_ID, "w" * 40)
    )

    assert result.returncode == 1
    (line,) = failures(result)
    assert "code exchange answered HTTP 401 (invalid_client" in line
    assert "OAUTH_CLIENT_SECRET in the file" in result.stdout


def test_advertised_endpoints_nobody_serves_fail(tmp_path: Path) -> None:
    """Caddy serves the built-in endpoints' documents the gateway wrote, but no gateway answers behind
    it any more (stopped, or crashed after start-up)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = base_env(tmp_path, MCP_UPSTREAM="127.0.0.1:9", AUTH_UPSTREAM="127.0.0.1:9")
    written_by_the_gateway = GatewaySettings(
        AUTH_MODE="oauth",
        PUBLIC_BASE_URL=url,
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,  # type: ignore[arg-type]
        DISCOVERY_DIR=env["DISCOVERY_DIR"],  # type: ignore[arg-type]
    )
    publish_discovery_documents(written_by_the_gateway)
    caddy = start_caddy(env, tmp_path, port=port)
    try:
        result = verify(url)
    finally:
        caddy.stop()

    assert result.returncode == 1
    failed = "\n".join(failures(result))
    assert "authorization_endpoint" in failed
    assert "token_endpoint" in failed
    assert "HTTP 502" in failed


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
        ("issuer_without_slash", "trailing slash"),
        ("none_mode", "AUTH_MODE"),
    ],
)
def test_each_misconfiguration_fails_with_a_fix(
    misconfigured: dict[str, Stack], configuration: str, expected: str
) -> None:
    result = verify(misconfigured[configuration].url)

    assert result.returncode == 1
    assert expected in result.stdout, result.stdout
    assert failures(result)


def test_plain_http_is_refused_for_public_hosts() -> None:
    result = verify("http://mcp.example.ddns.net")

    assert result.returncode == 2
    assert "https://" in result.stderr


# ---- the real cause: wrong host name, no data key, a quota nearly used -----------------------------


def test_a_host_name_caddy_does_not_serve_is_named_with_the_address_to_use(oidc_stack: Stack) -> None:
    """The seed's misdiagnosis: the site is 127.0.0.1:PORT, the user typed localhost:PORT. Caddy now
    answers such a name with a 404 naming SITE_ADDRESS; the script says so and stops there, instead of
    'not JSON' and 'set AUTH_MODE=oauth'."""
    wrong = oidc_stack.url.replace("127.0.0.1", "localhost")

    result = verify(wrong)

    assert result.returncode == 1, result.stdout
    assert failed_checks(result) == ["unserved-host"]
    assert f"Caddy serves no site for the host name {wrong.split('//')[1]}" in result.stdout
    assert f"./scripts/verify-deployment {oidc_stack.url}" in result.stdout
    assert "protected-resource" not in result.stdout
    assert "open-to-anyone" not in result.stdout


def test_caddys_empty_answer_for_an_unserved_host_is_recognised() -> None:
    """What a Caddyfile without our catch-all (an older one, or the operator's own) answers."""
    caddy_like = FakeServer()
    caddy_like.routes[("GET", "/")] = (200, {"Server": "Caddy"}, b"")
    try:
        result = verify(caddy_like.url)
    finally:
        caddy_like.close()

    assert failed_checks(result) == ["unserved-host"]
    assert "Caddy answered an empty 200, so it serves no site for the host name" in result.stdout


def test_no_data_key_is_a_warning_not_all_checks_passed_silently(keyless_stack: ServiceStack) -> None:
    result = verify(keyless_stack.url, "--skip-dcr")

    assert failures(result) == []
    assert "data-key" in warned_checks(result)
    assert "no data.go.kr key is configured: every real-estate data tool will answer with an error" in (
        result.stdout
    )


async def test_a_nearly_used_quota_is_a_warning(
    tmp_path_factory: pytest.TempPathFactory, upstream_env: dict[str, str]
) -> None:
    home = tmp_path_factory.mktemp("quota")
    stack = start_service_stack(
        home,
        {**upstream_env, "CACHE_PATH": str(home / "cache.sqlite3"), "DATA_GO_KR_DAILY_QUOTA": "1"},
        AUTH_MODE="oauth",
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )
    try:
        before = verify(stack.url, "--skip-dcr")
        async with connect(f"http://127.0.0.1:{stack.mcp.port}/mcp") as client:  # straight to the server
            result = await client.call_tool(*APARTMENT_TRADES)
        assert not result.is_error
        after = verify(stack.url, "--skip-dcr")
    finally:
        stack.stop()

    assert "quota" not in warned_checks(before)
    assert "quota" in warned_checks(after)
    assert re.search(r"RTMSDataSvcAptTrade\): 1 of 1 requests used today \(KST\); it resets at", after.stdout)
    assert failures(after) == []
