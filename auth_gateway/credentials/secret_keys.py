"""Keys for everything the gateway signs besides access tokens, each derived from OAUTH_CLIENT_SECRET.

HKDF-SHA256 (RFC 5869) with one label per purpose: a registration can never pass for a login form
token, nothing survives a change of the secret, and the raw secret itself signs nothing. Labels are
part of the wire format of what they sign; changing one invalidates everything signed with it.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["derive_key"]

LABEL_PREFIX = "real-estate-mcp auth_gateway "


def derive_key(secret: str, purpose: str) -> bytes:
    info = (LABEL_PREFIX + purpose).encode("utf-8")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode("utf-8"))
