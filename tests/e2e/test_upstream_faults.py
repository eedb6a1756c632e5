"""data.go.kr failing while many clients call through the whole stack: every call ends with the right
answer or a tool error that says what happened, nothing crashes, the first call after the fault clears
is normal, and nothing the fault produced was cached.

The fixture upstream runs in this process, so a test switches its fault on and off (`up.scenario`) while
the production MCP server (its own SQLite cache, short upstream timeouts) serves SDK clients via Caddy.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.load_driver import Call, Outcome, run_client, run_clients
from tests.e2e.mcp_client import APARTMENT_MEDIAN_10K, APARTMENT_TOTAL_COUNT, APARTMENT_TRADES
from tests.e2e.service_stack import ServiceStack, start_service_stack
from tests.support.fixture_upstream.server import FixtureUpstream

SERVICE_KEY = "fault-test-service-key-5d1c"
CLIENTS = 8
CALLS_PER_CLIENT = 3
TIMEOUT_SECONDS = 1.0
CALLS: list[Call] = [APARTMENT_TRADES] * CALLS_PER_CLIENT

# scenario → what every call during it must end with: "answer", "error", or "either" (a fault that
# comes and goes). "timeout" and "slow" are the fixture's slow scenario, slower or faster than the
# MCP server's upstream timeout.
SCENARIOS = {
    "gateway_30": "error",
    "gateway_22": "error",
    "gateway_22_later": "error",
    "resultcode_01": "error",
    "resultcode_01_once": "answer",
    "timeout": "error",
    "slow": "answer",
    "forbidden_text": "error",
    "html_502": "error",
    "html_502_bursts": "either",
    "truncated": "error",
    "echo_key_text": "error",
}


@pytest.fixture(scope="module")
def up() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as upstream:
        yield upstream


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, up: FixtureUpstream) -> Iterator[ServiceStack]:
    home = tmp_path_factory.mktemp("upstream-faults")
    started = start_service_stack(
        home,
        {
            "DATA_GO_KR_API_KEY": SERVICE_KEY,
            "DATA_GO_KR_BASE_URL": up.data_go_kr_base_url,
            "ODCLOUD_BASE_URL": up.odcloud_base_url,
            "CACHE_PATH": str(home / "cache.sqlite3"),
            # Three pages a month, so a fault can strike after the first page succeeded.
            "MOLIT_PAGE_SIZE": "100",
            "UPSTREAM_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
            "UPSTREAM_RETRIES": "1",
            "UPSTREAM_RETRY_BACKOFF_SECONDS": "0.05",
        },
        AUTH_MODE="none",
    )
    yield started
    started.stop()


def cache_path(stack: ServiceStack) -> Path:
    return Path(stack.env["HOME"]) / "cache.sqlite3"


def forget_cached_months(stack: ServiceStack) -> None:
    """Each scenario starts with the month uncached: the SQLite rows deleted, and the server restarted
    so its in-memory copy of recent months is gone too."""
    path = cache_path(stack)
    if path.exists():
        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM molit_month")
    stack.restart_mcp_server()


def cached_months(stack: ServiceStack) -> list[tuple[Any, ...]]:
    with sqlite3.connect(cache_path(stack)) as db:
        return list(db.execute("SELECT service, lawd_cd, deal_ymd, total_count FROM molit_month"))


def is_right_answer(result: dict[str, Any] | None) -> bool:
    return (
        result is not None
        and result["total_count"] == APARTMENT_TOTAL_COUNT
        and result["summary"]["median_price_10k"] == APARTMENT_MEDIAN_10K
        and result["summary"]["sample_count"] > 0
    )


def problem(outcome: Outcome, expect: str) -> str | None:
    """Why this outcome is not acceptable for the scenario, or None."""
    if outcome.transport_error:
        return f"transport error: {outcome.transport_error}"
    if outcome.tool_error is not None:
        text = outcome.tool_error
        if expect == "answer":
            return f"tool error where an answer was due: {text}"
        # The SDK masks an unanticipated exception as the bare "Error executing tool NAME".
        explanation = text.removeprefix(f"Error executing tool {outcome.call[0]}").strip(": ")
        if "Traceback" in text or len(explanation) < 30:
            return f"unclear tool error: {text!r}"
        if SERVICE_KEY in text:
            return "the service key is in the tool error"
        return None
    if expect == "error":
        return f"an answer where the fault should have shown: {outcome.result}"
    return None if is_right_answer(outcome.result) else f"a wrong answer: {outcome.result}"


def toggle_bursts(up: FixtureUpstream, stop: threading.Event) -> None:
    """5xx bursts: the HTML 502 page on and off every 50 ms until stopped."""
    while not stop.wait(0.05):
        up.scenario = None if up.scenario else "html_502"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
async def test_calls_during_a_fault_end_clearly_and_the_next_ones_are_normal(
    stack: ServiceStack, up: FixtureUpstream, scenario: str
) -> None:
    forget_cached_months(stack)
    expect = SCENARIOS[scenario]
    stop_bursts = threading.Event()
    bursts = threading.Thread(target=toggle_bursts, args=(up, stop_bursts), daemon=True)
    if scenario == "html_502_bursts":
        bursts.start()
    else:
        up.scenario = "slow" if scenario == "timeout" else scenario
        up.slow_seconds = TIMEOUT_SECONDS * (3 if scenario == "timeout" else 0.3)
    url = f"{stack.url}/mcp"
    try:
        runs = await run_clients(url, CLIENTS, lambda _: CALLS, lambda _: {})
    finally:
        stop_bursts.set()
        if bursts.is_alive():
            await asyncio.to_thread(bursts.join)
        up.scenario = None

    assert [run.connect_error for run in runs if run.connect_error] == []
    problems = [p for run in runs for o in run.outcomes if (p := problem(o, expect))]
    assert problems == []
    for process in stack.processes:
        assert process.alive(), process.fail(f"died during {scenario}")
    if expect == "error":
        assert cached_months(stack) == [], "a failed fetch was cached"

    (after,) = (await run_client(url, {}, [APARTMENT_TRADES])).outcomes

    assert problem(after, "answer") is None, after
    assert after.result is not None
    if expect == "error":
        assert after.result["source"]["from_cache"] is False
    assert [row[3] for row in cached_months(stack)] == [APARTMENT_TOTAL_COUNT]


def test_no_log_holds_the_key_or_a_traceback(stack: ServiceStack) -> None:
    for process in stack.processes:
        log = process.log()
        assert SERVICE_KEY not in log, process.name
        assert "Traceback" not in log, process.fail("logged a traceback")
