"""The issuer's signing keys and compact JWS signing, kept apart from the HTTP and OAuth parts.

Tests of the gateway's verifier need tokens that are subtly wrong (unpublished ``kid``, ``alg`` none,
HS256 signed with the public key, extra JOSE headers), so signing is done by hand here rather than by a
JOSE library that would refuse to produce them. Keys rotate at runtime; the JWKS document always lists
exactly the keys currently held.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint_b64(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class SigningKeys:
    """The RSA keys the issuer publishes; ``kid`` names the one new tokens are signed with."""

    def __init__(self) -> None:
        self._keys: dict[str, rsa.RSAPrivateKey] = {}
        self._lock = threading.Lock()
        self.kid = self._new_key()

    def _new_key(self) -> str:
        kid = "test-" + secrets.token_hex(6)
        self._keys[kid] = _new_rsa_key()
        return kid

    def rotate(self, *, keep_old: bool = False) -> str:
        with self._lock:
            old = self.kid
            self.kid = self._new_key()
            if not keep_old:
                del self._keys[old]
        return self.kid

    def public_key_pem(self, kid: str | None = None) -> bytes:
        key = self._keys[kid or self.kid]
        return key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def private(self, kid: str) -> rsa.RSAPrivateKey:
        """The key named `kid`, or a throwaway one when it is not published (a token no JWKS can verify)."""
        return self._keys.get(kid) or _new_rsa_key()

    def document(self) -> dict[str, Any]:
        """The JWKS: the public half of every held key."""
        with self._lock:
            keys = list(self._keys.items())
        documents = []
        for kid, key in keys:
            numbers = key.public_key().public_numbers()
            documents.append(
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": kid,
                    "n": _uint_b64(numbers.n),
                    "e": _uint_b64(numbers.e),
                }
            )
        return {"keys": documents}


def compact_jws(
    keys: SigningKeys,
    payload: dict[str, Any],
    *,
    kid: str | None,
    alg: str,
    typ: str | None,
    headers: dict[str, Any] | None,
    hs_secret: bytes | None,
) -> str:
    """`payload` signed as a compact JWS; `kid` goes in the header for RS256 or when named explicitly."""
    header: dict[str, Any] = {"alg": alg}
    if typ is not None:
        header["typ"] = typ
    key_id = kid or keys.kid
    if alg == "RS256" or kid is not None:
        header["kid"] = key_id
    header.update(headers or {})
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":")).encode())
    ).encode("ascii")
    if alg == "RS256":
        signature = keys.private(key_id).sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "HS256":
        if hs_secret is None:
            raise ValueError("alg HS256 needs hs_secret")
        signature = hmac.new(hs_secret, signing_input, hashlib.sha256).digest()
    elif alg == "none":
        signature = b""
    else:
        raise ValueError(f"unsupported alg {alg}")
    return signing_input.decode("ascii") + "." + b64url(signature)
