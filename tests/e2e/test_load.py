"""100 MCP SDK clients × 8 tool calls at once through Caddy in AUTH_MODE=oauth, against the production
MCP server and the fixture upstream: no transport errors, and every answer equal to what a single
client gets for the same call (`from_cache` and `data_as_of` included: a client first warms the cache).

Half the clients carry issuer JWTs (each its own, so each is verified in full once), half share one of
our client_credentials tokens.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET
from tests.e2e.load_driver import MIXED_CALLS, Call, ClientRun, rotating_calls, run_client, run_clients
from tests.e2e.mcp_client import own_token
from tests.e2e.service_stack import ServiceStack, start_service_stack
from tests.support.oidc_issuer.issuer import OidcTestIssuer

CLIENTS = 100
# Each client goes through the four-call mix twice (rotating_calls starts each at a different place): all
# 100 are in flight at once either way, and the second round is answered from the month cache.
CALLS_PER_CLIENT = 8


def key(call: Call) -> str:
    name, arguments = call
    return f"{name} {json.dumps(arguments, sort_keys=True, ensure_ascii=False)}"


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, upstream_env: dict[str, str], oidc_issuer: OidcTestIssuer
) -> Iterator[ServiceStack]:
    home = tmp_path_factory.mktemp("load")
    started = start_service_stack(
        home,
        {**upstream_env, "CACHE_PATH": str(home / "cache.sqlite3")},
        AUTH_MODE="oauth",
        OAUTH_ISSUER=oidc_issuer.issuer,
        OAUTH_CLIENT_ID=CLIENT_ID,
        OAUTH_CLIENT_SECRET=CLIENT_SECRET,
    )
    yield started
    started.stop()


def failures(runs: list[ClientRun]) -> list[str]:
    problems = [f"client {i}: {run.connect_error}" for i, run in enumerate(runs) if run.connect_error]
    for i, run in enumerate(runs):
        problems += [
            f"client {i}: {o.call[0]}: {o.transport_error or o.tool_error}"
            for o in run.outcomes
            if o.transport_error or o.tool_error
        ]
    return problems


async def test_many_clients_get_what_one_client_gets(
    stack: ServiceStack, oidc_issuer: OidcTestIssuer
) -> None:
    url = f"{stack.url}/mcp"
    shared = {"Authorization": f"Bearer {own_token(stack.url, CLIENT_ID, CLIENT_SECRET)}"}
    warm_up = await run_client(url, shared, MIXED_CALLS)  # fills the month cache
    single = await run_client(url, shared, MIXED_CALLS)
    assert failures([warm_up, single]) == []
    sources = [o.result["source"] for o in single.outcomes if o.result and "source" in o.result]
    assert [source["from_cache"] for source in sources] == [True, True]  # trades and rents
    expected: dict[str, dict[str, Any] | None] = {key(o.call): o.result for o in single.outcomes}

    jwts = [oidc_issuer.mint(aud=url, client_id=f"load-{i}") for i in range(CLIENTS)]
    runs = await run_clients(
        url,
        CLIENTS,
        rotating_calls(CALLS_PER_CLIENT),
        lambda i: {"Authorization": f"Bearer {jwts[i]}"} if i % 2 else shared,
    )

    assert failures(runs) == []
    assert sum(len(run.outcomes) for run in runs) == CLIENTS * CALLS_PER_CLIENT
    mismatched = [key(o.call) for run in runs for o in run.outcomes if o.result != expected[key(o.call)]]
    assert mismatched == []
    for process in stack.processes:
        assert process.alive(), process.fail("died under load")


def test_the_load_left_no_error_in_any_log(stack: ServiceStack) -> None:
    for process in stack.processes:
        log = process.log()
        assert "Traceback" not in log, process.fail("logged a traceback")
    caddy_errors = [line for line in stack.caddy.log().splitlines() if '"level":"error"' in line]
    assert caddy_errors == [], caddy_errors[:3]
