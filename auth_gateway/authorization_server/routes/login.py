"""POST /oauth/authorize: the owner (or a user) approves a self-registered client with a password.

The page itself is login/pages.py's, shown by the authorize route. The POST checks, in this order:
whether the address is over the password limit (a cheap early 429), the client and the request
again, the form token, then the password attempt takes its slot in the limit (rate_limit.py: ten a
minute per address, thirty in all; a burst gets no more checks than that, and 429 even for the right
password, so a guesser learns nothing), and finally the password is checked (Argon2id, constant time,
in a pool of two threads). A wrong password is logged with the client and address, never the
password, and shows the form again; the right one approves the client (clients/approvals.py) and
redirects with a code exactly as for the pre-registered client. The code is bound to this public
client and its PKCE challenge, so the token step needs the verifier and no secret.

Once anyone besides the owner has an account (`./scripts/access user add`), the page asks for a name
too, and the code speaks for that user (login/sign_in.py); a wrong name and a wrong password get the
same answer, and the attempt takes a slot per address and one per name (twenty a minute: the name's
own window bounds guesses at one account from any number of addresses). While the owner has closed
the door (`./scripts/access close`) both GET and POST answer with a page saying so, before anything.
"""

from __future__ import annotations

import time
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from auth_gateway.authorization_server.authorization_request import error_page, success_redirect
from auth_gateway.authorization_server.errors import AuthorizationRedirectError, LoginRefused, RateLimited
from auth_gateway.authorization_server.login.pages import FORM_FIELDS, NONCE_COOKIE, Validated
from auth_gateway.authorization_server.login.sign_in import user_name
from auth_gateway.authorization_server.rate_limit import address_key, name_key
from auth_gateway.authorization_server.routes.deps import LoginPagesDep, ServerDep
from auth_gateway.errors import BodyTooLarge
from auth_gateway.logging_setup import log_decision
from auth_gateway.web.answers import NO_STORE
from auth_gateway.web.bodies import FORM_CONTENT_TYPE, content_type, parse_form, read_bounded
from auth_gateway.web.client_ip import client_ip_of

__all__ = ["router"]

router = APIRouter()
MAX_FORM_BYTES = 16 * 1024
MISMATCH_NOTICE = "비밀번호가 틀렸습니다. / Wrong password."
NAMED_MISMATCH_NOTICE = "이름 또는 비밀번호가 틀렸습니다. / Wrong name or password."
BLOCKED_NOTICE = (
    "이 계정은 차단되었습니다. 서버 소유자에게 문의하세요. / This account is blocked on this server; "
    "ask the server's owner."
)


@router.post("/oauth/authorize")
async def approve(request: Request, server: ServerDep, pages: LoginPagesDep) -> Response:
    started = time.perf_counter()
    address = client_ip_of(request, server.settings)
    decide = partial(log_decision, "authorize", started=started, client_ip=address)
    owner_login = pages.owner_login
    retry_after = owner_login.password_attempts.retry_after(address_key(address))
    if retry_after is not None:
        decide("deny", reason="rate_limited")
        return _too_many_passwords(retry_after)
    try:
        pages.refuse_if_closed()
        form = await _form(request)
        pairs = [(name, value) for name, value in form if name in FORM_FIELDS]
        checked: Validated = await pages.validated(pairs, address)
        fields = dict(form)
        nonce = request.cookies.get(NONCE_COOKIE, "")
        if not owner_login.form_tokens.check(fields.get("form_token", ""), dict(pairs), nonce):
            raise LoginRefused(
                "the login form expired or did not come from this page in this browser; start the "
                "connection again from your app",
                "form_token",
            )
    except (LoginRefused, AuthorizationRedirectError) as exc:
        return pages.refused(exc, started=started, address=address)
    client = checked.client
    named = owner_login.sign_in.asks_name()
    name = user_name(fields.get("username", ""))
    try:
        attempt = owner_login.password_attempts.admit(address_key(address))
    except RateLimited as limited:
        decide("deny", reason="rate_limited")
        return _too_many_passwords(limited.retry_after)
    try:
        name_attempt = owner_login.name_attempts.admit(name_key(name))
    except RateLimited as limited:
        attempt.succeeded()  # nothing was checked: the address's slot goes back
        decide("deny", reason="rate_limited_name")
        return _too_many_passwords(limited.retry_after)
    result = await owner_login.sign_in.check(name, fields.get("password", ""))
    if result.user is None:
        decide("deny", reason="wrong_password", client_id=client.client_id)
        notice = NAMED_MISMATCH_NOTICE if named else MISMATCH_NOTICE
        return pages.form(request, checked, pairs, error=notice, status=403)
    attempt.succeeded()
    name_attempt.succeeded()
    if result.blocked:
        decide("deny", reason="blocked_user", subject=result.user, client_id=client.client_id)
        return error_page(BLOCKED_NOTICE, status=403)
    owner_login.approvals.approve(client.client_id)
    authorization = checked.authorization
    code = server.codes.issue(authorization.grant(subject=result.user, client_name=client.client_name))
    decide("allow", reason="user_login", subject=result.user, client_id=client.client_id)
    # The nonce cookie stays (it expires with the form tokens): another open login page still needs it.
    return RedirectResponse(
        success_redirect(authorization, code, issuer=server.settings.base_url),
        status_code=302,
        headers=NO_STORE,
    )


def _too_many_passwords(retry_after: int) -> Response:
    response = error_page(
        f"too many wrong passwords; try again in {retry_after} s "
        f"(비밀번호를 너무 많이 틀렸습니다. {retry_after}초 후에 다시 시도하세요)",
        status=429,
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


async def _form(request: Request) -> list[tuple[str, str]]:
    if content_type(request) != FORM_CONTENT_TYPE:
        raise LoginRefused("the login form must be posted as a form", "form")
    try:
        return parse_form(await read_bounded(request, MAX_FORM_BYTES))
    except BodyTooLarge:
        raise LoginRefused("the login form is too large", "form") from None
    except ValueError:
        raise LoginRefused("the login form could not be read", "form") from None
