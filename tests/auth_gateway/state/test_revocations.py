"""The revocation list on its own: a revoked sign-in is refused, across processes, restarts and time."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from auth_gateway.authorization_server.refresh_tokens import RefreshGrant, RefreshTokenStore, secret_epoch
from auth_gateway.config import MAX_TOKEN_TTL
from auth_gateway.state.revocations import RevocationList, revoke_family

GRANT = RefreshGrant(client_id="cli", subject="owner", resource="https://h.example/mcp", scopes=())


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_revoked_family_is_revoked_and_others_are_not(tmp_path: Path) -> None:
    revocations = RevocationList(str(tmp_path / "s.db"))
    revocations.revoke_family("family-a")

    assert revocations.is_revoked("family-a")
    assert not revocations.is_revoked("family-b")


def test_revoking_deletes_the_familys_refresh_tokens(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    revocations = RevocationList(path)
    store = RefreshTokenStore(path, epoch=secret_epoch("s" * 40), ttl_seconds=3600, revocations=revocations)
    kept = store.issue(GRANT, family="kept")
    gone = store.issue(GRANT, family="gone")

    assert sorted(revocations.families(subject="owner")) == ["gone", "kept"]
    revocations.revoke_family("gone")

    assert store.family_of(gone, client_id="cli") is None
    assert store.load(kept) is not None
    rotation = store.rotate(kept)
    assert rotation is not None
    assert rotation.family == "kept"
    assert revocations.families(subject="owner") == ["kept"]
    assert revocations.families(subject="somebody-else") == []


def test_another_process_revokes_and_the_running_list_sees_it_at_once(tmp_path: Path) -> None:
    """The operator-tool path: a separate process writes, the gateway's list answers from its next call."""
    path = str(tmp_path / "s.db")
    running = RevocationList(path)
    assert not running.is_revoked("family-x")

    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from auth_gateway.state.revocations import revoke_family; revoke_family({path!r}, 'family-x')",
        ],
        check=True,
        timeout=60,
    )

    assert running.is_revoked("family-x")


def test_the_same_process_with_another_connection_is_seen_too(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    running = RevocationList(path)
    assert not running.is_revoked("family-y")

    revoke_family(path, "family-y")

    assert running.is_revoked("family-y")


def test_a_restart_keeps_revocations(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    RevocationList(path).revoke_family("family-z")

    assert RevocationList(path).is_revoked("family-z")


def test_an_entry_expires_with_the_longest_access_token_lifetime(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    clock = Clock()
    revocations = RevocationList(path, clock=clock)
    revocations.revoke_family("old")

    clock.now += MAX_TOKEN_TTL - 1
    assert revocations.is_revoked("old")
    clock.now += 1
    assert not revocations.is_revoked("old")

    revocations.revoke_family("new")  # writing also sweeps expired rows out of the file
    rows = sqlite3.connect(path).execute("SELECT family FROM revoked_families").fetchall()
    assert rows == [("new",)]


def test_an_old_quiet_file_still_shows_a_later_write(tmp_path: Path) -> None:
    """Whatever the file's times say, a commit by another process moves the header's change counter."""
    path = tmp_path / "s.db"
    running = RevocationList(str(path))
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    assert not running.is_revoked("family-q")  # records the quiet file

    revoke_family(str(path), "family-q")

    assert running.is_revoked("family-q")
