"""The gateway's one SQLite state file (OAUTH_STATE_PATH): its schema and how every user opens it.

Refresh tokens (auth_gateway/refresh_tokens.py), revoked sign-ins (auth_gateway/revocations.py) and
the self-registered clients the owner has approved (auth_gateway/client_approvals.py) live in the
same file, so one volume holds everything a restart must keep, and revoking a sign-in
can delete its refresh tokens in the same transaction that records it. Other processes (an operator's
command-line tool) may open the file while the gateway runs: a busy timeout makes a writer wait for
the other's transaction instead of failing. The file stays in SQLite's default rollback-journal mode
(not WAL): every commit writes the main file and its change counter, which is how
auth_gateway/revocations.py notices a change with a 4-byte read.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

__all__ = ["StateStoreError", "open_state_file"]

BUSY_TIMEOUT_MS = 5000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash BLOB PRIMARY KEY,
    family TEXT NOT NULL,
    epoch BLOB NOT NULL,
    client_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    resource TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX IF NOT EXISTS refresh_tokens_expiry ON refresh_tokens (expires_at);
CREATE TABLE IF NOT EXISTS revoked_families (
    family TEXT PRIMARY KEY,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS approved_clients (
    client_hash BLOB PRIMARY KEY,
    approved_at REAL NOT NULL
);
"""


class StateStoreError(Exception):
    """The state file cannot be opened or written; the message names OAUTH_STATE_PATH and the fix."""


def open_state_file(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode (callers use BEGIN IMMEDIATE themselves), schema in place."""
    file = Path(path).expanduser()
    if not file.parent.is_dir():
        raise StateStoreError(
            f"OAUTH_STATE_PATH: the directory {file.parent} does not exist; create it or point "
            "OAUTH_STATE_PATH at a writable location (compose mounts the gateway_data volume at /data)"
        )
    try:
        fresh = not file.exists()
        db = sqlite3.connect(file, isolation_level=None, check_same_thread=False)
        if fresh:
            os.chmod(file, 0o600)  # digests only, but nobody else needs to read them
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.executescript(_SCHEMA)
    except (sqlite3.Error, OSError) as exc:
        raise StateStoreError(
            f"OAUTH_STATE_PATH: cannot use {file} ({exc}); make it writable by the gateway's user "
            "or point OAUTH_STATE_PATH elsewhere"
        ) from None
    return db
