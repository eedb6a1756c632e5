"""A deployment whose gateway is its own authorization server, on a FakeServer: what the built-in
checks and the --client-credentials-from round trip expect, with the parts a test varies as arguments
(which redirect URIs the authorize endpoint allows, the client secret, the token endpoint's answers).

    built_in_like(server, allowed=(LOOPBACK_REDIRECT_URI,))  # a gateway from before per-app callbacks
"""

from __future__ import annotations

import base64
from collections.abc import Collection
from email.message import Message
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.e2e.fake_deployment import Answer, FakeServer, json_answer

CLIENT_ID = "unit-client"
SECRET = "unit-secret-" + "s" * 32
LEGACY_CHATGPT_CALLBACK = "https://chatgpt.com/connector_platform_oauth_redirect"
CHATGPT_CALLBACK = "https://chatgpt.com/connector/oauth/verify-deployment-check"
LOOPBACK = "http://127.0.0.1:9/verify-deployment/callback"
CANNOT_SIGN_IN = (400, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>Cannot sign in</h1>")


def built_in_like(
    server: FakeServer,
    *,
    allowed: Collection[str] = (LOOPBACK, CHATGPT_CALLBACK, LEGACY_CHATGPT_CALLBACK),
    secret: str = SECRET,
    refresh: Answer | None = None,
) -> None:
    base = server.url

    def authorize(target: str, _headers: Message, _body: bytes) -> Answer:
        query = dict(parse_qsl(urlsplit(target).query))
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != CLIENT_ID or redirect_uri not in allowed:
            return CANNOT_SIGN_IN
        answer = {"code": "code-for-" + redirect_uri[-5:], "state": query.get("state", ""), "iss": base}
        return 302, {"Location": redirect_uri + "?" + urlencode(answer)}, b""

    def token(_target: str, headers: Message, body: bytes) -> Answer:
        form = dict(parse_qsl(body.decode()))
        if not form:
            return json_answer(400, {"error": "invalid_request"})
        basic = base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode()
        if headers.get("Authorization") != f"Basic {basic}":
            return json_answer(401, {"error": "invalid_client", "error_description": "wrong client secret"})
        if form.get("grant_type") == "refresh_token" and refresh is not None:
            return refresh
        return json_answer(200, {"access_token": "access-1", "refresh_token": "refresh-1"})

    metadata_url = base + "/.well-known/oauth-protected-resource/mcp"
    server.routes.update(
        {
            ("GET", "/"): (404, {}, b""),
            ("GET", "/.well-known/oauth-protected-resource/mcp"): json_answer(
                200, {"resource": base + "/mcp", "authorization_servers": [base]}
            ),
            ("GET", "/.well-known/oauth-authorization-server"): json_answer(
                200,
                {
                    "issuer": base,
                    "authorization_endpoint": base + "/oauth/authorize",
                    "token_endpoint": base + "/oauth/token",
                    "code_challenge_methods_supported": ["S256"],
                },
            ),
            ("GET", "/oauth/authorize"): authorize,
            ("POST", "/oauth/token"): token,
            ("POST", "/mcp"): json_answer(
                401, {}, **{"WWW-Authenticate": f'Bearer resource_metadata="{metadata_url}"'}
            ),
        }
    )
    server.bearer_routes[("POST", "/mcp")] = json_answer(200, {"jsonrpc": "2.0", "id": 1, "result": {}})
    server.bearer_routes[("POST", "/oauth/token")] = token  # Basic auth is an Authorization header too
