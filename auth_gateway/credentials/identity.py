"""Who a verified token speaks for: what /verify hands to Caddy and what the verification cache keeps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Identity", "scopes_of"]


@dataclass(frozen=True, slots=True)
class Identity:
    subject: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float  # the token's `exp`, epoch seconds: cached entries die with the token
    source: Literal["issuer", "client_credentials", "owner_login"]
    kid: str | None = None  # issuer key that signed it; a cache hit is dropped once the key leaves the JWKS
    issued_at: float = 0.0  # the token's `iat` (own tokens): sessions ended after it refuse the token
    family: str | None = None  # our own tokens: the sign-in (`sid`) they belong to, checked for revocation


def scopes_of(claims: Mapping[str, Any]) -> frozenset[str]:
    """Scopes from `scope` (RFC 8693 §4.2 space-separated string, Auth0) or `scp` (a list, Okta/Azure)."""
    scope = claims.get("scope")
    if isinstance(scope, str):
        return frozenset(scope.split())
    scp = claims.get("scp")
    if isinstance(scp, list):
        return frozenset(item for item in scp if isinstance(item, str))
    if isinstance(scp, str):
        return frozenset(scp.split())
    return frozenset()
