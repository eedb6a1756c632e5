"""data.go.kr answers: envelopes, empty months, gateway errors in every form, and unreadable bodies."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from mcp_server.errors import (
    UpstreamAuthError,
    UpstreamQuotaError,
    UpstreamRequestError,
    UpstreamResponseError,
    UpstreamUnavailableError,
)
from mcp_server.upstream.data_go_kr.bodies import EnvelopePage, parse_envelope
from mcp_server.upstream.data_go_kr.error_table import error_for_status, quota_reset
from mcp_server.upstream.http import RawResponse
from tests.support.fixture_upstream.answers import fixture_path

SERVICE = "test service"


def page_of(name: str, status: int = 200) -> EnvelopePage:
    return parse_envelope(RawResponse(status, "application/xml", fixture_path(name).read_bytes()), SERVICE)


def raw(body: str | bytes, status: int = 200) -> RawResponse:
    return RawResponse(status, "text/plain", body.encode() if isinstance(body, str) else body)


@pytest.mark.parametrize("name", ["apt_trade_11440_200511_empty.xml", "apt_trade_11440_200511_nodata_03.xml"])
def test_both_empty_month_forms_are_zero_rows_not_errors(name: str) -> None:
    page = page_of(name)
    assert (page.total_count, page.items) == (0, [])


def test_result_code_01_is_a_retryable_provider_error() -> None:
    with pytest.raises(UpstreamUnavailableError) as caught:
        page_of("apt_trade_11440_202501_resultcode_01.xml")
    assert isinstance(caught.value, UpstreamUnavailableError)
    assert "Application Error" in str(caught.value)


@pytest.mark.parametrize("status", [200, 403])
def test_gateway_30_says_key_not_registered_whatever_the_status(status: int) -> None:
    with pytest.raises(UpstreamAuthError) as caught:
        page_of("gateway_30_service_key_not_registered.xml", status)
    message = str(caught.value)
    assert "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in message
    assert "DATA_GO_KR_API_KEY" in message
    assert "hour" in message
    assert not isinstance(caught.value, UpstreamUnavailableError)


@pytest.mark.parametrize("status", [200, 403])
def test_gateway_22_says_quota_resets_daily(status: int) -> None:
    with pytest.raises(UpstreamQuotaError) as caught:
        page_of("gateway_22_limit_exceeded.xml", status)
    assert "resets daily" in str(caught.value)
    assert not isinstance(caught.value, UpstreamUnavailableError)


def test_gateway_error_as_json_and_in_the_newer_layout() -> None:
    body = (
        '{"OpenAPI_ServiceResponse":{"cmmMsgHeader":{"errMsg":"SERVICE_KEY_IS_NOT_REGISTERED_ERROR",'
        '"returnAuthMsg":"등록되지 않은 서비스키","returnReasonCode":"30"}}}'
    )
    with pytest.raises(UpstreamAuthError, match="SERVICE_KEY_IS_NOT_REGISTERED_ERROR"):
        parse_envelope(raw(body, 403), SERVICE)


def test_plain_forbidden_is_an_approval_problem() -> None:
    with pytest.raises(UpstreamAuthError, match="활용신청"):
        parse_envelope(raw("Forbidden", 403), SERVICE)


def test_html_5xx_page_is_retryable_and_truncated_xml_is_unreadable() -> None:
    with pytest.raises(UpstreamUnavailableError):
        parse_envelope(raw("<html><body>502 Bad Gateway</body></html>", 502), SERVICE)
    truncated = fixture_path("apt_trade_11440_202501_p1.xml").read_bytes()[:5000]
    with pytest.raises(UpstreamResponseError):
        parse_envelope(raw(truncated), SERVICE)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("10", UpstreamRequestError),
        ("12", UpstreamRequestError),
        ("20", UpstreamAuthError),
        ("31", UpstreamAuthError),
        ("04", UpstreamUnavailableError),
    ],
)
def test_result_codes_inside_response_are_classified(code: str, error: type[Exception]) -> None:
    body = f"<response><header><resultCode>{code}</resultCode><resultMsg>X</resultMsg></header></response>"
    with pytest.raises(error):
        parse_envelope(raw(body), SERVICE)


def test_xml_bombs_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><response>&b;</response>'
    )
    with pytest.raises(UpstreamResponseError):
        parse_envelope(raw(bomb), SERVICE)


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, UpstreamUnavailableError), (503, UpstreamUnavailableError), (401, UpstreamAuthError)],
)
def test_unrecognised_bodies_fall_back_to_the_status(status: int, error: type[Exception]) -> None:
    assert isinstance(error_for_status(RawResponse(status, "text/plain", b"Unexpected errors"), "svc"), error)


def test_a_redirect_says_to_fix_the_base_url() -> None:
    error = error_for_status(RawResponse(301, "text/html", b"<html>Moved</html>"), "svc")
    assert isinstance(error, UpstreamRequestError)
    assert "DATA_GO_KR_BASE_URL" in str(error)


def test_a_quota_error_names_the_reset_time_midnight_kst() -> None:
    # 22:30 UTC on 5 March is 07:30 KST on 6 March: the quota resets at midnight starting the 7th.
    assert quota_reset(datetime(2026, 3, 5, 22, 30, tzinfo=UTC)) == "2026-03-07 00:00 KST, in 16 h 30 min"
    with pytest.raises(UpstreamQuotaError) as caught:
        page_of("gateway_22_limit_exceeded.xml", 200)
    assert re.search(r"midnight KST \(\d{4}-\d\d-\d\d 00:00 KST, in \d+ h \d+ min\)", str(caught.value))
