"""Registering a tool, and the one place our errors become the SDK's ``ToolError``.

Only a ``ToolError`` message reaches the client; anything else is masked as "Error executing tool …".
Every tool is added through ``tool`` (or ``add_tool``), which wraps it so that any ``RealEstateError``
becomes a ``ToolError`` with ``str(exc)`` as the text, the configured secrets removed (a message may
quote an upstream answer that echoed the key). Other exceptions stay crashes, which the SDK masks and
logs. The wrapper keeps the function's signature and annotations, so the tool schemas are unchanged.

The wrapper also writes a model result's text content as compact JSON: the SDK would indent it, and
a model reading the text pays for every indent (a 30-deal month was 10.3 KB indented, 6.7 KB compact).
The structured content is the same dump as before.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import pydantic_core
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel

from mcp_server.errors import RealEstateError
from mcp_server.upstream.redaction import redact_service_key

__all__ = ["add_tool", "compact_result", "tool", "translating"]

F = TypeVar("F", bound=Callable[..., Any])
Redact = Callable[[str], str]


def translating(fn: F, redact: Redact = redact_service_key) -> F:
    """``fn`` with every ``RealEstateError`` it raises turned into a ``ToolError`` the client sees."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return compact_result(await fn(*args, **kwargs))
            except RealEstateError as exc:
                raise ToolError(redact(str(exc))) from exc

        return run_async  # type: ignore[return-value]

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return compact_result(fn(*args, **kwargs))
        except RealEstateError as exc:
            raise ToolError(redact(str(exc))) from exc

    return run  # type: ignore[return-value]


def compact_result(result: Any) -> Any:
    """A model result as a ``CallToolResult``: its JSON dump as structured content and, compact, as
    text; anything else unchanged. The SDK still checks the dump against the tool's result model."""
    if not isinstance(result, BaseModel):
        return result
    structured = result.model_dump(mode="json", by_alias=True)
    text = pydantic_core.to_json(structured).decode()
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)


def add_tool(
    server: MCPServer[Any], fn: Callable[..., Any], *, redact: Redact = redact_service_key, **options: Any
) -> None:
    """``server.add_tool`` for a function whose errors are translated (``options``: name, title, …)."""
    server.add_tool(translating(fn, redact), **options)


def tool(server: MCPServer[Any], *, redact: Redact = redact_service_key, **options: Any) -> Callable[[F], F]:
    """Decorator form of ``add_tool``; returns the function undecorated, for direct tests."""

    def register(fn: F) -> F:
        add_tool(server, fn, redact=redact, **options)
        return fn

    return register
