"""One JSON object per log line, so every allow/deny decision can be grepped and parsed.

Decision lines carry `decision`, `reason`, `subject`, `client_id` and `latency_ms`; nothing that is
logged ever holds a token or a secret (callers pass only those fields).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

__all__ = ["DECISION_FIELDS", "JsonFormatter", "configure_logging", "log_decision"]

DECISION_FIELDS = ("event", "decision", "reason", "subject", "client_id", "client_ip", "latency_ms")
decisions = logging.getLogger("auth_gateway.decisions")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for field in DECISION_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__  # the type only: messages may quote input
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    # uvicorn's own lines (start-up, errors) get the same shape; it is run with log_config=None.
    for name in ("auth_gateway", "uvicorn"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level.upper())
        logger.propagate = False


def log_decision(
    event: str,
    decision: str,
    *,
    reason: str,
    started: float,
    subject: str | None = None,
    client_id: str | None = None,
    client_ip: str | None = None,
) -> None:
    if not decisions.isEnabledFor(logging.INFO):
        return
    decisions.info(
        "%s %s (%s)",
        event,
        decision,
        reason,
        extra={
            "event": event,
            "decision": decision,
            "reason": reason,
            "subject": subject,
            "client_id": client_id,
            "client_ip": client_ip,
            "latency_ms": round((time.perf_counter() - started) * 1000, 3),
        },
    )
