"""Awaiting several upstream reads at once, so that a failure reaches the tool as the error it is.

Pages of a month, the months of a range, the trade and rent side of a 전세가율: each caller fans out and
needs all the answers or the first failure. ``asyncio.TaskGroup`` does not fit, for two reasons:

- it wraps the failure in an ``ExceptionGroup``, which the tool registry would not recognise as an
  ``UpstreamError`` (``tools.registry`` turns only ``RealEstateError`` into a message the client sees,
  so the SDK would mask it as "Error executing tool");
- on Python 3.11 a child failing while the group is exiting leaves the calling task with a pending
  cancellation, which breaks the MCP session that called the tool.

``all_or_first_error`` is ``asyncio.gather`` that also cancels, and waits for, the siblings of the
first failure, so no request keeps running (and spending quota) for an answer nobody reads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["all_or_first_error"]

T = TypeVar("T")


async def all_or_first_error(coroutines: list[Coroutine[Any, Any, T]]) -> list[T]:
    """The results in order; the first failure cancels the rest and is raised as itself."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
