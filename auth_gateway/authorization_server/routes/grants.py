"""The three grants of /oauth/token, and the words for what the stores answer (RFC 6749 §5.2).

The stores (authorization_codes.py, refresh_tokens.py) return values or None and never raise an
endpoint's error; here each answer becomes the `invalid_grant` a client developer can act on, and the
policy (which refusal revokes a sign-in, which leaves a token valid) runs outside any transaction.
The shape follows the MCP SDK's `OAuthAuthorizationServerProvider`: load, then exchange.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from auth_gateway.authorization_server.authorization_codes import CodeRefusal, RedeemedCode
from auth_gateway.authorization_server.authorization_request import granted_scopes
from auth_gateway.authorization_server.client_auth import PUBLIC_CLIENT_METHOD
from auth_gateway.authorization_server.errors import TokenRequestError
from auth_gateway.authorization_server.pkce import verifier_matches, well_formed_verifier
from auth_gateway.authorization_server.refresh_tokens import (
    RefreshGrant,
    RefreshTokenStore,
    StoredRefreshToken,
)
from auth_gateway.authorization_server.root import AuthorizationServer
from auth_gateway.credentials.own_tokens import IssuedToken

__all__ = [
    "GRANTS",
    "GRANT_TYPES",
    "AuthenticatedClient",
    "Issued",
    "TokenRequest",
    "live_refresh_token",
    "required",
    "spend_code",
]

REPLAYED_REFRESH = (
    "the refresh token was already used (tokens rotate on every use); every token "
    "of this sign-in is now revoked: authorize again"
)


@dataclass(frozen=True, slots=True)
class AuthenticatedClient:
    client_id: str
    method: str  # "client_secret_basic" | "client_secret_post" | "none" (a public client)


@dataclass(frozen=True, slots=True)
class TokenRequest:
    gateway: AuthorizationServer
    form: dict[str, str]
    client: AuthenticatedClient


@dataclass(frozen=True, slots=True)
class Issued:
    access: IssuedToken
    refresh_token: str | None = None


def spend_code(gateway: AuthorizationServer, code: str) -> RedeemedCode:
    """The code's grant, spent; a replayed code revokes the sign-in it started (RFC 6749 §4.1.2)."""
    redeemed = gateway.codes.redeem(code)
    if not isinstance(redeemed, CodeRefusal):
        return redeemed
    if redeemed.reason == "expired":
        ttl = gateway.codes.ttl_seconds
        raise _invalid(f"the authorization code expired (codes live {ttl:.0f} s); authorize again")
    if redeemed.reason == "replayed" and redeemed.family is not None:
        gateway.revocations.revoke_family(redeemed.family)
        raise _invalid(
            "the authorization code was already used; every token issued for it is now revoked: "
            "authorize again"
        )
    raise _invalid("the authorization code is not valid; authorize again")


def live_refresh_token(store: RefreshTokenStore, token: str, *, client_id: str) -> StoredRefreshToken:
    """The stored token if `client_id` may exchange it now; a spent one revokes its sign-in."""
    stored = store.load(token)
    if stored is None:
        raise _invalid("the refresh token is not valid; authorize again")
    if not stored.current_secret:
        raise _invalid("the refresh token was issued before the client secret changed; authorize again")
    if stored.expired:
        raise _invalid("the refresh token expired; authorize again")
    if stored.grant.client_id != client_id:
        raise _invalid("the refresh token was issued to another client")
    if stored.spent:
        store.revoke_family(stored.family)
        raise _invalid(REPLAYED_REFRESH)
    return stored


async def _client_credentials(request: TokenRequest) -> Issued:
    if request.client.method == PUBLIC_CLIENT_METHOD:
        raise TokenRequestError(
            "unauthorized_client", "client_credentials is only for the configured client (OAUTH_CLIENT_ID)"
        )
    return Issued(request.gateway.own_tokens.issue())


async def _authorization_code(request: TokenRequest) -> Issued:
    """RFC 6749 §4.1.3 with RFC 7636 §4.6: the code is spent first, so a wrong verifier burns it."""
    form, gateway = request.form, request.gateway
    code = required(form, "code")
    verifier = required(form, "code_verifier", " (PKCE)")
    redirect_uri = required(form, "redirect_uri", ": the one the authorization request used")
    redeemed = spend_code(gateway, code)
    grant = redeemed.grant
    if grant.client_id != request.client.client_id:
        raise TokenRequestError("invalid_grant", "the authorization code was issued to another client")
    if redirect_uri != grant.redirect_uri:
        raise TokenRequestError(
            "invalid_grant", "redirect_uri differs from the one the authorization code was issued for"
        )
    if not well_formed_verifier(verifier):
        raise TokenRequestError(
            "invalid_grant", "code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)"
        )
    if not verifier_matches(verifier, grant.code_challenge):
        raise TokenRequestError("invalid_grant", "code_verifier does not match the code_challenge")
    _check_resource(form, grant.resource)
    refresh = gateway.refresh_tokens.issue(
        RefreshGrant(
            client_id=grant.client_id, subject=grant.subject, resource=grant.resource, scopes=grant.scopes
        ),
        family=redeemed.family,
    )
    gateway.access.record_session(
        redeemed.family,
        subject=grant.subject,
        client_id=grant.client_id,
        client_name=grant.client_name or "configured client (OAUTH_CLIENT_ID)",
        redirect_host=urlsplit(grant.redirect_uri).netloc,
    )
    access = request.gateway.own_tokens.issue(
        scopes=grant.scopes, subject=grant.subject, client_id=grant.client_id, family=redeemed.family
    )
    return Issued(access, refresh)


async def _refresh_token(request: TokenRequest) -> Issued:
    """RFC 6749 §6: a narrower `scope` may be asked for the access token; the refresh token keeps all."""
    form, gateway = request.form, request.gateway
    presented = required(form, "refresh_token")
    requested = form.get("scope")

    stored = live_refresh_token(gateway.refresh_tokens, presented, client_id=request.client.client_id)
    # Refusals here leave the token valid: a malformed request is not a sign of theft.
    _check_resource(form, stored.grant.resource)
    beyond = set((requested or "").split()) & set(gateway.settings.required_scopes) - set(stored.grant.scopes)
    if beyond:
        raise TokenRequestError("invalid_scope", f"not granted originally: {' '.join(sorted(beyond))[:100]}")
    rotation = gateway.refresh_tokens.rotate(presented)
    if rotation is None:  # spent by a concurrent request since it was loaded: the same replay
        gateway.refresh_tokens.revoke_family(stored.family)
        raise _invalid(REPLAYED_REFRESH)
    grant = rotation.grant
    gateway.access.touch_session(rotation.family)
    scopes = grant.scopes if requested is None else granted_scopes(requested, grant.scopes)
    access = request.gateway.own_tokens.issue(
        scopes=scopes, subject=grant.subject, client_id=grant.client_id, family=rotation.family
    )
    return Issued(access, rotation.refresh_token)


GRANTS: dict[str, Callable[[TokenRequest], Awaitable[Issued]]] = {
    "authorization_code": _authorization_code,
    "refresh_token": _refresh_token,
    "client_credentials": _client_credentials,
}
# What /oauth/token answers, and so what the discovery document advertises (auth_gateway/discovery/).
GRANT_TYPES = tuple(GRANTS)


def required(form: dict[str, str], name: str, hint: str = "") -> str:
    """The parameter `name` of a token-endpoint form (/oauth/token, /oauth/revoke), or invalid_request."""
    value = form.get(name)
    if not value:
        raise TokenRequestError("invalid_request", f"{name} is required{hint}")
    return value


def _check_resource(form: dict[str, str], resource: str) -> None:
    requested = form.get("resource")
    if requested is not None and requested.rstrip("/") != resource:
        raise TokenRequestError(
            "invalid_target", f"this server only issues tokens for the resource {resource}"
        )


def _invalid(description: str) -> TokenRequestError:
    return TokenRequestError("invalid_grant", description)
