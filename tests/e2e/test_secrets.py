"""No secret leaves the stack: with distinctive values for the client secret and the data.go.kr/odcloud
keys, and debug logging on, the token flows and tool calls (successes and every kind of upstream error,
including an upstream page that quotes the key back) are run through Caddy, and no response body, tool
output or log line of any of the three processes contains a secret, raw or URL-encoded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import httpx
import pytest

from tests.e2e.conftest import CLIENT_ID
from tests.e2e.mcp_client import MCP_HEADERS, PING, connect
from tests.e2e.service_stack import ServiceStack, start_service_stack
from tests.support.fixture_upstream.server import FixtureUpstream

CLIENT_SECRET = "e2eSECRETclient-4b1d9c0e7a6f4b1d9c0e7a6f4b1d9c0e"
DATA_KEY = "e2eSECRETdata+K3y/w7Z0q9=="
ODCLOUD_KEY = "e2eSECRETodcloud+9xQ/a1=="
SECRETS = (CLIENT_SECRET, DATA_KEY, ODCLOUD_KEY)

CALLS = [
    ("get_apartment_trades", {"region_code": "11440", "year_month": "202501"}),
    ("get_apartment_rent", {"region_code": "11440", "year_month": "202501"}),
    ("get_region_code", {"query": "마포구"}),
    ("get_apt_subscription_info", {}),
    ("get_apt_subscription_results", {"year_month": "202501"}),
    # The fixture's failure scenarios, by region code (tests/support/fixture_upstream/molit.py).
    *[
        ("get_apartment_trades", {"region_code": lawd, "year_month": "202501"})
        for lawd in ("11470", "11110", "11170", "11290", "11305", "11320", "11230")
    ],
]


def forms(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}


def leaks(text: str) -> list[str]:
    return sorted({form for secret in SECRETS for form in forms(secret) if form in text})


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceStack]:
    home = tmp_path_factory.mktemp("secrets")
    with FixtureUpstream() as up:
        started = start_service_stack(
            home,
            {
                "DATA_GO_KR_API_KEY": DATA_KEY,
                "ODCLOUD_API_KEY": ODCLOUD_KEY,
                "DATA_GO_KR_BASE_URL": up.data_go_kr_base_url,
                "ODCLOUD_BASE_URL": up.odcloud_base_url,
                "UPSTREAM_RETRY_BACKOFF_SECONDS": "0",
            },
            AUTH_MODE="oauth",
            OAUTH_CLIENT_ID=CLIENT_ID,
            OAUTH_CLIENT_SECRET=CLIENT_SECRET,
            LOG_LEVEL="debug",
        )
        yield started
        started.stop()


async def test_no_secret_in_any_answer_tool_output_or_log(stack: ServiceStack) -> None:
    bodies: list[str] = []
    async with httpx.AsyncClient(timeout=30) as http:
        token_url = f"{stack.url}/oauth/token"
        grant = {"grant_type": "client_credentials"}
        for response in [
            await http.post(token_url, data=grant, auth=(CLIENT_ID, CLIENT_SECRET)),
            await http.post(
                token_url, data={**grant, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
            ),
            await http.post(token_url, data=grant, auth=(CLIENT_ID, CLIENT_SECRET[:-1])),
            await http.post(token_url, data=grant, auth=(CLIENT_SECRET, CLIENT_SECRET)),
            await http.post(
                f"{stack.url}/mcp", content=PING, headers={**MCP_HEADERS, "Authorization": CLIENT_SECRET}
            ),
        ]:
            bodies.append(f"{response.status_code} {response.headers} {response.text}")
        token = (await http.post(token_url, data=grant, auth=(CLIENT_ID, CLIENT_SECRET))).json()[
            "access_token"
        ]

    outputs: list[str] = []
    async with connect(f"{stack.url}/mcp", headers={"Authorization": f"Bearer {token}"}) as client:
        outputs.append(json.dumps([tool.model_dump() for tool in (await client.list_tools()).tools]))
        for name, arguments in CALLS:
            result = await client.call_tool(name, arguments)
            outputs.append(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))

    errors = [output for output in outputs if '"isError": true' in output or '"is_error": true' in output]
    assert len(errors) >= 6, "the failure scenarios should have produced tool errors"
    assert leaks("\n".join(bodies)) == []
    assert leaks("\n".join(outputs)) == []
    for process in stack.processes:
        assert leaks(process.log()) == [], process.name
    assert "/oauth/token" in stack.caddy.log()  # the access log was on
    assert '"level": "debug"' in stack.mcp.log()  # debug logging was on
