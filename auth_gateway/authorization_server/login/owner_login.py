"""Owner login's per-process parts, built only when OWNER_PASSWORD_HASH is set (AUTH_MODE=oauth).

Clients that register themselves reach the authorization endpoint with one of two kinds of client_id:
a signed registration from POST /oauth/register, or the https URL of a client metadata document.
`client()` turns either into the client's name and redirect URIs, or says why it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from auth_gateway.authorization_server.clients.approvals import ClientApprovals
from auth_gateway.authorization_server.clients.metadata_documents import (
    ClientMetadataDocuments,
    looks_like_metadata_url,
    new_http_client,
)
from auth_gateway.authorization_server.clients.registration import ClientRegistry
from auth_gateway.authorization_server.clients.self_registered import SelfRegisteredClient
from auth_gateway.authorization_server.errors import RateLimited, UnknownClient
from auth_gateway.authorization_server.login.form_tokens import LoginFormTokens
from auth_gateway.authorization_server.login.sign_in import SignIn
from auth_gateway.authorization_server.rate_limit import AttemptLimiter, address_key
from auth_gateway.config import GatewaySettings
from auth_gateway.credentials.owner_password import OwnerPassword
from auth_gateway.lifecycle import Lifecycle
from auth_gateway.state.access_store import AccessStore

__all__ = ["OwnerLogin", "build_owner_login"]

REGISTRATIONS_PER_MINUTE = 20  # per address; ChatGPT and Claude register once per connector
# Unusable metadata documents (each one a fetch of a URL someone else chose): per address, and in all.
DOCUMENT_FAILURES_PER_MINUTE = 10
DOCUMENT_FAILURES_PER_MINUTE_IN_ALL = 60
# Wrong owner passwords (each one an Argon2 check): per address, and in all (distributed guessing).
PASSWORD_FAILURES_PER_MINUTE = 10
PASSWORD_FAILURES_PER_MINUTE_IN_ALL = 30
# Per user name, from any address: twice the per-address limit, so one address's burst (which its own
# limit stops at ten) never locks a person out, while guesses spread over addresses stay bounded.
PASSWORD_FAILURES_PER_NAME_PER_MINUTE = 2 * PASSWORD_FAILURES_PER_MINUTE


@dataclass
class OwnerLogin:
    password: OwnerPassword
    sign_in: SignIn
    registry: ClientRegistry
    documents: ClientMetadataDocuments
    form_tokens: LoginFormTokens
    registrations: AttemptLimiter  # counts every registration, not only failed ones
    document_failures: AttemptLimiter
    password_attempts: AttemptLimiter  # a slot per password check, given back when it was right
    name_attempts: AttemptLimiter  # the same per user name, from any address (./scripts/access users)
    approvals: ClientApprovals  # clients the owner approved once: only their URIs get error redirects
    http: httpx.AsyncClient

    async def client(self, client_id: str, address: str) -> SelfRegisteredClient:
        """The self-registered client behind `client_id`; raise `UnknownClient` saying why not.

        Good documents are cached, so only unusable ones cost a fetch each time. Each lookup takes a
        slot per `address` (and in all) before any fetch, given back when the document was usable, so
        past the limit nothing is fetched however many requests arrive at once: nobody can use this
        server to send requests to a site of their choice at will."""
        if looks_like_metadata_url(client_id):
            try:
                attempt = self.document_failures.admit(address_key(address))
            except RateLimited as limited:
                raise UnknownClient(
                    "too many unusable client metadata documents were named recently; "
                    f"retry in {limited.retry_after} s"
                ) from None
            client = await self.documents.client(client_id)
            attempt.succeeded()
            return client
        registered = self.registry.lookup(client_id)
        if registered is None:
            raise UnknownClient(
                "this client_id is not known here: it is neither the configured client, nor a "
                "registration made at this server (registrations end when OAUTH_CLIENT_SECRET "
                "changes), nor an https URL of a client metadata document"
            )
        return registered

    def is_public_client_id(self, client_id: str) -> bool:
        """Whether tokens for `client_id` may stand: one of our registrations, or a metadata document
        URL (its document was checked when the owner approved it; codes and refresh tokens are bound
        to the id)."""
        return looks_like_metadata_url(client_id) or self.registry.lookup(client_id) is not None


def build_owner_login(
    settings: GatewaySettings, *, secret: str, password_hash: str, access: AccessStore, lifecycle: Lifecycle
) -> OwnerLogin:
    """Owner login's parts; the caller builds it only when OWNER_PASSWORD_HASH is set."""
    http = new_http_client()
    lifecycle.on_close(http.aclose)
    approvals = ClientApprovals(settings.OAUTH_STATE_PATH)
    lifecycle.on_close(approvals.close)
    password = OwnerPassword(password_hash)
    return OwnerLogin(
        password=password,
        sign_in=SignIn(password, access),
        registry=ClientRegistry(secret),
        documents=ClientMetadataDocuments(http, allow_loopback=settings.OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK),
        form_tokens=LoginFormTokens(secret),
        registrations=AttemptLimiter(REGISTRATIONS_PER_MINUTE),
        document_failures=AttemptLimiter(
            DOCUMENT_FAILURES_PER_MINUTE, global_limit=DOCUMENT_FAILURES_PER_MINUTE_IN_ALL
        ),
        password_attempts=AttemptLimiter(
            PASSWORD_FAILURES_PER_MINUTE, global_limit=PASSWORD_FAILURES_PER_MINUTE_IN_ALL
        ),
        name_attempts=AttemptLimiter(PASSWORD_FAILURES_PER_NAME_PER_MINUTE),
        http=http,
        approvals=approvals,
    )
