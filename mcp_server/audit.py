"""The audit trail: one log line per tool call, saying who called what, how long it took and how it went.

    {"ts": "2026-05-02T09:14:03.512Z", "level": "info", "logger": "mcp_server.audit",
     "msg": "get_apartment_trades ok", "subject": "alice", "client_id": "dcr.…",
     "tool": "get_apartment_trades", "region_code": "11440", "year_month": "202404",
     "duration_ms": 412.7, "outcome": "ok"}

A JSON object on one line like every line the server writes (``logging_setup``), with the call's
fields at the top level: ``jq 'select(.logger == "mcp_server.audit")'`` lists the calls.

Who: behind Caddy the auth gateway has verified the token and Caddy copies the gateway's
`X-Auth-Subject` and `X-Auth-Client-Id` into the request (after removing any the client sent), so they
name the signed-in user (`sub`) and the application. Over stdio there is no network peer: the
subject is `local`. Under AUTH_MODE=none nobody signs in: `anonymous`.

What is kept of the arguments is only what says which data was asked for without saying anything
about the person: the region code(s) and the month(s), and each only when it has the expected shape
(digits), so that no free text a model put into an argument ever reaches the log. No tokens, keys or
other argument values are logged: the gateway strips the bearer token before the request gets here,
and the service keys are never arguments.

Outcome: `ok`; `tool_error` for a failure the caller is told about (a bad argument, an upstream
refusal), with the error's class; `error` for a crash, with its class.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from mcp.server.mcpserver.context import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import CallToolResult

from mcp_server.logging_setup import EVENT
from mcp_server.tool_listing import LeanMCPServer

__all__ = ["ANONYMOUS", "LOCAL", "AuditedMCPServer", "audit_fields", "caller_of"]

log = logging.getLogger("mcp_server.audit")
LOCAL = "local"  # stdio: the desktop app that started this process
ANONYMOUS = "anonymous"  # HTTP without a verified identity (AUTH_MODE=none)
SUBJECT_HEADER = "x-auth-subject"
CLIENT_ID_HEADER = "x-auth-client-id"
MAX_IDENTITY_CHARS = 200  # a client_id can be a metadata document URL; longer is cut
# The only arguments logged, each with the shape it must have to be logged as given.
_LOGGED_ARGUMENTS = {
    "region_code": re.compile(r"\d{5}|\d{10}"),
    "region_codes": re.compile(r"\d{5}|\d{10}"),
    "year_month": re.compile(r"\d{6}"),
    "start_month": re.compile(r"\d{6}"),
    "end_month": re.compile(r"\d{6}"),
}
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


class AuditedMCPServer(LeanMCPServer):
    """`LeanMCPServer` that writes the audit line for every tool call, whatever its outcome."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> Any:
        started = time.perf_counter()
        outcome, error = "ok", None
        try:
            result = await super().call_tool(name, arguments, context)
            if isinstance(result, CallToolResult) and result.is_error:
                outcome = "tool_error"
            return result
        except ToolError as exc:
            outcome = "error" if isinstance(exc, UnexpectedToolError) else "tool_error"
            error = _root_cause(exc)
            raise
        except BaseException as exc:
            outcome, error = "error", type(exc).__name__
            raise
        finally:
            subject, client_id = caller_of(context)
            entry = audit_fields(name, arguments, subject=subject, client_id=client_id)
            entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
            entry["outcome"] = outcome
            if error is not None:
                entry["error"] = error
            log.info("%s %s", entry["tool"], outcome, extra={EVENT: entry})


def caller_of(context: Context[Any, Any] | None) -> tuple[str, str | None]:
    """(subject, client id) of the request behind `context`: the gateway's headers over HTTP, `local`
    over stdio."""
    try:
        request = context.request_context.request if context is not None else None
    except ValueError:  # no request context: a call from inside this process
        request = None
    headers = getattr(request, "headers", None)
    if not isinstance(headers, Mapping):
        return LOCAL, None
    subject = headers.get(SUBJECT_HEADER)
    client_id = headers.get(CLIENT_ID_HEADER)
    return (_clean(subject) if subject else ANONYMOUS), (_clean(client_id) if client_id else None)


def audit_fields(
    tool: str, arguments: Mapping[str, Any], *, subject: str, client_id: str | None
) -> dict[str, Any]:
    """The line's fields before timing and outcome: who, the tool and the data asked for."""
    entry: dict[str, Any] = {
        "subject": subject,
        "client_id": client_id,
        "tool": _clean(tool),
    }
    for argument, shape in _LOGGED_ARGUMENTS.items():
        if argument not in arguments:
            continue
        value = arguments[argument]
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        shown = [str(item) if shape.fullmatch(str(item)) else "(not a code)" for item in values[:10]]
        entry[argument] = shown if isinstance(value, list) else shown[0]
    return entry


def _root_cause(error: BaseException) -> str:
    """The class of what went wrong under the SDK's `ToolError` wrappers (our `RealEstateError`
    subclass, pydantic's `ValidationError`, or a crash's exception); `ToolError` if nothing is under."""
    while isinstance(error, ToolError) and error.__cause__ is not None:
        error = error.__cause__
    return type(error).__name__


def _clean(value: str) -> str:
    """The gateway percent-encodes non-ASCII identities (auth_gateway/verify/route.py); decoded, then made one
    printable line of bounded length."""
    return _UNPRINTABLE.sub("?", unquote(value))[:MAX_IDENTITY_CHARS]
