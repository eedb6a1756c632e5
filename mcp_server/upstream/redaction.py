"""Removing service keys from log records and from messages that quote an upstream answer.

The data.go.kr key travels in the query string and httpx logs every request URL at INFO, so the log
filter removes ``serviceKey=…`` values and every configured secret. It is installed once, by
``python -m mcp_server`` after logging is configured (``install_log_redaction``), never as a side
effect of building a client; what it installs it can remove again, so a test leaves nothing behind.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

__all__ = [
    "REDACTED_LOGGERS",
    "Redactor",
    "SecretRedactingFilter",
    "install_log_redaction",
    "redact_service_key",
    "remove_log_redaction",
]

_SERVICE_KEY_PARAM = re.compile(r"(?i)(servicekey=)[^&\s'\"]*")
# Logger filters are not inherited by child loggers, so each logger that formats URLs is listed.
REDACTED_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "uvicorn.access",
    "uvicorn.error",
)


def redact_service_key(text: str) -> str:
    """``text`` with the value of every ``serviceKey=`` parameter replaced, whatever the key is."""
    return _SERVICE_KEY_PARAM.sub(r"\1[REDACTED]", text)


class Redactor:
    """Removes ``serviceKey=…`` values and the given secrets (longest first) from a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        text = redact_service_key(text)
        for secret in self.secrets:
            text = text.replace(secret, "[REDACTED]")
        return text


class SecretRedactingFilter(logging.Filter):
    """Rewrites a record's message, and its traceback text, with the secrets removed."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__("secret-redaction")
        self.redact = Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose args do not format: leave it to the handler
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse a cached exc_text, so the traceback they print is this redacted one.
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True


def install_log_redaction(secrets: Iterable[str] = ()) -> SecretRedactingFilter:
    """Attach one filter for ``secrets`` to every logger that may see an upstream URL and to the root
    handlers configured so far; ``remove_log_redaction`` takes it off again."""
    redacting = SecretRedactingFilter(secrets)
    for name in REDACTED_LOGGERS:
        logging.getLogger(name).addFilter(redacting)
    # Handler filters see every record that reaches the handler, from any logger (the SDK's
    # "raised an unexpected exception" tracebacks included), not only the loggers listed above.
    for handler in logging.getLogger().handlers:
        handler.addFilter(redacting)
    return redacting


def remove_log_redaction(redacting: SecretRedactingFilter) -> None:
    for name in REDACTED_LOGGERS:
        logging.getLogger(name).removeFilter(redacting)
    for handler in logging.getLogger().handlers:
        handler.removeFilter(redacting)
