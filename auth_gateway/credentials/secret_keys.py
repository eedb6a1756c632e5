"""Keys for everything the gateway signs besides access tokens, each derived from OAUTH_CLIENT_SECRET,
and the one digest it keeps instead of a secret value.

HKDF-SHA256 (RFC 5869) with one label per purpose: a registration can never pass for a login form
token, nothing survives a change of the secret, and the raw secret itself signs nothing. Labels are
part of the wire format of what they sign; changing one invalidates everything signed with it.

What the gateway remembers about a token, code or client id (refresh tokens and approvals in the state
file, codes and verified tokens in memory) is `token_digest`: SHA-256, so the value itself is never
stored, and lookups stay exact.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["derive_key", "token_digest"]

LABEL_PREFIX = "real-estate-mcp auth_gateway "


def derive_key(secret: str, purpose: str) -> bytes:
    info = (LABEL_PREFIX + purpose).encode("utf-8")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode("utf-8"))


def token_digest(value: str) -> bytes:
    """SHA-256 of `value`; lone surrogates (from a percent-decoded form) are digested, not refused."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()
