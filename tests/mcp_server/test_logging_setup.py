"""The server's log lines: JSON objects in the gateway's shape, event fields on top, keys never written."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from mcp_server.logging_setup import EVENT, JsonLineFormatter, configure_logging
from mcp_server.upstream.redaction import install_log_redaction, remove_log_redaction

KEY = "TEST-KEY-logging+/=="


@pytest.fixture
def stderr(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """configure_logging writing into a buffer; the root logger's previous state restored afterwards."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("httpx").level)
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stderr", buffer)
    configure_logging("info")
    yield buffer
    root.handlers[:], root.level = saved[0], saved[1]
    logging.getLogger("httpx").setLevel(saved[2])


def lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_line_has_the_gateways_keys_then_the_events_fields(stderr: io.StringIO) -> None:
    logging.getLogger("mcp_server.audit").info(
        "get_region_code ok", extra={EVENT: {"subject": "alice", "tool": "get_region_code", "msg": "x"}}
    )

    [line] = lines(stderr)
    assert list(line)[:4] == ["ts", "level", "logger", "msg"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert (line["level"], line["logger"], line["msg"]) == ("info", "mcp_server.audit", "get_region_code ok")
    assert (line["subject"], line["tool"]) == ("alice", "get_region_code")  # an event cannot replace msg


def test_an_exception_is_named_by_its_type_only(stderr: io.StringIO) -> None:
    try:
        raise ValueError(f"bad input quoting https://apis.data.go.kr/x?serviceKey={KEY}")
    except ValueError:
        logging.getLogger("mcp.server").exception("tool crashed")

    [line] = lines(stderr)
    assert (line["level"], line["msg"], line["error"]) == ("error", "tool crashed", "ValueError")
    assert KEY not in stderr.getvalue()


def test_below_the_level_only_the_audit_trail_is_written(
    stderr: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stderr", stderr)  # pytest's capture replaced it after the fixture ran
    configure_logging("warning")
    logging.getLogger("mcp_server.molit").info("a month fetched")
    logging.getLogger("mcp_server.audit").info("get_region_code ok")

    assert [line["logger"] for line in lines(stderr)] == ["mcp_server.audit"]


def test_redaction_applies_to_json_lines_from_any_logger(stderr: io.StringIO) -> None:
    redacting = install_log_redaction([KEY])
    try:
        logging.getLogger("httpx").warning("HTTP Request: GET https://apis.data.go.kr/x?serviceKey=%s", KEY)
        logging.getLogger("mcp_server.upstream.http").error("upstream said %s", KEY)
    finally:
        remove_log_redaction(redacting)

    written = stderr.getvalue()
    assert KEY not in written
    assert [line["msg"] for line in lines(stderr)] == [
        "HTTP Request: GET https://apis.data.go.kr/x?serviceKey=[REDACTED]",
        "upstream said [REDACTED]",
    ]


def test_the_formatter_keeps_non_ascii_readable() -> None:
    record = logging.LogRecord("mcp_server", logging.INFO, __file__, 1, "마포구 %s", ("ok",), None)
    assert json.loads(JsonLineFormatter().format(record))["msg"] == "마포구 ok"
