"""The MCP server's log: one JSON object per line on stderr, in the same shape as the auth gateway's.

One shape for both services, so one ``jq`` filter or one log collector reads either: ``ts`` (UTC,
milliseconds, ``Z``), ``level`` (lower case), ``logger``, ``msg``, then the event's own fields as
top-level keys, and for a logged exception ``error`` with its type alone (its message or traceback
may quote a request, or a URL with the service key in it). stdout is not used: over stdio it is the
MCP protocol channel.

The two services ship as separate images with nothing shared, so this is written for this package:
an event's fields travel as one ``extra={EVENT: {...}}`` mapping (``audit.py`` writes its tool-call
fields that way), so a new event needs no change here. uvicorn's own lines come through the root
handler too (it is started with ``log_config=None``); redaction (``upstream.redaction``) filters the
handler, so it applies to every line, whichever logger wrote it.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["EVENT", "JsonLineFormatter", "configure_logging"]

# The LogRecord attribute (``extra={EVENT: {...}}``) holding an event's fields.
EVENT = "event_fields"


class JsonLineFormatter(logging.Formatter):
    """``record`` as one JSON object: the four keys every line has, the event's fields, ``error`` (a type)."""

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, Any] = {
            "ts": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, EVENT, None)
        if isinstance(fields, Mapping):
            entry.update((key, value) for key, value in fields.items() if key not in entry)
        if record.exc_info is not None and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    """Every logger to stderr as JSON lines, at ``level``; the audit trail at INFO whatever the level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs each request URL at INFO; the URL carries the data.go.kr key, so it is both redacted
    # (install_log_redaction) and kept at WARNING unless debugging.
    if level != "debug":
        logging.getLogger("httpx").setLevel(logging.WARNING)
    # The audit trail (mcp_server/audit.py) is written whatever LOG_LEVEL says: one line per tool call.
    logging.getLogger("mcp_server.audit").setLevel(logging.INFO)
