"""Our own client_credentials access tokens: short-lived HS256 JWTs that need no storage.

The signing key is derived from OAUTH_CLIENT_SECRET with HKDF-SHA256 and a fixed context (RFC 5869),
so tokens survive a gateway restart, changing the secret invalidates every token issued before, and
the raw secret itself never signs anything. Claims follow RFC 9068: `iss` PUBLIC_BASE_URL, `aud` the
resource, `sub` and `client_id` the client id, a random `jti`, and `sid`: the sign-in (token family,
auth_gateway/state/revocations.py) the token belongs to, so revoking a sign-in ends its live access tokens.
A client_credentials token is a sign-in of its own.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from jose import jwk, jwt

from auth_gateway.credentials.identity import Identity, scopes_of
from auth_gateway.credentials.jwt_checks import decode_verified
from auth_gateway.credentials.secret_keys import derive_key
from auth_gateway.errors import TokenRejected
from auth_gateway.state.access_policy import OWNER, name_problem

__all__ = ["ALGORITHM", "OWNER_SUBJECT", "IssuedToken", "OwnTokenAuthority", "derive_signing_key"]

ALGORITHM = "HS256"
OWNER_SUBJECT = (
    OWNER  # `sub` of tokens approved with the owner's password (authorization_server/routes/login.py)
)
KEY_PURPOSE = "client_credentials access-token signing key v1"  # see auth_gateway/credentials/secret_keys.py


def derive_signing_key(client_secret: str) -> bytes:
    return derive_key(client_secret, KEY_PURPOSE)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scope: str


class OwnTokenAuthority:
    """Issues and verifies the gateway's own tokens for the one configured client."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        issuer: str,
        audience: str,
        ttl: int,
        scopes: tuple[str, ...],
        owner_clients: Callable[[str], bool] | None = None,
    ) -> None:
        """`owner_clients` (owner login on) tells whether a client_id is a self-registered client that
        may hold tokens a user approved at the login page (`sub` the user's name: OWNER_SUBJECT for
        the owner). Whether that user still exists and may sign in is the access policy's question
        (auth_gateway/state/access_policy.py), asked on every request, cached or not."""
        self._client_id = client_id
        self._owner_clients = owner_clients
        self._key = derive_signing_key(client_secret)
        self._verification_key = jwk.construct(self._key, ALGORITHM)  # built once, not per request
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl
        self._scope = " ".join(scopes)

    def issue(
        self,
        *,
        scopes: tuple[str, ...] | None = None,
        subject: str | None = None,
        client_id: str | None = None,
        family: str | None = None,
        now: float | None = None,
    ) -> IssuedToken:
        """A token for the configured client; `scopes` defaults to OAUTH_SCOPES (client_credentials),
        the authorization code grant passes the scopes granted at /oauth/authorize. After a sign-in at
        the login page the token speaks for that user (`subject`) through a self-registered
        `client_id`."""
        issued_at = int(time.time() if now is None else now)
        scope = self._scope if scopes is None else " ".join(scopes)
        subject = subject or self._client_id
        client_id = client_id or self._client_id
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject,
            "client_id": client_id,
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + self._ttl,
            "jti": secrets.token_urlsafe(16),
            "sid": family or secrets.token_hex(16),
        }
        if scope:
            claims["scope"] = scope
        token = jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"typ": "at+jwt"})
        return IssuedToken(access_token=token, expires_in=self._ttl, scope=scope)

    def verify(self, token: str) -> Identity:
        """Raise `TokenRejected` unless the token is ours, unexpired and for the configured client."""
        # No leeway: the same clock issues and checks these tokens.
        claims = decode_verified(
            token,
            self._verification_key,
            algorithm=ALGORITHM,
            issuer=self._issuer,
            audience=self._audience,
            leeway=0,
        )
        subject, client_id = claims.get("sub"), claims.get("client_id")
        if not isinstance(subject, str) or not isinstance(client_id, str):
            raise TokenRejected("the token lacks a required claim: sub or client_id", reason="claims")
        if subject == client_id == self._client_id:
            source: Literal["client_credentials", "owner_login"] = "client_credentials"
        elif (
            name_problem(subject) is None
            and self._owner_clients is not None
            and self._owner_clients(client_id)
        ):
            source = "owner_login"
        else:
            raise TokenRejected(
                "the token was issued to a client that is no longer configured", reason="client"
            )
        if not isinstance(claims.get("jti"), str):
            raise TokenRejected("the token lacks a required claim: jti", reason="claims")
        family = claims.get("sid")
        if not isinstance(family, str) or not family:
            # Tokens from before sign-ins were tracked: the client refreshes or authorizes again.
            raise TokenRejected("the token lacks a required claim: sid", reason="claims")
        return Identity(
            subject=subject,
            client_id=client_id,
            scopes=scopes_of(claims),
            expires_at=float(claims["exp"]),
            source=source,
            issued_at=float(claims.get("iat", 0)),
            family=family,
        )
