"""python-jose's published advisories do not apply to the gateway (docs/security.md explains each):

- CVE-2024-33663 (algorithm confusion with OpenSSH ECDSA keys, fixed in 3.4.0): a token signed with
  HS256 using the issuer's *public* key, in any encoding (PEM, OpenSSH, DER, JWK), is refused; issuer
  tokens are verified with RS256 only, our own tokens with HS256 and a key derived from the secret only.
- CVE-2024-33664 (JWE decompression bomb, fixed in 3.4.0): the gateway never decrypts a JWE; a
  compressed JWE is refused by its shape before python-jose sees it, and a bomb larger than the token
  limit is refused by its length.
Both are fixed in the pinned python-jose as well, which the first test checks.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from importlib.metadata import version

import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient
from jose import jwe

from tests.auth_gateway.conftest import CLIENT_ID, CLIENT_SECRET, GatewayFactory, bearer
from tests.support.oidc_issuer.issuer import OidcTestIssuer
from tests.support.oidc_issuer.jws import b64url


@pytest.fixture
def gateway(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(
        OAUTH_ISSUER=issuer.issuer, OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
    )


@pytest.fixture
def no_jwe_decryption(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fails the test if anything calls python-jose's JWE decryption (where the bomb would go off)."""
    calls: list[str] = []

    def refuse(*_: object, **__: object) -> bytes:
        calls.append("decrypt")
        raise AssertionError("the gateway must never decrypt a JWE")

    monkeypatch.setattr(jwe, "decrypt", refuse)
    yield calls
    assert calls == []


def test_the_pinned_python_jose_has_both_fixes() -> None:
    major, minor, *_ = (int(part) for part in version("python-jose").split(".")[:2])
    assert (major, minor) >= (3, 4)


def public_key_encodings(issuer: OidcTestIssuer) -> dict[str, bytes]:
    public = serialization.load_pem_public_key(issuer.public_key_pem())
    jwk = next(key for key in issuer.jwks()["keys"] if key["kid"] == issuer.kid)
    return {
        "pem": issuer.public_key_pem(),
        "openssh": public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH),
        "der": public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "pkcs1-pem": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
        "jwk-json": json.dumps(jwk).encode(),
        "jwk-n": jwk["n"].encode(),
    }


@pytest.mark.parametrize("encoding", ["pem", "openssh", "der", "pkcs1-pem", "jwk-json", "jwk-n"])
def test_hs256_signed_with_the_issuer_public_key_is_refused(
    gateway: TestClient, issuer: OidcTestIssuer, encoding: str
) -> None:
    secret = public_key_encodings(issuer)[encoding]
    for kid in (issuer.kid, None):
        forged = issuer.mint(alg="HS256", hs_secret=secret, kid=kid)

        response = gateway.get("/verify", headers=bearer(forged))

        assert response.status_code == 401, (encoding, kid)
        assert "x-auth-subject" not in response.headers


def compressed_jwe(plaintext_size: int) -> str:
    """A real compact JWE (dir + A256GCM, zip=DEF) of `plaintext_size` zero bytes."""
    return jwe.encrypt(
        b"\0" * plaintext_size, b"k" * 32, algorithm="dir", encryption="A256GCM", zip="DEF"
    ).decode()


@pytest.mark.usefixtures("no_jwe_decryption")
@pytest.mark.parametrize("size", [1_000, 5_000_000])
def test_a_compressed_jwe_is_refused_without_being_decrypted(gateway: TestClient, size: int) -> None:
    token = compressed_jwe(size)
    # A compact JWE: 1 KB is refused by its shape, the 5 MB bomb (6.6 KB) by the token length limit.
    assert token.count(".") == 4

    response = gateway.get("/verify", headers=bearer(token))

    assert response.status_code == 401
    assert "x-auth-subject" not in response.headers


@pytest.mark.usefixtures("no_jwe_decryption")
def test_a_jwe_whose_header_claims_to_be_a_jws_is_refused(
    gateway: TestClient, issuer: OidcTestIssuer
) -> None:
    head = b64url(json.dumps({"alg": "RS256", "kid": issuer.kid, "zip": "DEF"}).encode())
    token = f"{head}.{b64url(zlib.compress(b'{}' * 1000))}.{b64url(b'sig')}"

    response = gateway.get("/verify", headers=bearer(token))

    assert response.status_code == 401
