"""/oauth/authorize for clients that registered themselves: the owner approves them with a password.

GET (called by routes/authorize.py for any client_id other than OAUTH_CLIENT_ID when owner login is
on) resolves the client (a signed registration or a client metadata document), validates the request
with the checks every client gets, and shows the login page. The page carries exactly the
authorization parameters the server uses (`FORM_FIELDS`; anything else a client sends, such as
`prompt`, `nonce` or `login_hint`, is ignored as RFC 6749 §3.1 requires and is not carried) and a form
token (auth_gateway/login_form_tokens.py) signing them, whose nonce is also set as a SameSite=Strict
cookie.

Errors in the request of a client the owner has not approved yet are shown on our own page (400),
never redirected: its redirect URI is whatever a stranger registered (RFC 9700 §4.11.2). The right
password approves the client (auth_gateway/client_approvals.py, in the state file); after that its
errors redirect as RFC 6749 §4.1.2.1 says.

POST checks, in this order: whether the address is over the password limit (a cheap early 429), the
client and the request again, the form token, then the password attempt takes its slot in the limit
(auth_gateway/rate_limit.py: ten a minute per address, thirty in all; a burst gets no more checks
than that, and 429 even for the right password, so a guesser learns nothing), and finally the
password is checked (Argon2id, constant time, in a pool of two threads). A wrong password is logged
with the client and address, never the password, and shows the form again; the right one redirects
with a code exactly as for the pre-registered client. The code is bound to this public client and its
PKCE challenge, so the token step needs the verifier and no secret.

Once anyone besides the owner has an account (`./scripts/access user add`), the page asks for a name
too, and the code speaks for that user (auth_gateway/sign_in.py); a wrong name and a wrong password
get the same answer, and the attempt takes a slot per address and one per name (twenty a minute: the
name's own window bounds guesses at one account from any number of addresses). While the owner has
closed the door (`./scripts/access close`) both GET and POST answer with a page saying so, before
anything else.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from auth_gateway.authorization_request import (
    NO_STORE,
    USED_PARAMETERS,
    AuthorizationPageError,
    AuthorizationRedirectError,
    AuthorizationRequest,
    error_page,
    error_redirect,
    requested_client_id,
    success_redirect,
    validate_authorization_request,
)
from auth_gateway.errors import UnknownClient
from auth_gateway.gateway import Gateway
from auth_gateway.logging_setup import log_decision
from auth_gateway.login_form_tokens import FORM_TOKEN_TTL
from auth_gateway.login_page import CONTENT_SECURITY_POLICY, login_page
from auth_gateway.owner_login import OwnerLogin
from auth_gateway.rate_limit import RateLimited, address_key, name_key
from auth_gateway.routes.deps import GatewayDep, client_ip_of
from auth_gateway.self_registered_clients import SelfRegisteredClient
from auth_gateway.sign_in import user_name

__all__ = ["router", "show_login"]

router = APIRouter()
NONCE_COOKIE = "owner_login_nonce"
COOKIE_PATH = "/oauth/authorize"
MAX_FORM_BYTES = 16 * 1024
# The authorization parameters the server uses, and so the only ones the form carries back (signed).
FORM_FIELDS = USED_PARAMETERS
MISMATCH_NOTICE = "비밀번호가 틀렸습니다. / Wrong password."
NAMED_MISMATCH_NOTICE = "이름 또는 비밀번호가 틀렸습니다. / Wrong name or password."
CLOSED_NOTICE = (
    "이 서버는 지금 새 로그인과 새 연결을 받지 않습니다. 이미 연결된 앱은 계속 쓸 수 있습니다. "
    "서버 소유자에게 문의하세요. / This server is closed to new sign-ins and new connections; "
    "apps already connected keep working. Ask the server's owner (./scripts/access open)."
)
BLOCKED_NOTICE = (
    "이 계정은 차단되었습니다. 서버 소유자에게 문의하세요. / This account is blocked on this server; "
    "ask the server's owner."
)


class _Refused(Exception):
    """Carries the response for a request that ends before the password is checked."""

    def __init__(self, response: Response, reason: str) -> None:
        super().__init__(reason)
        self.response = response
        self.reason = reason


async def show_login(
    request: Request, gateway: Gateway, owner_login: OwnerLogin, pairs: Sequence[tuple[str, str]]
) -> Response:
    started = time.perf_counter()
    address = client_ip_of(request, gateway)
    try:
        _refuse_if_closed(owner_login)
        client, authorization = await _validated(gateway, owner_login, pairs, address)
    except _Refused as refused:
        log_decision("authorize", "deny", reason=refused.reason, started=started, client_ip=address)
        return refused.response
    log_decision(
        "authorize",
        "login",
        reason=client.source,
        started=started,
        client_id=client.client_id,
        client_ip=address,
    )
    return _login_form(request, gateway, owner_login, client, authorization, pairs)


@router.post("/oauth/authorize")
async def approve(request: Request, gateway: GatewayDep) -> Response:
    started = time.perf_counter()
    address = client_ip_of(request, gateway)
    owner_login = gateway.owner_login
    if owner_login is None:
        return error_page("there is no login here: owner login is off on this server", status=404)
    retry_after = owner_login.password_attempts.retry_after(address_key(address))
    if retry_after is not None:
        log_decision("authorize", "deny", reason="rate_limited", started=started, client_ip=address)
        return _too_many_passwords(retry_after)
    try:
        _refuse_if_closed(owner_login)
        form = await _form(request)
        pairs = [(name, value) for name, value in form if name in FORM_FIELDS]
        client, authorization = await _validated(gateway, owner_login, pairs, address)
        fields = dict(form)
        nonce = request.cookies.get(NONCE_COOKIE, "")
        if not owner_login.form_tokens.check(fields.get("form_token", ""), dict(pairs), nonce):
            raise _Refused(
                error_page(
                    "the login form expired or did not come from this page in this browser; start the "
                    "connection again from your app",
                ),
                "form_token",
            )
    except _Refused as refused:
        log_decision("authorize", "deny", reason=refused.reason, started=started, client_ip=address)
        return refused.response
    named = owner_login.sign_in.asks_name()
    name = user_name(fields.get("username", ""))
    try:
        attempt = owner_login.password_attempts.admit(address_key(address))
    except RateLimited as limited:
        log_decision("authorize", "deny", reason="rate_limited", started=started, client_ip=address)
        return _too_many_passwords(limited.retry_after)
    try:
        name_attempt = owner_login.name_attempts.admit(name_key(name))
    except RateLimited as limited:
        attempt.succeeded()  # nothing was checked: the address's slot goes back
        log_decision("authorize", "deny", reason="rate_limited_name", started=started, client_ip=address)
        return _too_many_passwords(limited.retry_after)
    result = await owner_login.sign_in.check(name, fields.get("password", ""))
    if result.user is None:
        log_decision(
            "authorize",
            "deny",
            reason="wrong_password",
            started=started,
            client_id=client.client_id,
            client_ip=address,
        )
        return _login_form(
            request,
            gateway,
            owner_login,
            client,
            authorization,
            pairs,
            error=NAMED_MISMATCH_NOTICE if named else MISMATCH_NOTICE,
            status=403,
        )
    attempt.succeeded()
    name_attempt.succeeded()
    if result.blocked:
        log_decision(
            "authorize",
            "deny",
            reason="blocked_user",
            started=started,
            subject=result.user,
            client_id=client.client_id,
            client_ip=address,
        )
        return error_page(BLOCKED_NOTICE, status=403)
    owner_login.approvals.approve(client.client_id)
    code = gateway.codes.issue(authorization.grant(subject=result.user, client_name=client.client_name))
    log_decision(
        "authorize",
        "allow",
        reason="user_login",
        started=started,
        subject=result.user,
        client_id=client.client_id,
        client_ip=address,
    )
    # The nonce cookie stays (it expires with the form tokens): another open login page still needs it.
    return RedirectResponse(
        success_redirect(authorization, code, issuer=gateway.settings.base_url),
        status_code=302,
        headers=NO_STORE,
    )


def _refuse_if_closed(owner_login: OwnerLogin) -> None:
    if owner_login.sign_in.closed():
        raise _Refused(error_page(CLOSED_NOTICE, status=403), "closed")


def _too_many_passwords(retry_after: int) -> Response:
    response = error_page(
        f"too many wrong passwords; try again in {retry_after} s "
        f"(비밀번호를 너무 많이 틀렸습니다. {retry_after}초 후에 다시 시도하세요)",
        status=429,
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


async def _validated(
    gateway: Gateway, owner_login: OwnerLogin, pairs: Sequence[tuple[str, str]], address: str
) -> tuple[SelfRegisteredClient, AuthorizationRequest]:
    settings = gateway.settings
    try:
        client_id = requested_client_id(pairs)
        if client_id == settings.OAUTH_CLIENT_ID:
            raise AuthorizationPageError("the configured client (OAUTH_CLIENT_ID) needs no login page")
        client = await owner_login.client(client_id, address)
        authorization = validate_authorization_request(
            pairs,
            redirect_allowed=client.allows_redirect_uri,
            resource=settings.resource,
            supported_scopes=settings.required_scopes,
        )
    except UnknownClient as exc:
        raise _Refused(error_page(exc.description), "unknown_client") from None
    except AuthorizationPageError as exc:
        raise _Refused(error_page(exc.description), "page") from None
    except AuthorizationRedirectError as exc:
        if not owner_login.approvals.is_approved(client.client_id):
            # Not approved yet: its redirect URI is only what a stranger registered (RFC 9700 §4.11.2).
            raise _Refused(error_page(f"{exc.description} ({exc.error})"), exc.error) from None
        redirect = error_redirect(exc, issuer=settings.base_url)
        raise _Refused(RedirectResponse(redirect, status_code=302, headers=NO_STORE), exc.error) from None
    return client, authorization


def _login_form(
    request: Request,
    gateway: Gateway,
    owner_login: OwnerLogin,
    client: SelfRegisteredClient,
    authorization: AuthorizationRequest,
    pairs: Sequence[tuple[str, str]],
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    hidden = {name: value for name, value in pairs if name in FORM_FIELDS}
    # The browser's nonce is kept if it has one, so two login pages open in two tabs both stay valid.
    nonce = request.cookies.get(NONCE_COOKIE, "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{24}", nonce):
        nonce = owner_login.form_tokens.new_nonce()
    token = owner_login.form_tokens.issue(hidden, nonce)
    response = HTMLResponse(
        login_page(
            client,
            authorization.redirect_uri,
            {**hidden, "form_token": token},
            error=error,
            ask_name=owner_login.sign_in.asks_name(),
        ),
        status_code=status,
        headers={**NO_STORE, "Content-Security-Policy": CONTENT_SECURITY_POLICY},
    )
    response.set_cookie(
        NONCE_COOKIE,
        nonce,
        max_age=FORM_TOKEN_TTL,
        path=COOKIE_PATH,
        secure=gateway.settings.base_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


async def _form(request: Request) -> list[tuple[str, str]]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise _Refused(error_page("the login form must be posted as a form"), "form")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise _Refused(error_page("the login form is too large"), "form")
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise _Refused(error_page("the login form could not be read"), "form") from None
