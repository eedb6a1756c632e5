"""The gateway's per-process state, assembled once from settings and shared by the routes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx

from auth_gateway.access_state import AccessStore
from auth_gateway.authorization_codes import AuthorizationCodeStore
from auth_gateway.bearer_verifier import BearerVerifier
from auth_gateway.config import GatewaySettings
from auth_gateway.errors import IssuerUnavailable
from auth_gateway.jwks_cache import JwksCache
from auth_gateway.own_tokens import OwnTokenAuthority
from auth_gateway.owner_login import OwnerLogin, build_owner_login
from auth_gateway.rate_limit import AttemptLimiter
from auth_gateway.redirect_uris import RedirectAllowlist
from auth_gateway.refresh_tokens import RefreshTokenStore, secret_epoch
from auth_gateway.revocations import RevocationList
from auth_gateway.token_verifier import IssuerTokenVerifier
from auth_gateway.verification_cache import VerificationCache

__all__ = ["Gateway", "build_gateway"]

log = logging.getLogger("auth_gateway")
ISSUER_TIMEOUT = httpx.Timeout(5.0)
# Failed client-secret checks: per client address, and across all addresses (docs/security.md).
CLIENT_SECRET_FAILURES_PER_MINUTE = 10
CLIENT_SECRET_FAILURES_PER_MINUTE_IN_ALL = 100


@dataclass
class Gateway:
    settings: GatewaySettings
    verifier: BearerVerifier | None  # None in AUTH_MODE=none
    own_tokens: OwnTokenAuthority | None
    jwks: JwksCache | None
    rate_limiter: AttemptLimiter  # client-secret checks at /oauth/token and /oauth/revoke
    http: httpx.AsyncClient | None
    # The built-in authorization server (authorization code + PKCE, refresh tokens).
    codes: AuthorizationCodeStore = field(default_factory=AuthorizationCodeStore)
    redirect_uris: RedirectAllowlist = field(default_factory=RedirectAllowlist)
    refresh_tokens: RefreshTokenStore | None = None  # with own tokens only: they are bound to the secret
    owner_login: OwnerLogin | None = None  # OWNER_PASSWORD_HASH set: self-registered clients, login page
    access: AccessStore | None = None  # with own tokens: users, the door, ended sessions (./scripts/access)
    revocations: RevocationList | None = None  # with own tokens: revoked sign-ins (token families)

    async def start(self) -> None:
        self._announce()
        if self.jwks is None:
            return
        try:
            await self.jwks.load()
        except IssuerUnavailable as exc:
            # Not fatal: the issuer may come up later; unknown kids retry (throttled) on demand.
            log.error("could not load the issuer's signing keys yet: %s", exc)

    def _announce(self) -> None:
        settings = self.settings
        if settings.open_to_anyone_over_https:
            log.warning(
                "AUTH_MODE=none while PUBLIC_BASE_URL is %s: ANYONE who can reach this server can use it. "
                "Set AUTH_MODE=oauth unless it is only reachable from a trusted network.",
                settings.PUBLIC_BASE_URL,
            )
        if settings.oauth:
            log.info(
                "issuer tokens: %s (audience %s); own client_credentials tokens: %s; required scopes: %s; "
                "owner login: %s",
                settings.issuer or "no",
                settings.audience,
                "yes" if settings.has_client_credentials else "no",
                " ".join(settings.required_scopes) or "none",
                "yes" if settings.owner_login else "no",
            )
        if settings.OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK:
            log.warning(
                "OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK is on: client metadata documents are fetched from "
                "loopback addresses. This is for tests only; remove it from a real server's .env."
            )

    async def close(self) -> None:
        if self.http is not None:
            await self.http.aclose()
        if self.refresh_tokens is not None:
            self.refresh_tokens.close()
        if self.access is not None:
            self.access.close()
        if self.revocations is not None:
            self.revocations.close()
        if self.owner_login is not None:
            await self.owner_login.close()


def build_gateway(settings: GatewaySettings) -> Gateway:
    rate_limiter = AttemptLimiter(
        CLIENT_SECRET_FAILURES_PER_MINUTE, global_limit=CLIENT_SECRET_FAILURES_PER_MINUTE_IN_ALL
    )
    if not settings.oauth:
        return Gateway(settings, None, None, None, rate_limiter, None)
    own_tokens = refresh_tokens = revocations = access = None
    codes = AuthorizationCodeStore()
    if settings.has_client_credentials:
        access = AccessStore(settings.OAUTH_STATE_PATH)
    owner_login = build_owner_login(settings, access)
    if settings.OAUTH_CLIENT_ID is not None and settings.OAUTH_CLIENT_SECRET is not None:
        revocations = RevocationList(settings.OAUTH_STATE_PATH)
        codes = AuthorizationCodeStore(on_replay=revocations.revoke_family)
        refresh_tokens = RefreshTokenStore(
            settings.OAUTH_STATE_PATH,
            epoch=secret_epoch(settings.OAUTH_CLIENT_SECRET.get_secret_value()),
            ttl_seconds=settings.OAUTH_REFRESH_TTL,
            revocations=revocations,
        )
        own_tokens = OwnTokenAuthority(
            client_id=settings.OAUTH_CLIENT_ID,
            client_secret=settings.OAUTH_CLIENT_SECRET.get_secret_value(),
            issuer=settings.base_url,
            audience=settings.resource,
            ttl=settings.OAUTH_TOKEN_TTL,
            scopes=settings.required_scopes,
            owner_clients=owner_login.is_public_client_id if owner_login is not None else None,
        )
    http = jwks = issuer_verifier = None
    if settings.issuer is not None:
        http = httpx.AsyncClient(timeout=ISSUER_TIMEOUT, follow_redirects=False)
        jwks = JwksCache(settings.issuer, http)
        issuer_verifier = IssuerTokenVerifier(jwks, audience=settings.audience)
    verifier = BearerVerifier(
        audience=settings.audience,
        required_scopes=settings.required_scopes,
        issuer_verifier=issuer_verifier,
        own_tokens=own_tokens,
        cache=VerificationCache(),
        is_revoked=revocations.is_revoked if revocations is not None else None,
        policy=access.policy if access is not None else None,
    )
    return Gateway(
        settings,
        verifier,
        own_tokens,
        jwks,
        rate_limiter,
        http,
        codes=codes,
        redirect_uris=RedirectAllowlist(settings.redirect_uris),
        refresh_tokens=refresh_tokens,
        owner_login=owner_login,
        revocations=revocations,
        access=access,
    )
