"""Keys derived from OAUTH_CLIENT_SECRET: one per purpose, and unchanged bytes for what is already out
there (tokens in clients' hands, refresh-token epochs in the state file)."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from auth_gateway.authorization_server.refresh_tokens import secret_epoch
from auth_gateway.credentials.own_tokens import derive_signing_key
from auth_gateway.credentials.secret_keys import derive_key

SECRET = "secret-keys-test-" + "k" * 30


def hkdf(info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(SECRET.encode())


def test_each_purpose_gets_its_own_key() -> None:
    purposes = ["dynamic client registration v1", "owner login form token v1", "refresh-token epoch v1"]

    assert len({derive_key(SECRET, purpose) for purpose in purposes}) == len(purposes)
    assert derive_key(SECRET, purposes[0]) != derive_key(SECRET + "x", purposes[0])


def test_access_token_keys_and_refresh_epochs_keep_their_bytes() -> None:
    assert derive_signing_key(SECRET) == hkdf(
        b"real-estate-mcp auth_gateway client_credentials access-token signing key v1"
    )
    assert secret_epoch(SECRET) == hkdf(b"real-estate-mcp auth_gateway refresh-token epoch v1", length=16)
