"""The service key appears in no tool output and no log line, on success and on every error path."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from mcp import Client

from mcp_server.upstream.redaction import SecretRedactingFilter, install_log_redaction, remove_log_redaction
from tests.mcp_server.server_setup import FAKE_KEY, server_for
from tests.support.fixture_upstream.server import FixtureUpstream

KEY_FORMS = {FAKE_KEY, quote(FAKE_KEY, safe=""), FAKE_KEY.split("+")[0]}

CALLS: list[tuple[str, dict[str, Any]]] = [
    ("get_apartment_trades", {"region_code": "11440", "year_month": "202501"}),  # 3 pages
    ("get_apartment_trades", {"region_code": "11140", "year_month": "202501"}),  # gateway 30, 403
    ("get_apartment_trades", {"region_code": "11200", "year_month": "202501"}),  # quota, 403
    ("get_apartment_trades", {"region_code": "11215", "year_month": "202501"}),  # 01 then retry
    ("get_apartment_trades", {"region_code": "11260", "year_month": "202501"}),  # timeout
    ("get_apartment_trades", {"region_code": "11290", "year_month": "202501"}),  # plain Forbidden
    ("get_apartment_trades", {"region_code": "11305", "year_month": "202501"}),  # HTML 502
    ("get_apartment_trades", {"region_code": "11350", "year_month": "202501"}),  # quota on page 2
    ("get_apartment_trades", {"region_code": "11470", "year_month": "202501"}),  # body echoes the key
    ("get_apartment_rent", {"region_code": "11440", "year_month": "202501"}),
    ("get_apt_subscription_info", {"area": "서울"}),
    ("get_apt_subscription_results", {"year_month": "202501"}),
]


async def test_key_is_absent_from_outputs_logs_and_the_cache_file(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []
    redacting = install_log_redaction([FAKE_KEY])  # as python -m mcp_server does at start-up
    with FixtureUpstream(slow_seconds=1.0) as upstream:
        server = server_for(
            upstream,
            UPSTREAM_TIMEOUT_SECONDS=0.2,
            UPSTREAM_RETRIES=1,
            MOLIT_PAGE_SIZE=100,
            CACHE_PATH=str(tmp_path / "cache" / "months.sqlite3"),
        )
        async with Client(server) as client:
            for tool, args in CALLS:
                result = await client.call_tool(tool, args)
                outputs.append(repr(result.content))
                outputs.append(repr(result.structured_content))
        sent = [query.get("serviceKey") for _, query in upstream.request_log]
    remove_log_redaction(redacting)
    assert FAKE_KEY in sent  # the key was really used, so its absence below means something
    http_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("serviceKey=[REDACTED]" in line for line in http_lines)
    captured = capfd.readouterr()
    everything = "\n".join([*outputs, caplog.text, captured.out, captured.err])
    cache_files = [path.read_bytes() for path in (tmp_path / "cache").iterdir()]
    assert any("마포".encode() in data for data in cache_files)  # the months were really cached
    for form in KEY_FORMS:
        assert form not in everything
        assert not any(form.encode() in data for data in cache_files)


def test_redaction_filter_rewrites_records_with_the_key_or_the_parameter() -> None:
    redactor = SecretRedactingFilter([FAKE_KEY])
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "GET %s -> %s", ("/x?serviceKey=abc&a=1", FAKE_KEY), None
    )
    assert redactor.filter(record)
    assert record.getMessage() == "GET /x?serviceKey=[REDACTED]&a=1 -> [REDACTED]"


def test_a_traceback_quoting_the_key_is_redacted_by_the_root_handler() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    redacting = install_log_redaction([FAKE_KEY])
    try:
        try:
            raise RuntimeError(f"GET /x?serviceKey={FAKE_KEY}&a=1 failed for {FAKE_KEY}")
        except RuntimeError:
            logging.getLogger("mcp.server.mcpserver.server").exception("Tool 'x' raised")
    finally:
        remove_log_redaction(redacting)
        root.removeHandler(handler)
    output = stream.getvalue()
    assert "RuntimeError" in output  # the traceback is still there
    assert FAKE_KEY not in output
