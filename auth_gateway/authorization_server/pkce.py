"""PKCE (RFC 7636) with S256 only: OAuth 2.1 requires it for every client, and `plain` would let anyone
who saw the authorization request (browser history, a proxy log) redeem the code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

__all__ = ["CHALLENGE_PATTERN", "s256_challenge", "verifier_matches", "well_formed_verifier"]

# BASE64URL(SHA256(verifier)) without padding is always 43 characters (RFC 7636 §4.2).
CHALLENGE_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# 43 to 128 unreserved characters (RFC 7636 §4.1).
_VERIFIER_PATTERN = re.compile(r"[A-Za-z0-9._~-]{43,128}")


def s256_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def well_formed_verifier(verifier: str) -> bool:
    return _VERIFIER_PATTERN.fullmatch(verifier) is not None


def verifier_matches(verifier: str, challenge: str) -> bool:
    """Constant-time comparison of S256(verifier) with the challenge sent at /oauth/authorize."""
    if not well_formed_verifier(verifier):
        return False
    return hmac.compare_digest(s256_challenge(verifier).encode("ascii"), challenge.encode("ascii"))
