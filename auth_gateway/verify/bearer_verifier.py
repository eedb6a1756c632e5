"""From an Authorization header to an `Identity` or a rejection: the decision behind every /verify.

Order of checks, cheapest first: header shape (RFC 6750 §2.1), size, the verification cache, token
shape (opaque and JWE tokens cannot be checked locally and get an operator-facing fix), then the
verifier chosen by the header's `alg`: HS256 → our own client_credentials tokens, RS256 → the issuer.
Required scopes, revocation of our own tokens' sign-ins (auth_gateway/state/revocations.py) and the access
policy (a blocked or removed user, sessions ended by ./scripts/access: auth_gateway/state/access_policy.py)
are checked on every request, cached or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from auth_gateway.credentials.identity import Identity
from auth_gateway.credentials.jwt_checks import is_canonical_jws, unverified_header
from auth_gateway.credentials.own_tokens import ALGORITHM as OWN_ALGORITHM
from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from auth_gateway.credentials.secret_keys import token_digest
from auth_gateway.errors import InsufficientScope, MissingToken, TokenRejected
from auth_gateway.state.access_policy import Policy
from auth_gateway.verify.issuer_tokens import IssuerTokenVerifier
from auth_gateway.verify.jwks_cache import ISSUER_ALGORITHM
from auth_gateway.verify.verification_cache import VerificationCache

__all__ = ["MAX_TOKEN_LENGTH", "BearerVerifier"]

# Auth0 access tokens are ~1 KB; 6 KB leaves room for large permission lists and stops abuse early.
MAX_TOKEN_LENGTH = 6144
_B64TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")  # RFC 6750 §2.1 b64token


class BearerVerifier:
    def __init__(
        self,
        *,
        audience: str,
        required_scopes: tuple[str, ...],
        issuer_verifier: IssuerTokenVerifier | None,
        own_tokens: OwnTokenAuthority | None,
        cache: VerificationCache,
        is_revoked: Callable[[str], bool] | None = None,
        policy: Callable[[], Policy] | None = None,
    ) -> None:
        self._audience = audience
        self._is_revoked = is_revoked
        self._policy = policy
        self._required = frozenset(required_scopes)
        self._issuer = issuer_verifier
        self._own = own_tokens
        self.cache = cache

    async def verify(self, authorization: str | None) -> Identity:
        token = bearer_token(authorization)
        digest = token_digest(token)
        identity = self.cache.get(digest)
        if identity is not None and identity.kid is not None and not self._still_trusted(identity):
            self.cache.discard(digest)
            identity = None
        if identity is None:
            identity = await self._verify_uncached(token)
            self.cache.put(digest, identity)
        # The policy first: a blocked user is told so rather than that the sign-in was revoked.
        if self._policy is not None and identity.source != "issuer":
            refusal = self._policy().refusal(
                subject=identity.subject,
                client_id=identity.client_id,
                issued_at=identity.issued_at,
                user_token=identity.source == "owner_login",
            )
            if refusal is not None:
                raise TokenRejected(refusal, reason="revoked")
        if identity.family is not None and self._is_revoked is not None and self._is_revoked(identity.family):
            raise TokenRejected(
                "this sign-in was revoked (signed out, or a token of it was used twice); sign in again",
                reason="revoked",
            )
        missing = self._required - identity.scopes
        if missing:
            raise InsufficientScope(
                f"the token lacks the required scope(s): {' '.join(sorted(missing))}", reason="scope"
            )
        return identity

    def _still_trusted(self, identity: Identity) -> bool:
        return self._issuer is not None and self._issuer.still_trusted(identity)

    async def _verify_uncached(self, token: str) -> Identity:
        _reject_unverifiable_shapes(token, self._audience if self._issuer is not None else None)
        if not is_canonical_jws(token):
            raise TokenRejected("the token is not a well-formed JWT", reason="malformed")
        header = unverified_header(token)
        alg: Any = header.get("alg")
        if alg == OWN_ALGORITHM and self._own is not None:
            return self._own.verify(token)
        if alg == ISSUER_ALGORITHM and self._issuer is not None:
            return await self._issuer.verify(token, header)
        accepted = [name for name, on in ((ISSUER_ALGORITHM, self._issuer), (OWN_ALGORITHM, self._own)) if on]
        raise TokenRejected(
            f"tokens signed with {str(alg)[:16]!r} are not accepted (accepted: {', '.join(accepted)})",
            reason="algorithm",
        )


def bearer_token(authorization: str | None) -> str:
    if authorization is None or not authorization.strip():
        raise MissingToken("no bearer token", reason="no_token")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise TokenRejected("use the Authorization: Bearer <access token> scheme", reason="scheme")
    token = token.strip()
    if not token:
        raise TokenRejected("the Bearer credentials are empty", reason="empty")
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenRejected(f"the token is longer than {MAX_TOKEN_LENGTH} characters", reason="too_large")
    if not _B64TOKEN.fullmatch(token):
        raise TokenRejected("the token is not a well-formed JWT", reason="malformed")
    return token


def _reject_unverifiable_shapes(token: str, audience: str | None) -> None:
    """Auth0 hands out JWE or opaque tokens when the resource is not one of its APIs; say how to fix it."""
    fix = (
        f"In Auth0, create an API whose identifier is {audience} and enable the Resource Parameter "
        "Compatibility Profile (or make that API the tenant's default audience)"
        if audience is not None
        else "Request a token from this server's /oauth/token endpoint"
    )
    dots = token.count(".")
    if dots == 4:
        raise TokenRejected(
            f"the token is encrypted (JWE), so it cannot be verified here. {fix}", reason="jwe"
        )
    if dots != 2:
        raise TokenRejected(
            f"the token is opaque, not a signed JWT, so it cannot be verified here. {fix}", reason="opaque"
        )
