"""What the app starts after it is assembled and closes when it stops, in one list per process.

The rooms' roots hold only what their routes use; the HTTP clients, SQLite connections and the first
JWKS load they depend on are registered here by the code that creates them, so no root needs an
Optional field just to be closed, and uvicorn's lifespan runs both lists (auth_gateway/app.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

__all__ = ["Lifecycle"]


class Lifecycle:
    def __init__(self) -> None:
        self._starts: list[Callable[[], Awaitable[None]]] = []
        self._closes = AsyncExitStack()

    def on_start(self, start: Callable[[], Awaitable[None]]) -> None:
        self._starts.append(start)

    def on_close(self, close: Callable[[], object]) -> None:
        """`close` runs at shutdown, last registered first; a coroutine function is awaited."""

        async def run() -> None:
            result = close()
            if isinstance(result, Awaitable):
                await result

        self._closes.push_async_callback(run)

    async def start(self) -> None:
        for start in self._starts:
            await start()

    async def close(self) -> None:
        await self._closes.aclose()
