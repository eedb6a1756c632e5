"""The gateway's SQLite state file (OAUTH_STATE_PATH): opened the same way by every store that keeps
something in it (refresh tokens, users and the door), by the gateway and by `./scripts/access`.

A busy timeout rather than failing at once: the command and the gateway are two processes writing
the one file, each in short `BEGIN IMMEDIATE` transactions, so one may briefly wait for the other.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

__all__ = ["BUSY_TIMEOUT_SECONDS", "StateStoreError", "open_state_file"]

BUSY_TIMEOUT_SECONDS = 10.0


class StateStoreError(Exception):
    """The state file cannot be opened or written; the message names OAUTH_STATE_PATH and the fix."""


def open_state_file(path: str, schema: str) -> sqlite3.Connection:
    """A connection to the state file, created (mode 0600) if needed, with `schema` applied."""
    file = Path(path).expanduser()
    if not file.parent.is_dir():
        raise StateStoreError(
            f"OAUTH_STATE_PATH: the directory {file.parent} does not exist; create it or point "
            "OAUTH_STATE_PATH at a writable location (compose mounts the gateway_data volume at /data)"
        )
    try:
        fresh = not file.exists()
        db = sqlite3.connect(
            file, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
        )
        if fresh:
            os.chmod(file, 0o600)  # digests and password hashes: nobody else needs to read them
        db.executescript(schema)
    except (sqlite3.Error, OSError) as exc:
        raise StateStoreError(
            f"OAUTH_STATE_PATH: cannot use {file} ({exc}); make it writable by the gateway's user "
            "or point OAUTH_STATE_PATH elsewhere"
        ) from None
    return db
