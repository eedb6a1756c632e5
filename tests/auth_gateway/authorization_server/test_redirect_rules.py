"""Redirect URI rules: the configured client's allowlist, what may be registered, how a registered URI
matches (exact, RFC 8252 loopback on any port), and one length limit for all."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from auth_gateway.authorization_server.authorization_request import MAX_PARAMETER_LENGTH
from auth_gateway.authorization_server.redirect_rules import (
    MAX_URL_LENGTH,
    RedirectAllowlist,
    redirect_uri_matches,
    redirect_uri_problem,
)
from auth_gateway.config import GatewaySettings


@pytest.mark.parametrize(
    "uri",
    [
        "https://claude.ai/api/mcp/auth_callback",
        "https://claude.com/api/mcp/auth_callback",
        "https://chatgpt.com/connector_platform_oauth_redirect",
        "https://chatgpt.com/connector/oauth/VlB4kOcvHh3Q",
        "https://chatgpt.com/connector/oauth/app_6a9f-_Z",
        "https://chatgpt.com/connector/oauth/" + "a" * 128,
        "http://127.0.0.1:33418/callback",
        "http://127.0.0.1/callback",
        "http://localhost:8765/oauth/callback?x=1",
        "http://[::1]:9000/cb",
        "https://tools.example.org/oauth/callback",
    ],
)
def test_allowed(uri: str) -> None:
    assert RedirectAllowlist(["https://tools.example.org/oauth/callback"]).allows(uri)


@pytest.mark.parametrize(
    "uri",
    [
        "https://claude.ai/api/mcp/auth_callback/",  # exact match only
        "https://claude.ai/api/mcp/auth_callback?next=https://evil.example",
        "https://CLAUDE.ai/api/mcp/auth_callback",
        "https://evil.example/api/mcp/auth_callback",
        "https://127.0.0.1:8000/cb",  # loopback is http only (RFC 8252 §7.3)
        "http://127.0.0.1.evil.example/cb",
        "http://localhost.evil.example:80/cb",
        "http://user@127.0.0.1:80/cb",
        "http://127.0.0.1:80/cb#fragment",
        "http://127.0.0.1:99999/cb",
        "http://127.0.0.1:80\\@evil.example/cb",
        "http://192.168.0.10:8080/cb",
        "https://tools.example.org/oauth/callback2",
        "javascript:alert(1)",
        "",
        # ChatGPT's per-app callback: one segment of [A-Za-z0-9_-]{1,128} and nothing more
        "https://chatgpt.com/connector/oauth/",
        "https://chatgpt.com/connector/oauth/abc/",
        "https://chatgpt.com/connector/oauth/abc/def",
        "https://chatgpt.com/connector/oauth/abc?x=1",
        "https://chatgpt.com/connector/oauth/abc#f",
        "https://chatgpt.com/connector/oauth/a%2Fb",
        "https://chatgpt.com/connector/oauth/a%2fb",
        "https://chatgpt.com/connector/oauth/..",
        "https://chatgpt.com/connector/oauth/a.b",
        "https://chatgpt.com/connector/oauth/" + "a" * 129,
        "https://chatgpt.com/connector/oauth/abc\n",
        "https://chatgpt.com:443/connector/oauth/abc",
        "https://CHATGPT.com/connector/oauth/abc",
        "https://chatgpt.com.evil.example/connector/oauth/abc",
        "https://evil.example/connector/oauth/abc",
        "http://chatgpt.com/connector/oauth/abc",
        "https://user@chatgpt.com/connector/oauth/abc",
        "https://chatgpt.com/connector/oauth/abc\u0000",
        "https://chatgpt.com/other/oauth/abc",
    ],
)
def test_refused(uri: str) -> None:
    assert not RedirectAllowlist(["https://tools.example.org/oauth/callback"]).allows(uri)


# ---- one rule for every client -----------------------------------------------------------------------


def test_one_length_limit_for_every_kind_of_redirect_uri() -> None:
    """The limit is the authorization request's parameter bound: a longer URI could never be sent."""
    assert MAX_URL_LENGTH == MAX_PARAMETER_LENGTH
    longest = "http://127.0.0.1:8080/" + "a" * (MAX_URL_LENGTH - len("http://127.0.0.1:8080/"))
    assert redirect_uri_problem(longest) is None
    assert RedirectAllowlist().allows(longest)
    assert redirect_uri_problem(longest + "a") == f"is longer than {MAX_URL_LENGTH} characters"
    assert not RedirectAllowlist().allows(longest + "a")


@pytest.mark.parametrize(
    ("registered", "requested", "matches"),
    [
        ("http://127.0.0.1/cb", "http://127.0.0.1:53682/cb", True),  # RFC 8252 §7.3: any port
        ("http://localhost:3000/cb", "http://localhost:41000/cb", True),
        ("http://[::1]/cb", "http://[::1]:9/cb", True),
        ("http://127.0.0.1/cb", "http://127.0.0.1:53682/other", False),  # the path stays exact
        ("http://127.0.0.1/cb?a=1", "http://127.0.0.1:5/cb?a=2", False),  # and the query
        ("http://127.0.0.1/cb", "http://localhost:5/cb", False),  # and the host
        ("https://app.example/cb", "https://app.example:8443/cb", False),  # not loopback: exact
        ("http://app.localhost/cb", "http://app.localhost:5/cb", False),  # .localhost is not loopback here
    ],
)
def test_a_registered_loopback_uri_matches_on_any_port_only(
    registered: str, requested: str, matches: bool
) -> None:
    assert redirect_uri_matches(registered, requested) is matches


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("myapp/callback", "is not an absolute URL"),
        ("http://app.example/cb", "must use https://"),
        ("http://app.localhost/cb", "must use https://"),
        ("https://app.example/cb#x", "must not contain a fragment"),
        ("https://u:p@app.example/cb", "must not contain user info"),
        ("https://app.example:99999/cb", "is not a valid URL"),
        ("https://app.example/c b", "must not contain spaces"),
    ],
)
def test_what_cannot_be_registered_says_why(uri: str, problem: str) -> None:
    assert problem in (redirect_uri_problem(uri) or "")


def test_the_operators_list_follows_the_same_rule() -> None:
    with pytest.raises(ValidationError, match="must not contain user info"):
        GatewaySettings(OAUTH_REDIRECT_URIS="https://u:p@app.example/cb")
