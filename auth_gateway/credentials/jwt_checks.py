"""One call into python-jose for every signed token, with its exceptions turned into `TokenRejected`.

Both token sources (the issuer's RS256 tokens and our own HS256 client_credentials tokens) go through
`decode_verified`, so the claim rules (exp/nbf with leeway, exact `iss`, `aud` containing the
resource, required `sub`) and the wording of each rejection are the same everywhere.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from jose import jwt
from jose.exceptions import ExpiredSignatureError, JWTClaimsError, JWTError

from auth_gateway.errors import TokenRejected

__all__ = ["MAX_LEEWAY_SECONDS", "decode_verified", "is_canonical_jws", "unverified_header"]

MAX_LEEWAY_SECONDS = 60
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
ACCEPTED_TYPS = frozenset({"jwt", "at+jwt", "application/at+jwt", "application/jwt"})


def is_canonical_jws(token: str) -> bool:
    """Three base64url segments in canonical form (no padding, zero spare bits, RFC 7515 §2).

    Decoders ignore the spare bits of the last character, so without this check one signed token
    would have several spellings that all verify.
    """
    segments = token.split(".")
    if len(segments) != 3:
        return False
    for segment in segments:
        if not _BASE64URL.fullmatch(segment):
            return False
        try:
            decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        except (ValueError, binascii.Error):
            return False
        if base64.urlsafe_b64encode(decoded).rstrip(b"=").decode("ascii") != segment:
            return False
    return True


def unverified_header(token: str) -> dict[str, Any]:
    """The JOSE header, only to pick a key and a verifier; nothing in it is trusted yet."""
    try:
        header = jwt.get_unverified_header(token)
    except Exception:  # jose raises several types for garbage; every one of them means "not a JWT"
        raise TokenRejected("the token is not a well-formed JWT", reason="malformed") from None
    if not isinstance(header, dict):
        raise TokenRejected("the token is not a well-formed JWT", reason="malformed")
    if "crit" in header:
        # RFC 7515 §4.1.11: extensions we do not understand must make the token invalid.
        raise TokenRejected(
            "the token uses critical header extensions (crit) we do not support", reason="crit"
        )
    typ = header.get("typ")
    if typ is not None and (not isinstance(typ, str) or typ.lower() not in ACCEPTED_TYPS):
        raise TokenRejected("the token type (typ) must be JWT or at+jwt", reason="typ")
    return header


def decode_verified(
    token: str,
    key: Any,
    *,
    algorithm: str,
    issuer: str,
    audience: str,
    leeway: int,
) -> dict[str, Any]:
    """Verify signature and registered claims; return the claims or raise `TokenRejected`."""
    options = {
        "require_exp": True,
        "require_iss": True,
        "require_aud": True,
        "require_sub": True,
        "verify_at_hash": False,
        "leeway": min(leeway, MAX_LEEWAY_SECONDS),
    }
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[algorithm], audience=audience, issuer=issuer, options=options
        )
    except ExpiredSignatureError:
        raise TokenRejected("the token has expired: obtain a new one", reason="expired") from None
    except JWTClaimsError as exc:
        raise _claims_rejection(str(exc), issuer=issuer, audience=audience) from None
    except JWTError as exc:
        text = str(exc)
        if "Signature verification failed" in text:
            raise TokenRejected("the token signature is invalid", reason="signature") from None
        if "missing required key" in text:
            raise TokenRejected(
                f"the token lacks a required claim: {_claim_named(text)}", reason="claims"
            ) from None
        if "alg" in text and "not allowed" in text:
            raise TokenRejected(f"only {algorithm} tokens are accepted here", reason="algorithm") from None
        raise TokenRejected("the token is not a well-formed JWT", reason="malformed") from None
    except Exception:  # malformed input can surface as ValueError/TypeError deep inside jose
        raise TokenRejected("the token is not a well-formed JWT", reason="malformed") from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenRejected("the token has no subject (sub)", reason="claims")
    return claims


def _claims_rejection(text: str, *, issuer: str, audience: str) -> TokenRejected:
    if "must be" in text or "format" in text:
        return TokenRejected("the token has a claim of the wrong type", reason="claims")
    if "audience" in text:
        return TokenRejected(f"the token audience (aud) does not include {audience}", reason="audience")
    if "issuer" in text:
        return TokenRejected(f"the token was not issued by {issuer}", reason="issuer")
    if "nbf" in text or "not yet valid" in text:
        return TokenRejected("the token is not valid yet (nbf)", reason="not_yet_valid")
    return TokenRejected("the token has an invalid claim", reason="claims")


def _claim_named(text: str) -> str:
    for claim in ("exp", "iss", "aud", "sub", "jti", "iat", "nbf"):
        if f'"{claim}"' in text or f"'{claim}'" in text:
            return claim
    return "unknown"
