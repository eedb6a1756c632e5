"""What a GET /verify rejection must look like, and the tokens that must be rejected.

Shared by the in-process tests (test_issuer_tokens.py) and the same matrix over a real socket
(test_over_http.py), so the two always check the same tokens against the same answer: a 401 with the
RFC 9728 challenge MCP clients start discovery from, never a 500, and no identity headers.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.auth_gateway.conftest import BASE_URL, RESOURCE, RESOURCE_METADATA
from tests.support.oidc_issuer.jws import b64url

BARE_CHALLENGE = f'Bearer resource_metadata="{RESOURCE_METADATA}"'


def assert_rejected(response: Any, *, description: str | None = None) -> None:
    """A 401 with the discovery challenge and `invalid_token`, the description (if given) in both."""
    assert response.status_code == 401, response.text
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith(BARE_CHALLENGE)
    assert 'error="invalid_token"' in challenge
    assert response.json()["error"] == "invalid_token"
    assert "x-auth-subject" not in response.headers
    if description is not None:
        assert description in response.json()["error_description"]
        assert description in challenge


def _tamper_signature(token: str) -> str:
    head, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[10] ^= 0x01
    return f"{head}.{payload}.{b64url(bytes(raw))}"


def _tamper_payload(token: str) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "admin"
    return f"{head}.{b64url(json.dumps(claims).encode())}.{signature}"


def jwe_shaped(_: object = None) -> str:
    """An encrypted token's five-part shape (what Auth0 issues when no API names the resource)."""
    header = b64url(json.dumps({"alg": "dir", "enc": "A256GCM"}).encode())
    return f"{header}..{b64url(b'iv' * 6)}.{b64url(b'ciphertext' * 8)}.{b64url(b'tag' * 5)}"


REJECTED: list[object] = [
    pytest.param(lambda i: i.mint(exp_in=-120), "expired", id="expired"),
    pytest.param(lambda i: i.mint(nbf_in=300), "not valid yet", id="nbf-in-future"),
    pytest.param(lambda i: i.mint(exp_in=-65), "expired", id="expired-just-past-60s-leeway"),
    pytest.param(lambda i: i.mint(nbf_in=65), "not valid yet", id="nbf-just-past-60s-leeway"),
    pytest.param(lambda i: i.mint(exp=None), "exp", id="no-exp"),
    pytest.param(lambda i: i.mint(sub=None), "sub", id="no-sub"),
    pytest.param(lambda i: i.mint(iss="http://127.0.0.1:9/"), "not issued by", id="wrong-iss"),
    pytest.param(
        lambda i: i.mint(iss=i.issuer.rstrip("/")), "not issued by", id="iss-missing-trailing-slash"
    ),
    pytest.param(lambda i: i.mint(iss=i.issuer + "/"), "not issued by", id="iss-extra-trailing-slash"),
    pytest.param(lambda i: i.mint(iss=None), "iss", id="no-iss"),
    pytest.param(lambda i: i.mint(aud="http://127.0.0.1:9/mcp"), "audience", id="wrong-aud"),
    pytest.param(lambda i: i.mint(aud=RESOURCE + "/"), "audience", id="aud-trailing-slash"),
    pytest.param(
        lambda i: i.mint(aud=[BASE_URL, i.issuer + "userinfo"]), "audience", id="list-aud-without-resource"
    ),
    pytest.param(lambda i: i.mint(aud=None), "aud", id="no-aud"),
    pytest.param(lambda i: i.mint(alg="none"), "not accepted", id="alg-none"),
    pytest.param(lambda i: i.mint(headers={"alg": "ES256"}), "not accepted", id="alg-es256-not-enabled"),
    pytest.param(lambda i: i.mint(headers={"alg": "RS512"}), "not accepted", id="alg-rs512"),
    pytest.param(lambda i: i.mint(alg="none", typ="JWT", kid=i.kid), "not accepted", id="alg-none-with-kid"),
    pytest.param(
        lambda i: i.mint(alg="HS256", hs_secret=i.public_key_pem(), kid=i.kid),
        "signature",
        id="hs256-with-public-key",
    ),
    pytest.param(lambda i: _tamper_signature(i.mint()), "signature", id="signature-tampered"),
    pytest.param(lambda i: _tamper_payload(i.mint()), "signature", id="payload-tampered"),
    pytest.param(lambda i: i.mint(kid="not-published"), "does not publish", id="unknown-kid"),
    pytest.param(lambda i: i.mint(headers={"kid": None}), "kid", id="no-kid"),
    pytest.param(lambda i: i.mint(typ="JWE"), "typ", id="typ-not-jwt"),
    pytest.param(lambda i: i.mint(headers={"crit": ["exp"], "exp": 1}), "crit", id="crit-header"),
    pytest.param(
        lambda i: i.mint(headers={"jku": "http://127.0.0.1:9/jwks", "kid": "x"}), "does not publish", id="jku"
    ),
    pytest.param(jwe_shaped, "encrypted (JWE)", id="jwe-shaped"),
    pytest.param(lambda i: "dGhpcyBpcyBvcGFxdWU", "opaque", id="opaque"),
    pytest.param(lambda i: "garbage.garbage.garbage", "well-formed", id="garbage-3-parts"),
    pytest.param(lambda i: "a" * 8192, "longer than", id="8kb-token"),
    pytest.param(lambda i: i.mint(padding="p" * 8192), "longer than", id="8kb-validly-signed"),
]
