"""Login form tokens: accepted only for the request and browser they were issued to, for ten minutes."""

from __future__ import annotations

import pytest

from auth_gateway.authorization_server.login.form_tokens import FORM_TOKEN_TTL, LoginFormTokens

SECRET = "form-token-test-secret-" + "f" * 30
REQUEST = {
    "client_id": "dcr.abc.def",
    "redirect_uri": "https://chatgpt.com/connector_platform_oauth_redirect",
    "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    "state": "xyz",
}


class Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_is_good_for_its_request_and_nonce() -> None:
    tokens = LoginFormTokens(SECRET)
    nonce = tokens.new_nonce()

    assert tokens.check(tokens.issue(REQUEST, nonce), REQUEST, nonce)


@pytest.mark.parametrize("field", sorted(REQUEST))
def test_any_changed_parameter_voids_it(field: str) -> None:
    tokens = LoginFormTokens(SECRET)
    nonce = tokens.new_nonce()
    token = tokens.issue(REQUEST, nonce)

    assert not tokens.check(token, {**REQUEST, field: REQUEST[field] + "x"}, nonce)


def test_another_browser_or_a_missing_cookie_voids_it() -> None:
    tokens = LoginFormTokens(SECRET)
    token = tokens.issue(REQUEST, "nonce-a")

    assert not tokens.check(token, REQUEST, "nonce-b")
    assert not tokens.check(token, REQUEST, "")


def test_it_expires_after_ten_minutes() -> None:
    clock = Clock()
    tokens = LoginFormTokens(SECRET, clock=clock)
    token = tokens.issue(REQUEST, "n")

    clock.now += FORM_TOKEN_TTL
    assert tokens.check(token, REQUEST, "n")
    clock.now += 1
    assert not tokens.check(token, REQUEST, "n")


@pytest.mark.parametrize("token", ["", ".", "abc", "123", "123.", "x.y", "1" * 20 + ".ab", "-5.ab"])
def test_garbage_is_refused(token: str) -> None:
    assert not LoginFormTokens(SECRET).check(token, REQUEST, "n")


def test_a_new_secret_voids_every_token() -> None:
    token = LoginFormTokens(SECRET).issue(REQUEST, "n")

    assert not LoginFormTokens("another-secret-" + "s" * 30).check(token, REQUEST, "n")
