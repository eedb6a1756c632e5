"""The forward_auth room's start-up root: what GET /verify reads, built once from settings.

Only AUTH_MODE=oauth has one; AUTH_MODE=none mounts `route.open_router`, which lets everything
through without reading anything. The issuer's HTTP client and the first JWKS load are registered with
the app's lifecycle here, so the root holds only what a request reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from auth_gateway.config import GatewaySettings
from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from auth_gateway.lifecycle import Lifecycle
from auth_gateway.state.access_policy import Policy
from auth_gateway.verify.bearer_verifier import BearerVerifier
from auth_gateway.verify.errors import IssuerUnavailable
from auth_gateway.verify.issuer_tokens import IssuerTokenVerifier
from auth_gateway.verify.jwks_cache import JwksCache
from auth_gateway.verify.verification_cache import VerificationCache

__all__ = ["OwnTokenChecks", "Verification", "build_verification"]

log = logging.getLogger("auth_gateway")
ISSUER_TIMEOUT = httpx.Timeout(5.0)


@dataclass(frozen=True, slots=True)
class OwnTokenChecks:
    """The gateway's own tokens and what can end them early (revoked sign-ins, the access policy)."""

    tokens: OwnTokenAuthority
    is_revoked: Callable[[str], bool]
    policy: Callable[[], Policy]


@dataclass(frozen=True, slots=True)
class Verification:
    settings: GatewaySettings
    verifier: BearerVerifier


def build_verification(
    settings: GatewaySettings, own: OwnTokenChecks | None, lifecycle: Lifecycle
) -> Verification:
    """`own` is None when no client is configured (issuer tokens only)."""
    issuer_verifier = None
    if settings.issuer is not None:
        http = httpx.AsyncClient(timeout=ISSUER_TIMEOUT, follow_redirects=False)
        lifecycle.on_close(http.aclose)
        jwks = JwksCache(settings.issuer, http)
        lifecycle.on_start(lambda: _first_load(jwks))
        issuer_verifier = IssuerTokenVerifier(jwks, audience=settings.audience)
    verifier = BearerVerifier(
        audience=settings.audience,
        required_scopes=settings.required_scopes,
        issuer_verifier=issuer_verifier,
        own_tokens=own.tokens if own is not None else None,
        cache=VerificationCache(),
        is_revoked=own.is_revoked if own is not None else None,
        policy=own.policy if own is not None else None,
    )
    return Verification(settings, verifier)


async def _first_load(jwks: JwksCache) -> None:
    try:
        await jwks.load()
    except IssuerUnavailable as exc:
        # Not fatal: the issuer may come up later; unknown kids retry (throttled) on demand.
        log.error("could not load the issuer's signing keys yet: %s", exc)
