"""The gateway's one SQLite state file (OAUTH_STATE_PATH): its schema and how every user opens it.

Refresh tokens (authorization_server/refresh_tokens.py), revoked sign-ins (state/revocations.py),
the self-registered clients the owner has approved (authorization_server/clients/approvals.py), and
users, the door and sessions (state/access_store.py, changed by ./scripts/access) live in the
same file, so one volume holds everything a restart must keep, and revoking a sign-in
can delete its refresh tokens in the same transaction that records it. Other processes (an operator's
command-line tool) may open the file while the gateway runs: a busy timeout makes a writer wait for
the other's transaction instead of failing. The file stays in SQLite's default rollback-journal mode
(not WAL): every commit writes the main file and its change counter, which is how
`StateFileChanges` notices another process's change with a 4-byte read.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from auth_gateway.errors import StateStoreError

__all__ = ["StateFileChanges", "StateFileStore", "open_state_file"]

BUSY_TIMEOUT_MS = 5000
CHANGE_COUNTER = (24, 4)  # offset and size of the file change counter in SQLite's database header
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
CREATE TABLE IF NOT EXISTS approved_clients (
    client_hash BLOB PRIMARY KEY,
    approved_at REAL NOT NULL
);
"""


class StateFileChanges:
    """Whether any connection committed to the state file since the last look, asked per request.

    SQLite keeps a *file change counter* in the database header (4 bytes at offset 24) and, in the
    rollback-journal mode this file uses, every transaction that modifies the file increments it. One
    `pread` of those 4 bytes (about a microsecond, no lock, no query) therefore tells whether a table
    must be re-read. Reading the counter before the table means a commit between the two is read now
    and merely read once more next time; a writer that has written the new counter but not committed
    holds its lock, so the caller's query waits for the commit (busy timeout). The caller holds its own
    lock around `changed()` and the re-read it triggers."""

    def __init__(self, path: str) -> None:
        self._file = os.open(Path(path).expanduser(), os.O_RDONLY)
        self._counter: bytes | None = None  # the change counter when the caller last re-read

    def changed(self) -> bool:
        offset, size = CHANGE_COUNTER
        counter = os.pread(self._file, size, offset)
        if counter == self._counter:
            return False
        self._counter = counter
        return True

    def forget(self) -> None:
        """Re-read next time whatever the counter says."""
        self._counter = None

    def close(self) -> None:
        os.close(self._file)


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


class StateFileStore:
    """A store on its own connection to the state file, shared by the server's threads.

    `_lock` serialises every use of `_db` (the connection is opened with check_same_thread=False);
    `_transaction()` is BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception, for changes that must
    land together or not at all. Take the lock first: `with self._lock, self._transaction():`.
    """

    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._db = open_state_file(path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (a refusal leaves no half-change)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: object) -> None:
        if kind is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")
