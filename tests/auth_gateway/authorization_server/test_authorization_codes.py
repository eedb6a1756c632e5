"""Authorization codes: single use, 60 s, bound memory; every refusal is `invalid_grant`."""

from __future__ import annotations

from auth_gateway.authorization_server.authorization_codes import (
    CODE_TTL_SECONDS,
    AuthorizationCodeStore,
    AuthorizationGrant,
    CodeRefusal,
    RedeemedCode,
)

GRANT = AuthorizationGrant(
    client_id="cli",
    redirect_uri="http://127.0.0.1:5000/cb",
    code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    resource="https://mcp.example.net/mcp",
    scopes=("mcp:read",),
    subject="cli",
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def refused(store: AuthorizationCodeStore, code: str) -> str:
    """The store's answer for a code it will not redeem (routes/grants.py words it)."""
    result = store.redeem(code)
    assert isinstance(result, CodeRefusal), result
    return result.reason


def redeemed(store: AuthorizationCodeStore, code: str) -> RedeemedCode:
    result = store.redeem(code)
    assert isinstance(result, RedeemedCode), result
    return result


def test_a_replayed_code_names_the_sign_in_it_started() -> None:
    store = AuthorizationCodeStore()
    code = store.issue(GRANT)
    family = redeemed(store, code).family

    assert store.redeem(code) == CodeRefusal("replayed", family)


def test_a_code_gives_its_grant_back_once() -> None:
    store = AuthorizationCodeStore()
    code = store.issue(GRANT)

    assert len(code) >= 43  # 256 random bits
    assert redeemed(store, code).grant == GRANT
    assert refused(store, code) == "replayed"


def test_codes_are_distinct_and_unknown_codes_refused() -> None:
    store = AuthorizationCodeStore()
    codes = {store.issue(GRANT) for _ in range(100)}

    assert len(codes) == 100
    assert refused(store, "made-up-code") == "unknown"


def test_a_code_expires_after_sixty_seconds() -> None:
    clock = Clock()
    store = AuthorizationCodeStore(clock=clock)
    fresh, stale = store.issue(GRANT), store.issue(GRANT)

    clock.now += CODE_TTL_SECONDS - 0.001
    assert redeemed(store, fresh).grant == GRANT
    clock.now += 0.001
    assert refused(store, stale) == "expired"
    assert CODE_TTL_SECONDS <= 60


def test_memory_is_bounded_oldest_forgotten_first() -> None:
    clock = Clock()
    store = AuthorizationCodeStore(max_codes=3, clock=clock)
    first = store.issue(GRANT)
    later = [store.issue(GRANT) for _ in range(3)]

    assert len(store) == 3
    assert refused(store, first) == "unknown"
    assert [redeemed(store, code).grant for code in later] == [GRANT] * 3


def test_expired_codes_are_forgotten_when_new_ones_are_issued() -> None:
    clock = Clock()
    store = AuthorizationCodeStore(clock=clock)
    for _ in range(5):
        store.issue(GRANT)
    clock.now += CODE_TTL_SECONDS + 1
    store.issue(GRANT)

    assert len(store) == 1
