"""Verification of the issuer's access tokens (Auth0 or any OIDC provider), entirely local.

RS256 only (never `none`, never HS* for issuer tokens, RFC 8725 §3.1), `iss` exactly the issuer,
`aud` containing the audience, `exp`/`nbf` with 60 s leeway. Keys come from `JwksCache`; an unknown
`kid` may trigger one throttled refresh. No call to /userinfo: Auth0 allows only a few per minute.
"""

from __future__ import annotations

from typing import Any

from auth_gateway.credentials.identity import Identity, scopes_of
from auth_gateway.credentials.jwt_checks import MAX_LEEWAY_SECONDS, decode_verified
from auth_gateway.errors import TokenRejected
from auth_gateway.verify.jwks_cache import ISSUER_ALGORITHM, JwksCache

__all__ = ["IssuerTokenVerifier"]


class IssuerTokenVerifier:
    def __init__(self, jwks: JwksCache, *, audience: str) -> None:
        self.jwks = jwks
        self._audience = audience

    def still_trusted(self, identity: Identity) -> bool:
        """A cached identity stays good only while its signing key is still published."""
        return identity.kid is not None and self.jwks.key(identity.kid) is not None

    async def verify(self, token: str, header: dict[str, Any]) -> Identity:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRejected("the token header has no key id (kid)", reason="kid")
        key = self.jwks.key(kid) or await self.jwks.key_after_refresh(kid)
        if key is None:
            raise TokenRejected(
                "the token was signed with a key the issuer does not publish", reason="unknown_kid"
            )
        claims = decode_verified(
            token,
            key,
            algorithm=ISSUER_ALGORITHM,
            issuer=self.jwks.issuer,
            audience=self._audience,
            leeway=MAX_LEEWAY_SECONDS,
        )
        return Identity(
            subject=claims["sub"],
            client_id=_client_id(claims),
            scopes=scopes_of(claims),
            expires_at=float(claims["exp"]),
            source="issuer",
            kid=kid,
        )


def _client_id(claims: dict[str, Any]) -> str:
    # RFC 9068 §2.2 `client_id`; Auth0 puts the client in `azp`.
    for name in ("client_id", "azp"):
        value = claims.get(name)
        if isinstance(value, str):
            return value
    return ""
