"""Reading every page of a listing: page 1 first, then the rest concurrently, stopping where the data ends.

MOLIT and 청약홈 page the same way (docs/upstream-apis.md, 1.3 and 3.1): the first page announces the
total, and the page size to count with is the size page 1 really had, because a service that caps the
page size below what was asked pages at its own size. Reading stops at the first empty page. Services
whose pages may come back shorter than announced can ask for a few extra pages, read one by one.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

from mcp_server.concurrency import all_or_first_error

__all__ = ["read_remaining_pages"]

Row = TypeVar("Row")


async def read_remaining_pages(
    fetch: Callable[[int, int], Awaitable[tuple[int, list[Row]]]],
    first: tuple[int, list[Row]],
    *,
    asked_size: int,
    max_pages: int | None = None,
    concurrency: int | None = None,
    extra_pages: int = 0,
    ask_observed_size: bool = True,
) -> list[Row]:
    """The rows of page 1 (``first``: total and rows) followed by those of the pages after it.

    ``fetch(page_no, page_size)`` returns one page as (total, rows). The page count always comes from
    the size page 1 had; ``ask_observed_size`` also asks the later pages at that size (MOLIT), instead
    of at ``asked_size`` (odcloud). The first failure cancels the other requests and is raised as
    itself."""
    total, rows = first[0], list(first[1])
    if not rows or len(rows) >= total:
        return rows
    observed = min(asked_size, len(rows))
    last = math.ceil(total / observed)
    size = observed if ask_observed_size else asked_size
    if max_pages is not None:
        last = min(last, max_pages)
    limit = asyncio.Semaphore(concurrency) if concurrency else None

    async def page(number: int) -> tuple[int, list[Row]]:
        if limit is None:
            return await fetch(number, size)
        async with limit:
            return await fetch(number, size)

    for _, more in await all_or_first_error([page(n) for n in range(2, last + 1)]):
        if not more:
            return rows
        rows.extend(more)
    number = last + 1
    while len(rows) < total and number <= last + extra_pages:
        _, more = await fetch(number, size)
        if not more:
            break
        rows.extend(more)
        number += 1
    return rows
