"""The gateway's one SQLite state file (OAUTH_STATE_PATH): its schema and how every user opens it.

Refresh tokens (auth_gateway/refresh_tokens.py), revoked sign-ins (auth_gateway/revocations.py), and
users, the door and sessions (auth_gateway/access_state.py, changed by ./scripts/access) live in the
same file, so one volume holds everything a restart must keep, and revoking a sign-in
can delete its refresh tokens in the same transaction that records it. Other processes (an operator's
command-line tool) may open the file while the gateway runs: a busy timeout makes a writer wait for
the other's transaction instead of failing. The file stays in SQLite's default rollback-journal mode
(not WAL): every commit writes the main file, which is how auth_gateway/revocations.py notices a
change with one stat().
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

__all__ = ["StateFileChanges", "StateStoreError", "open_state_file"]

BUSY_TIMEOUT_MS = 5000
RECENT_WRITE_SECONDS = 1.0  # far above any file system's timestamp granularity
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
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    password_hash TEXT,
    blocked INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    last_sign_in REAL,
    tokens_not_before REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS access_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS client_cutoffs (client_id TEXT PRIMARY KEY, not_before REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    family TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_name TEXT NOT NULL,
    redirect_host TEXT NOT NULL,
    created_at REAL NOT NULL,
    last_used REAL NOT NULL
);
"""


class StateFileChanges:
    """Whether another connection committed to the state file since the last look, asked per request.

    One `stat()` of the file (a few microseconds) answers in the common case: a commit rewrites the
    file, so its (inode, size, mtime) moves on. File times are coarse (one kernel tick), so while the
    file's mtime is less than a second old SQLite's `PRAGMA data_version` is asked as well, which
    changes with every commit by another connection but takes a file lock to read. The caller holds
    its own lock around `changed()` and the re-read it triggers."""

    def __init__(self, path: str, db: sqlite3.Connection) -> None:
        self._file = Path(path).expanduser()
        self._db = db
        self._version = -1
        self._seen: tuple[int, int, int] | None = None  # the file's (inode, size, mtime_ns) when last read

    def changed(self) -> bool:
        try:
            status = os.stat(self._file)
        except OSError:
            seen = None
        else:
            seen = (status.st_ino, status.st_size, status.st_mtime_ns)
            if seen == self._seen and time.time() - status.st_mtime_ns / 1e9 > RECENT_WRITE_SECONDS:
                return False  # unchanged, and old enough that any later write would have moved its mtime
        (version,) = self._db.execute("PRAGMA data_version").fetchone()
        self._seen = seen
        if version == self._version:
            return False
        self._version = version
        return True

    def forget(self) -> None:
        """This connection committed itself (which `data_version` does not count): re-read next time."""
        self._version = -1
        self._seen = None


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
            os.chmod(file, 0o600)  # digests and password hashes: nobody else needs to read them
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.executescript(_SCHEMA)
    except (sqlite3.Error, OSError) as exc:
        raise StateStoreError(
            f"OAUTH_STATE_PATH: cannot use {file} ({exc}); make it writable by the gateway's user "
            "or point OAUTH_STATE_PATH elsewhere"
        ) from None
    return db
