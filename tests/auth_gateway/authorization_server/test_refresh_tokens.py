"""The refresh token store on its own: rotation, replay, expiry, restart, secret change, bad paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from auth_gateway.authorization_server.errors import TokenRequestError
from auth_gateway.authorization_server.refresh_tokens import (
    RefreshGrant,
    RefreshTokenStore,
    Rotation,
    secret_epoch,
)
from auth_gateway.authorization_server.routes.grants import live_refresh_token
from auth_gateway.errors import StateStoreError

GRANT = RefreshGrant(client_id="cli", subject="cli", resource="https://h.example/mcp", scopes=("a", "b"))
EPOCH = secret_epoch("s" * 40)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def refusal(store: RefreshTokenStore, token: str, client_id: str = "cli") -> str:
    """How the token route words what the store answers (routes/grants.py)."""
    with pytest.raises(TokenRequestError) as failure:
        live_refresh_token(store, token, client_id=client_id)
    assert failure.value.error == "invalid_grant"
    return failure.value.description


def exchange(store: RefreshTokenStore, token: str, client_id: str = "cli") -> Rotation:
    live_refresh_token(store, token, client_id=client_id)
    rotation = store.rotate(token)
    assert rotation is not None
    return rotation


def test_rotation_chain_and_replay_revokes_the_family(tmp_path: Path) -> None:
    store = RefreshTokenStore(str(tmp_path / "s.db"), epoch=EPOCH, ttl_seconds=3600)
    first = store.issue(GRANT)
    other_family = store.issue(GRANT)

    rotation = exchange(store, first)
    assert rotation.grant == GRANT
    second = rotation.refresh_token
    third = exchange(store, second).refresh_token

    assert "already used" in refusal(store, first)
    assert "not valid" in refusal(store, third)  # the family died with the replay
    assert exchange(store, other_family).grant == GRANT  # another sign-in is unaffected


def test_another_client_cannot_spend_a_token(tmp_path: Path) -> None:
    store = RefreshTokenStore(str(tmp_path / "s.db"), epoch=EPOCH, ttl_seconds=3600)
    token = store.issue(GRANT)

    assert "another client" in refusal(store, token, client_id="intruder")
    assert exchange(store, token).grant == GRANT


def test_a_loaded_token_stays_valid_until_rotated(tmp_path: Path) -> None:
    """The route refuses a bad scope or resource between load and rotate: the token must survive."""
    store = RefreshTokenStore(str(tmp_path / "s.db"), epoch=EPOCH, ttl_seconds=3600)
    token = store.issue(GRANT)

    loaded = store.load(token)
    assert loaded is not None
    assert loaded.grant == GRANT
    assert not loaded.spent
    assert exchange(store, token).grant == GRANT


def test_a_token_spent_between_load_and_rotate_is_not_rotated_twice(tmp_path: Path) -> None:
    store = RefreshTokenStore(str(tmp_path / "s.db"), epoch=EPOCH, ttl_seconds=3600)
    token = store.issue(GRANT)
    live_refresh_token(store, token, client_id="cli")  # two requests both pass the checks...

    assert store.rotate(token) is not None
    assert store.rotate(token) is None  # ...and only the first gets a next token


def test_expiry_restart_and_secret_change(tmp_path: Path) -> None:
    path, clock = str(tmp_path / "s.db"), Clock()
    store = RefreshTokenStore(path, epoch=EPOCH, ttl_seconds=3600, clock=clock)
    expiring, surviving, orphaned = store.issue(GRANT), store.issue(GRANT), store.issue(GRANT)
    store.close()

    restarted = RefreshTokenStore(path, epoch=EPOCH, ttl_seconds=3600, clock=clock)
    assert exchange(restarted, surviving).grant == GRANT
    clock.now += 3600
    assert "expired" in refusal(restarted, expiring)
    restarted.close()

    rekeyed = RefreshTokenStore(path, epoch=secret_epoch("t" * 40), ttl_seconds=3600, clock=clock)
    assert "client secret changed" in refusal(rekeyed, orphaned)


def test_expired_rows_are_deleted_as_new_tokens_are_issued(tmp_path: Path) -> None:
    path, clock = tmp_path / "s.db", Clock()
    store = RefreshTokenStore(str(path), epoch=EPOCH, ttl_seconds=3600, clock=clock)
    for _ in range(3):
        store.issue(GRANT)
    clock.now += 3601
    store.issue(GRANT)

    assert store._db.execute("SELECT COUNT(*) FROM refresh_tokens").fetchone() == (1,)


def test_an_unusable_path_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(StateStoreError, match=r"OAUTH_STATE_PATH: the directory .* does not exist"):
        RefreshTokenStore(str(tmp_path / "missing" / "s.db"), epoch=EPOCH, ttl_seconds=3600)
    with pytest.raises(StateStoreError, match="OAUTH_STATE_PATH: cannot use"):
        RefreshTokenStore(str(tmp_path), epoch=EPOCH, ttl_seconds=3600)  # a directory, not a file
