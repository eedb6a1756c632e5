"""The redirect URI allowlist of the pre-registered client: exact matches plus RFC 8252 loopback."""

from __future__ import annotations

import pytest

from auth_gateway.authorization_server.redirect_rules import RedirectAllowlist


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
