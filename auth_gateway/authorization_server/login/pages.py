"""The login page for clients that registered themselves: GET /oauth/authorize with owner login on.

`LoginPages` is the owner-login kind of `OtherClients` (auth_gateway/authorization_server/
other_clients.py): the authorize route hands it any client_id other than OAUTH_CLIENT_ID, and the
login route (routes/login.py) uses its checks again for the POST. It resolves the client (a signed
registration or a client metadata document), validates the request with the checks every client
gets, and shows the page. The page carries exactly the authorization parameters the server uses
(`FORM_FIELDS`; `prompt`, `nonce`, `login_hint` and the rest are ignored as RFC 6749 §3.1 requires)
and a form token signing them (login/form_tokens.py), whose nonce is also a SameSite=Strict cookie.

Errors in the request of a client the owner has not approved yet are shown on our own page (400),
never redirected: its redirect URI is whatever a stranger registered (RFC 9700 §4.11.2). After the
owner approved it once, its errors redirect as RFC 6749 §4.1.2.1 says.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from auth_gateway.authorization_server.authorization_request import (
    USED_PARAMETERS,
    AuthorizationRequest,
    error_page,
    error_redirect,
    requested_client_id,
    validate_authorization_request,
)
from auth_gateway.authorization_server.clients.self_registered import SelfRegisteredClient
from auth_gateway.authorization_server.errors import (
    AuthorizationPageError,
    AuthorizationRedirectError,
    LoginRefused,
    UnknownClient,
)
from auth_gateway.authorization_server.login.form_tokens import FORM_TOKEN_TTL
from auth_gateway.authorization_server.login.owner_login import OwnerLogin
from auth_gateway.authorization_server.login.page import CONTENT_SECURITY_POLICY, login_page
from auth_gateway.config import GatewaySettings
from auth_gateway.logging_setup import log_decision
from auth_gateway.web.answers import NO_STORE
from auth_gateway.web.client_ip import client_ip_of

__all__ = ["FORM_FIELDS", "NONCE_COOKIE", "LoginPages", "Validated"]

NONCE_COOKIE = "owner_login_nonce"
COOKIE_PATH = "/oauth/authorize"
# The authorization parameters the server uses, and so the only ones the form carries back (signed).
FORM_FIELDS = USED_PARAMETERS
CLOSED_NOTICE = (
    "이 서버는 지금 새 로그인과 새 연결을 받지 않습니다. 이미 연결된 앱은 계속 쓸 수 있습니다. "
    "서버 소유자에게 문의하세요. / This server is closed to new sign-ins and new connections; "
    "apps already connected keep working. Ask the server's owner (./scripts/access open)."
)


@dataclass(frozen=True, slots=True)
class Validated:
    """A login request that passed every check but the password: the client and what it asked for."""

    client: SelfRegisteredClient
    authorization: AuthorizationRequest


@dataclass(frozen=True, slots=True)
class LoginPages:
    """The owner-login `OtherClients`, and the checks GET and POST /oauth/authorize share."""

    settings: GatewaySettings
    owner_login: OwnerLogin

    def is_public_client_id(self, client_id: str) -> bool:
        return self.owner_login.is_public_client_id(client_id)

    async def authorization_page(self, request: Request, pairs: Sequence[tuple[str, str]]) -> Response:
        started = time.perf_counter()
        address = client_ip_of(request, self.settings)
        try:
            self.refuse_if_closed()
            checked = await self.validated(pairs, address)
        except (LoginRefused, AuthorizationRedirectError) as exc:
            return self.refused(exc, started=started, address=address)
        log_decision(
            "authorize",
            "login",
            reason=checked.client.source,
            started=started,
            client_id=checked.client.client_id,
            client_ip=address,
        )
        return self.form(request, checked, pairs)

    def refuse_if_closed(self) -> None:
        if self.owner_login.sign_in.closed():
            raise LoginRefused(CLOSED_NOTICE, "closed", status=403)

    async def validated(self, pairs: Sequence[tuple[str, str]], address: str) -> Validated:
        """The client and its request; `LoginRefused` for a page, `AuthorizationRedirectError` only
        for a client the owner approved before (its redirect URI is trusted then)."""
        settings = self.settings
        try:
            client_id = requested_client_id(pairs)
            if client_id == settings.OAUTH_CLIENT_ID:
                raise AuthorizationPageError("the configured client (OAUTH_CLIENT_ID) needs no login page")
            client = await self.owner_login.client(client_id, address)
            authorization = validate_authorization_request(
                pairs,
                redirect_allowed=client.allows_redirect_uri,
                resource=settings.resource,
                supported_scopes=settings.required_scopes,
            )
        except UnknownClient as exc:
            raise LoginRefused(exc.description, "unknown_client") from None
        except AuthorizationPageError as exc:
            raise LoginRefused(exc.description, "page") from None
        except AuthorizationRedirectError as exc:
            if not self.owner_login.approvals.is_approved(client.client_id):
                # Not approved yet: its redirect URI is only what a stranger registered (RFC 9700 §4.11.2).
                raise LoginRefused(f"{exc.description} ({exc.error})", exc.error) from None
            raise
        return Validated(client, authorization)

    def refused(
        self, error: LoginRefused | AuthorizationRedirectError, *, started: float, address: str
    ) -> Response:
        """Logs the refusal; our page for a `LoginRefused`, the client's redirect for the other."""
        reason = error.reason if isinstance(error, LoginRefused) else error.error
        log_decision("authorize", "deny", reason=reason, started=started, client_ip=address)
        if isinstance(error, LoginRefused):
            return error_page(error.description, status=error.status)
        redirect = error_redirect(error, issuer=self.settings.base_url)
        return RedirectResponse(redirect, status_code=302, headers=NO_STORE)

    def form(
        self,
        request: Request,
        checked: Validated,
        pairs: Sequence[tuple[str, str]],
        *,
        error: str | None = None,
        status: int = 200,
    ) -> Response:
        """The login page for `checked`, its hidden fields signed, with the browser's nonce cookie."""
        form_tokens = self.owner_login.form_tokens
        hidden = {name: value for name, value in pairs if name in FORM_FIELDS}
        # The browser's nonce is kept if it has one, so two login pages open in two tabs both stay valid.
        nonce = request.cookies.get(NONCE_COOKIE, "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{24}", nonce):
            nonce = form_tokens.new_nonce()
        token = form_tokens.issue(hidden, nonce)
        response = HTMLResponse(
            login_page(
                checked.client,
                checked.authorization.redirect_uri,
                {**hidden, "form_token": token},
                error=error,
                ask_name=self.owner_login.sign_in.asks_name(),
            ),
            status_code=status,
            headers={**NO_STORE, "Content-Security-Policy": CONTENT_SECURITY_POLICY},
        )
        response.set_cookie(
            NONCE_COOKIE,
            nonce,
            max_age=FORM_TOKEN_TTL,
            path=COOKIE_PATH,
            secure=self.settings.base_url.startswith("https://"),
            httponly=True,
            samesite="strict",
        )
        return response
