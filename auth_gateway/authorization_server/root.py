"""The authorization server's start-up root: every part its routes use, none of them optional.

Built only in AUTH_MODE=oauth with OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET (the app mounts its routes
only then). Clients other than the configured one are the `other_clients`' business: with owner login
they are self-registered clients that get the login page (login/pages.py), without it `NoOtherClients`
refuses them, so the authorize and token routes ask the same object either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth_gateway.authorization_server.authorization_codes import AuthorizationCodeStore
from auth_gateway.authorization_server.other_clients import OtherClients
from auth_gateway.authorization_server.rate_limit import AttemptLimiter
from auth_gateway.authorization_server.redirect_rules import RedirectAllowlist
from auth_gateway.authorization_server.refresh_tokens import RefreshTokenStore, secret_epoch
from auth_gateway.config import GatewaySettings
from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from auth_gateway.lifecycle import Lifecycle
from auth_gateway.state.access_store import AccessStore
from auth_gateway.state.revocations import RevocationList

__all__ = ["AuthorizationServer", "build_authorization_server"]

# Failed client-secret checks: per client address, and across all addresses (docs/security.md).
CLIENT_SECRET_FAILURES_PER_MINUTE = 10
CLIENT_SECRET_FAILURES_PER_MINUTE_IN_ALL = 100


@dataclass
class AuthorizationServer:
    settings: GatewaySettings
    client_id: str  # OAUTH_CLIENT_ID
    client_secret: str  # OAUTH_CLIENT_SECRET
    own_tokens: OwnTokenAuthority
    codes: AuthorizationCodeStore
    redirect_uris: RedirectAllowlist  # the configured client's
    refresh_tokens: RefreshTokenStore
    revocations: RevocationList
    access: AccessStore  # users, the door, sessions (./scripts/access)
    rate_limiter: AttemptLimiter  # client-secret checks at /oauth/token and /oauth/revoke
    other_clients: OtherClients


def build_authorization_server(
    settings: GatewaySettings,
    *,
    client_id: str,
    client_secret: str,
    own_tokens: OwnTokenAuthority,
    revocations: RevocationList,
    access: AccessStore,
    other_clients: OtherClients,
    lifecycle: Lifecycle,
) -> AuthorizationServer:
    refresh_tokens = RefreshTokenStore(
        settings.OAUTH_STATE_PATH,
        epoch=secret_epoch(client_secret),
        ttl_seconds=settings.OAUTH_REFRESH_TTL,
        revocations=revocations,
    )
    lifecycle.on_close(refresh_tokens.close)
    return AuthorizationServer(
        settings=settings,
        client_id=client_id,
        client_secret=client_secret,
        own_tokens=own_tokens,
        codes=AuthorizationCodeStore(),
        redirect_uris=RedirectAllowlist(settings.redirect_uris),
        refresh_tokens=refresh_tokens,
        revocations=revocations,
        access=access,
        rate_limiter=AttemptLimiter(
            CLIENT_SECRET_FAILURES_PER_MINUTE, global_limit=CLIENT_SECRET_FAILURES_PER_MINUTE_IN_ALL
        ),
        other_clients=other_clients,
    )
