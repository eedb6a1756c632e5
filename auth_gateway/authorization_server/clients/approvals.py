"""Which self-registered clients the owner has approved at least once, kept in the state file.

Anyone can register a client (or name a metadata document) with any redirect URI, so until the owner
has approved a client with the password, its redirect URI is just an address a stranger typed: an
error in its authorization request is shown on our own page and never sent there (RFC 9700 §4.11.2,
no open redirector). Once the owner approved it, the URI is one the owner vouched for, and errors go
back to it as RFC 6749 §4.1.2.1 says, so the app can show them.

Rows hold SHA-256 of the client_id (a registration's client_id is long and carries its metadata), and
the approval time. Approvals are checked only on authorization errors, so a query per check is fine.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from auth_gateway.credentials.secret_keys import token_digest
from auth_gateway.state.state_file import StateFileStore

__all__ = ["ClientApprovals"]


class ClientApprovals(StateFileStore):
    def __init__(self, path: str, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        super().__init__(path)

    def approve(self, client_id: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO approved_clients (client_hash, approved_at) VALUES (?, ?)",
                (token_digest(client_id), self._clock()),
            )

    def is_approved(self, client_id: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM approved_clients WHERE client_hash = ?", (token_digest(client_id),)
            ).fetchone()
        return row is not None

    def withdraw(self, client_id: str) -> None:
        """Forget an approval (an operator tool ending a client's access starts here)."""
        with self._lock:
            self._db.execute("DELETE FROM approved_clients WHERE client_hash = ?", (token_digest(client_id),))
