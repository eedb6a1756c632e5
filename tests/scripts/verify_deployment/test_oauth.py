"""The OAuth requests of the round trip, as the gateway (or any RFC 6749 server) receives them."""

from __future__ import annotations

import base64
import hashlib
from email.message import Message
from urllib.parse import parse_qsl, urlsplit

from verify_deployment.oauth import authorize, oauth_error, pkce_pair, post_form

from tests.e2e.fake_deployment import Answer, FakeServer, json_answer


def test_the_challenge_is_the_s256_of_the_verifier() -> None:
    verifier, challenge = pkce_pair()

    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=")
    assert challenge == digest.decode()
    assert 43 <= len(verifier) <= 128  # RFC 7636 section 4.1
    assert pkce_pair()[0] != verifier


def test_the_authorization_request_is_read_from_its_redirect(server: FakeServer) -> None:
    queries: list[dict[str, str]] = []

    def redirect(target: str, _headers: Message, _body: bytes) -> Answer:
        queries.append(dict(parse_qsl(urlsplit(target).query)))
        return 302, {"Location": "https://client.example/cb?code=c"}, b""

    server.routes[("GET", "/authorize")] = redirect
    metadata = {"authorization_endpoint": server.url + "/authorize"}

    answer = authorize(
        metadata, "client", "https://client.example/cb", "chal", "st", resource="https://r/mcp"
    )

    assert answer == (302, "https://client.example/cb?code=c")
    assert queries == [
        {
            "response_type": "code",
            "client_id": "client",
            "redirect_uri": "https://client.example/cb",
            "code_challenge": "chal",
            "code_challenge_method": "S256",
            "state": "st",
            "resource": "https://r/mcp",
        }
    ]


def test_a_token_request_authenticates_with_http_basic(server: FakeServer) -> None:
    seen: list[tuple[str | None, bytes]] = []

    def token(_target: str, headers: Message, body: bytes) -> Answer:
        seen.append((headers.get("Authorization"), body))
        return json_answer(400, {"error": "invalid_grant", "error_description": "used"})

    server.bearer_routes[("POST", "/token")] = token

    status, document = post_form(server.url + "/token", {"grant_type": "refresh_token"}, "id", "s:cret")

    assert (status, oauth_error(document)) == (400, "invalid_grant: used")
    assert seen == [("Basic " + base64.b64encode(b"id:s:cret").decode(), b"grant_type=refresh_token")]
