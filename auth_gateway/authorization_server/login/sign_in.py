"""Who is signing in at the login page: a name and a password, checked without saying which was wrong.

The owner signs in with OWNER_PASSWORD_HASH as before, with the name `owner` or none at all (the page
asks for no name until someone else has an account). Every other user's Argon2id hash is in the state
file (auth_gateway/state/access_store.py). An unknown name costs one Argon2 verification like a known one,
against a hash of a random password, so neither the answer nor its timing tells a guesser whether
the name exists. A blocked user is told so only after giving the right password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher

from auth_gateway.credentials.owner_password import OwnerPassword
from auth_gateway.state.access_policy import OWNER
from auth_gateway.state.access_store import AccessStore

__all__ = ["SignIn", "SignInResult", "user_name"]

MAX_NAME_CHARS = 64  # longer than any valid name; a longer one is cut before it becomes a limiter key


def user_name(typed: str) -> str:
    """The name a sign-in is for, as typed on the form: the owner when none was typed (the page asks for
    none until someone else has an account)."""
    return typed.strip().lower()[:MAX_NAME_CHARS] or OWNER


@dataclass(frozen=True, slots=True)
class SignInResult:
    user: str | None  # None: the name or the password was wrong (which one is not said)
    blocked: bool = False


class SignIn:
    def __init__(self, owner_password: OwnerPassword, store: AccessStore) -> None:
        self._owner_password = owner_password
        self._store = store
        self._decoy: str | None = None

    def asks_name(self) -> bool:
        return self._store.policy().has_named_users

    def closed(self) -> bool:
        return self._store.policy().closed

    async def check(self, name: str, password: str) -> SignInResult:
        name = user_name(name)
        if name == OWNER:
            matched = await self._owner_password.matches(password)
        else:
            known = self._store.password_hash(name)
            matched = await self._owner_password.matches(password, known or self._decoy_hash())
            matched = matched and known is not None
        if not matched:
            return SignInResult(None)
        state = self._store.policy().users.get(name)
        if state is not None and state.blocked:
            return SignInResult(name, blocked=True)
        self._store.record_sign_in(name)
        return SignInResult(name)

    def _decoy_hash(self) -> str:
        if self._decoy is None:
            self._decoy = PasswordHasher().hash(secrets.token_urlsafe(16))
        return self._decoy
