"""The approval page shows the host the code goes to as the browser will really reach it (ASCII), and,
where a browser may display it otherwise, that form too with a warning in Korean and English."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.auth_gateway.authorization_server.routes.oauth_flow import authorization_query, new_verifier
from tests.support.login_form import parse_login_form

WARNING_KO = "주의: 이 주소는 브라우저에서"
WARNING_EN = "Warning: browsers may show this address as"


def approval_page(client: TestClient, redirect_uri: str) -> str:
    registration = client.post(
        "/oauth/register", json={"client_name": "Lookalike", "redirect_uris": [redirect_uri]}
    )
    assert registration.status_code == 201, registration.text
    query = authorization_query(
        new_verifier(), client_id=registration.json()["client_id"], redirect_uri=redirect_uri
    )
    page = client.get("/oauth/authorize", params=query)
    assert page.status_code == 200, page.text
    parse_login_form(page.text)  # still exactly one usable form
    return page.text


def destination(page: str) -> str:
    """The text of the "You will be sent to" entry, tags removed."""
    match = re.search(r"You will be sent to</dt>\s*<dd>(.*?)</dd>", page, re.S)
    assert match is not None, page
    return unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_an_ascii_host_is_shown_as_it_is_without_a_warning(client: TestClient) -> None:
    page = approval_page(client, "https://claude.ai/api/mcp/auth_callback")

    assert destination(page) == "claude.ai"
    assert WARNING_EN not in page
    assert WARNING_KO not in page


@pytest.mark.parametrize(
    "redirect_uri",
    ["https://аррӏе.com/callback", "https://xn--80ak6aa92e.com/callback"],
    ids=["unicode", "punycode"],
)
def test_a_whole_script_look_alike_is_shown_in_punycode_with_its_unicode_form_and_a_warning(
    client: TestClient, redirect_uri: str
) -> None:
    page = approval_page(client, redirect_uri)

    shown = destination(page)
    assert shown.startswith("xn--80ak6aa92e.com")
    assert f"{WARNING_KO} аррӏе.com(으)로 보일 수 있습니다" in shown
    assert f"{WARNING_EN} аррӏе.com." in shown
    assert "do not approve if it differs" in shown
    assert "다르면 승인하지 마세요" in shown


def test_a_korean_host_keeps_its_port_in_both_forms(client: TestClient) -> None:
    page = approval_page(client, "https://부동산.kr:8443/cb")

    shown = destination(page)
    assert shown.startswith("xn--2q1b16p8rc.kr:8443")
    assert f"{WARNING_EN} 부동산.kr:8443." in shown
