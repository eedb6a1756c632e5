"""The OAuth discovery documents (RFC 9728, RFC 8414), built from the rules the gateway enforces.

Caddy serves them (Caddyfile, `handle @discovery`) so they answer while the gateway restarts, but what
they say is the gateway's: which issuer clients must use (`GatewaySettings.issuer_source`, the one
place its precedence is written), which grants /oauth/token answers (`grants.GRANTS`), how clients may
authenticate (`client_auth`), whether self-registering clients are welcome (`owner_login`). Built
here, the documents and the code that honours them cannot disagree; `publisher.py` writes them.
"""

from __future__ import annotations

from typing import Any

from auth_gateway.authorization_server.client_auth import PUBLIC_CLIENT_METHOD, SECRET_METHODS
from auth_gateway.authorization_server.routes.grants import GRANT_TYPES
from auth_gateway.config import GatewaySettings

__all__ = ["AUTHORIZATION_SERVER_FILE", "DOCUMENT_FILES", "PROTECTED_RESOURCE_FILE", "discovery_documents"]

# The file names Caddy maps the well-known paths to (Caddyfile, `handle @discovery`).
PROTECTED_RESOURCE_FILE = "oauth-protected-resource.json"
AUTHORIZATION_SERVER_FILE = "oauth-authorization-server.json"
DOCUMENT_FILES = (PROTECTED_RESOURCE_FILE, AUTHORIZATION_SERVER_FILE)

# What Auth0 itself supports (its /.well-known/openid-configuration); advertised unchanged for clients
# that look for authorization server metadata on the resource's origin.
AUTH0_GRANT_TYPES = ("authorization_code", "refresh_token")
WITH_PUBLIC_CLIENTS = (*SECRET_METHODS, PUBLIC_CLIENT_METHOD)
AUTH0_ENDPOINTS = {  # paths below the tenant's issuer URL
    "authorization_endpoint": "authorize",
    "token_endpoint": "oauth/token",
    "registration_endpoint": "oidc/register",
    "jwks_uri": ".well-known/jwks.json",
    "revocation_endpoint": "oauth/revoke",
}

Document = dict[str, Any]


def discovery_documents(settings: GatewaySettings) -> dict[str, Document]:
    """File name → document for this configuration; a document it does not have is absent (404).

    AUTH_MODE=none has none. With OAUTH_ISSUER, that issuer publishes its own metadata and clients find
    it through `authorization_servers`, so this origin does not pretend to be an authorization server."""
    if not settings.oauth:
        return {}
    documents = {PROTECTED_RESOURCE_FILE: protected_resource_metadata(settings)}
    if settings.issuer_source == "auth0":
        documents[AUTHORIZATION_SERVER_FILE] = auth0_metadata(settings)
    elif settings.issuer_source == "own":
        documents[AUTHORIZATION_SERVER_FILE] = own_metadata(settings)
    return documents


def protected_resource_metadata(settings: GatewaySettings) -> Document:
    return {
        "resource": settings.resource,
        "authorization_servers": [settings.authorization_server],
        "scopes_supported": list(settings.required_scopes),
        "bearer_methods_supported": ["header"],
    }


def auth0_metadata(settings: GatewaySettings) -> Document:
    issuer = settings.authorization_server  # https://TENANT/, with the slash Auth0's tokens carry
    return {
        "issuer": issuer,
        **{name: issuer + path for name, path in AUTH0_ENDPOINTS.items()},
        "response_types_supported": ["code"],
        "grant_types_supported": list(AUTH0_GRANT_TYPES),
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": list(WITH_PUBLIC_CLIENTS),
        "scopes_supported": list(settings.required_scopes),
    }


def own_metadata(settings: GatewaySettings) -> Document:
    """The gateway's own authorization server. Registration, client ID metadata documents and public
    clients (`none`) exist only with owner login, the one way such a client can be approved."""
    base = settings.base_url
    methods = list(WITH_PUBLIC_CLIENTS if settings.owner_login else SECRET_METHODS)
    registration: Document = (
        {"registration_endpoint": f"{base}/oauth/register", "client_id_metadata_document_supported": True}
        if settings.owner_login
        else {}
    )
    return {
        "issuer": settings.authorization_server,
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "revocation_endpoint_auth_methods_supported": methods,
        **registration,
        "response_types_supported": ["code"],
        "grant_types_supported": list(GRANT_TYPES),
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": methods,
        "authorization_response_iss_parameter_supported": True,
        "scopes_supported": list(settings.required_scopes),
    }
