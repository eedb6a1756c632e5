"""Many MCP SDK clients at once through Caddy: the driver the load tests and bench/ share.

Each client is the official SDK client over its own httpx connection pool, as separate ChatGPT/Claude
conversations would be. A client connects (initialize), makes its calls one after another and records
each outcome: the structured result, a tool error's text, or the transport exception that ended it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.mcp_client import connect

Call = tuple[str, dict[str, Any]]

# A mix of what a conversation asks: a 3-page month, a rent month, a region lookup, a calculator.
MIXED_CALLS: tuple[Call, ...] = (
    ("get_apartment_trades", {"region_code": "11440", "year_month": "202501"}),
    ("get_apartment_rent", {"region_code": "11440", "year_month": "202501"}),
    ("get_region_code", {"query": "마포구"}),
    ("calculate_loan_payment", {"principal_10k": 30000, "annual_rate_pct": 4.2, "years": 30}),
)


@dataclass
class Outcome:
    call: Call
    result: dict[str, Any] | None = None  # structured content of a successful call
    tool_error: str | None = None  # the text of a tool error (is_error)
    transport_error: str | None = None  # an exception: the call never got an MCP answer
    seconds: float = 0.0


@dataclass
class ClientRun:
    outcomes: list[Outcome] = field(default_factory=list)
    connect_error: str | None = None


async def run_client(url: str, headers: Mapping[str, str], calls: Sequence[Call]) -> ClientRun:
    run = ClientRun()
    try:
        async with connect(url, headers=headers) as client:
            for name, arguments in calls:
                outcome = Outcome(call=(name, arguments))
                started = time.perf_counter()
                try:
                    result = await client.call_tool(name, arguments)
                except Exception as error:  # the point is to count them, whatever they are
                    outcome.transport_error = f"{type(error).__name__}: {error}"
                else:
                    if result.is_error:
                        outcome.tool_error = " ".join(getattr(c, "text", "") for c in result.content)
                    else:
                        outcome.result = result.structured_content
                outcome.seconds = time.perf_counter() - started
                run.outcomes.append(outcome)
    except Exception as error:
        run.connect_error = f"{type(error).__name__}: {error}"
    return run


async def run_clients(
    url: str,
    clients: int,
    calls_for: Callable[[int], Sequence[Call]],
    headers_for: Callable[[int], Mapping[str, str]],
) -> list[ClientRun]:
    """`clients` SDK clients at once; client i makes calls_for(i) with headers_for(i)."""
    return list(
        await asyncio.gather(*(run_client(url, headers_for(i), calls_for(i)) for i in range(clients)))
    )


def rotating_calls(count: int, mix: Sequence[Call] = MIXED_CALLS) -> Callable[[int], list[Call]]:
    """Client i starts at a different place in the mix, so every call is in flight at once."""
    return lambda i: [mix[(i + n) % len(mix)] for n in range(count)]
