"""GET /oauth/authorize — the authorization endpoint of the built-in authorization server.

For the pre-registered confidential client (OAUTH_CLIENT_ID) no page is shown: a valid request is
answered at once with `302` to its redirect URI carrying `code`, `state` and `iss`. That is safe
because the code is worthless without the client secret: the token endpoint exchanges it only for a
client that authenticates with OAUTH_CLIENT_SECRET (and presents the PKCE verifier), so whoever can
use the code already holds the secret, and holding the secret already grants tokens through
client_credentials. A consent or login page would protect nothing and would stop Claude's
"Advanced settings" connector and command-line clients that cannot show one.

With owner login on (OWNER_PASSWORD_HASH), any other client_id is a client that registered itself
and gets the login page (login/pages.py); without it, the 400 page. Errors follow RFC 6749
§4.1.2.1: an unknown client or a redirect URI not on the allowlist gets a page, never a redirect;
every other error redirects with `error=`. While the owner has closed the door (`./scripts/access
close`), a valid request from the configured client is answered with `error=access_denied` too: no new
sign-in, while refresh tokens already issued go on working.
"""

from __future__ import annotations

import time
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from auth_gateway.authorization_server.authorization_request import (
    error_page,
    error_redirect,
    requested_client_id,
    success_redirect,
    validate_authorization_request,
)
from auth_gateway.authorization_server.errors import AuthorizationPageError, AuthorizationRedirectError
from auth_gateway.authorization_server.routes.deps import ServerDep
from auth_gateway.logging_setup import log_decision
from auth_gateway.web.answers import NO_STORE
from auth_gateway.web.client_ip import client_ip_of

__all__ = ["router"]

router = APIRouter()


@router.get("/oauth/authorize")
async def authorize(request: Request, gateway: ServerDep) -> Response:
    started = time.perf_counter()
    settings = gateway.settings
    address = client_ip_of(request, settings)
    decide = partial(log_decision, "authorize", started=started, client_ip=address)
    pairs = request.query_params.multi_items()
    try:
        if requested_client_id(pairs) != gateway.client_id:
            return await gateway.other_clients.authorization_page(request, pairs)
        authorization = validate_authorization_request(
            pairs,
            redirect_allowed=gateway.redirect_uris.allows,
            resource=settings.resource,
            supported_scopes=settings.required_scopes,
        )
        if gateway.access.policy().closed:
            raise AuthorizationRedirectError(
                "access_denied",
                "this server is closed to new sign-ins; apps already connected keep working "
                "(its owner opens it with ./scripts/access open)",
                redirect_uri=authorization.redirect_uri,
                state=authorization.state,
            )
    except AuthorizationPageError as exc:
        decide("deny", reason="page")
        return error_page(exc.description)
    except AuthorizationRedirectError as exc:
        decide("deny", reason=exc.error)
        return RedirectResponse(
            error_redirect(exc, issuer=settings.base_url), status_code=302, headers=NO_STORE
        )
    code = gateway.codes.issue(authorization.grant(subject=authorization.client_id))
    decide(
        "allow",
        reason="confidential_client",
        subject=authorization.client_id,
        client_id=authorization.client_id,
    )
    return RedirectResponse(
        success_redirect(authorization, code, issuer=settings.base_url), status_code=302, headers=NO_STORE
    )
