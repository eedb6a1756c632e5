"""What the status page knows: the MCP server up, the data key set (a WARN if not), no service near
today's quota (a WARN); no status data is a NOTE, not a failure."""

from __future__ import annotations

from typing import Any

import pytest
from verify_deployment.checks.status_data import check_status_data
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer, json_answer
from tests.scripts.verify_deployment.conftest import printed


def status(server: FakeServer, mcp: Any, status_code: int = 200) -> None:
    server.routes[("GET", "/status.json")] = json_answer(status_code, {"mcp": mcp})


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        (
            (404, {}, b""),
            "NOTE  no status data (/status.json: HTTP 404, STATUS_PAGE=off?): data key and quota not checked",
        ),
        (
            (502, {}, b""),
            "NOTE  no status data (/status.json: HTTP 502, the auth gateway does not answer): data key and "
            "quota "
            "not checked",
        ),
        (
            (200, {}, b"<html>"),
            "NOTE  no status data (/status.json: HTTP 200, not JSON): data key and quota not checked",
        ),
    ],
)
def test_no_status_data_is_a_note(
    server: FakeServer,
    capsys: pytest.CaptureFixture[str],
    answer: tuple[int, dict[str, str], bytes],
    note: str,
) -> None:
    server.routes[("GET", "/status.json")] = answer
    report = Report()

    check_status_data(report, server.url)

    assert printed(capsys) == [note]
    assert report.failures == 0


def test_an_unreachable_status_page_is_a_note(
    nothing_listens: str, capsys: pytest.CaptureFixture[str]
) -> None:
    check_status_data(Report(), nothing_listens)

    assert printed(capsys) == [
        "NOTE  the status data (/status.json) could not be read: data key and quota not checked"
    ]


def test_an_mcp_server_that_does_not_answer_fails(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status(server, None)
    report = Report()

    check_status_data(report, server.url)

    assert printed(capsys) == [
        "FAIL  [mcp-server] the status page says the MCP server does not answer the gateway",
        "      -> docker compose ps and docker compose logs mcp-server (./scripts/dev: its output) show why",
    ]
    assert report.failures == 1


def test_a_configured_key_passes(server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    status(server, {"keys": {"data_go_kr": True}, "daily_quota": 10000, "upstream": []})

    check_status_data(Report(), server.url)

    assert printed(capsys) == ["PASS  a data.go.kr key is configured (status page)"]


def test_no_key_is_a_warning_with_where_to_get_one(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status(server, {"keys": {"data_go_kr": False}})
    report = Report()

    check_status_data(report, server.url)

    assert printed(capsys) == [
        "WARN  [data-key] no data.go.kr key is configured: every real-estate data tool will answer with an "
        "error",
        "      -> set DATA_GO_KR_API_KEY in .env to the 'Decoding' key from data.go.kr → 마이페이지, then "
        "docker compose up -d (./scripts/dev: restart it)",
    ]
    assert report.failures == 0


def test_a_quota_eighty_percent_used_is_a_warning_per_service(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status(
        server,
        {
            "keys": {"data_go_kr": True},
            "daily_quota": 1000,
            "quota_resets_at": "2026-12-03T00:00:00+09:00",
            "upstream": [
                {"service": "RTMSDataSvcAptTrade", "requests": 800},
                {"service": "RTMSDataSvcAptRent", "requests": 799},
            ],
        },
    )

    check_status_data(Report(), server.url)

    assert printed(capsys) == [
        "PASS  a data.go.kr key is configured (status page)",
        "WARN  [quota] RTMSDataSvcAptTrade: 800 of 1000 requests used today (KST); it resets at "
        "2026-12-03 00:00:00+09:00",
        "      -> questions that need new months fail once it is used up: wait for midnight KST, or request "
        "a "
        "higher quota (운영계정) on data.go.kr and set DATA_GO_KR_DAILY_QUOTA to it",
    ]
