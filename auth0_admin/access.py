"""Who may use the server, read and changed through the Management API v2 (for scripts/auth0-access).

Reading functions return plain records; each change is a `Change` (what it does, as one line, and the
call that does it) so the command can print every change and ask before running any.

Requests (Auth0 Management API v2), all through the SDK:
  GET/PATCH /api/v2/tenants/settings           flags.enable_dynamic_client_registration
  GET /api/v2/users, GET /api/v2/users-by-email?email=…, POST /api/v2/users, PATCH /api/v2/users/{id}
  POST /api/v2/tickets/password-change         the invitation link (user_id, ttl_sec, mark_email_as_verified)
  GET /api/v2/clients?is_first_party=false     the registered third-party applications
  GET /api/v2/logs?q=client_id:"…"&sort=date:-1&per_page=1   last use; DELETE /api/v2/clients/{id}

Which applications registered themselves: Auth0 marks each client created from outside with
`external_metadata_type` ("dcr": Dynamic Client Registration, "cimd": a Client ID Metadata Document) and
`external_metadata_created_by` ("client": registered dynamically, "admin": through the Management API);
regular clients have neither (Management API reference, Client). Only those marked as registered by the
client itself are self-registered; every other third-party application was made by someone on purpose,
or registered before Auth0 recorded the marker, and `apps prune` keeps it unless asked otherwise.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from auth0.management import Auth0

from auth0_admin.management import as_dict

__all__ = [
    "INVITATION_TTL",
    "Application",
    "Change",
    "User",
    "block_changes",
    "create_user",
    "dcr_change",
    "dcr_enabled",
    "invite_user",
    "registration",
    "third_party_applications",
    "unused_applications",
    "users",
    "users_with_email",
]

INVITATION_TTL = timedelta(days=7)


@dataclass(frozen=True)
class Change:
    description: str
    run: Callable[[], object]


@dataclass(frozen=True)
class User:
    user_id: str
    email: str
    connection: str
    blocked: bool
    last_login: str


@dataclass(frozen=True)
class Application:
    client_id: str
    name: str
    created_at: datetime | None
    self_registered: bool = False
    origin: str = ""
    last_used: datetime | None = None

    @property
    def last_activity(self) -> datetime | None:
        """The newest of its last logged use and its creation (Auth0 keeps logs for a limited time)."""
        dates = [date for date in (self.last_used, self.created_at) if date is not None]
        return max(dates) if dates else None


def dcr_enabled(client: Auth0) -> bool:
    flags = as_dict(client.tenants.settings.get()).get("flags") or {}
    return flags.get("enable_dynamic_client_registration") is True


def dcr_change(client: Auth0, enable: bool) -> Change | None:
    if dcr_enabled(client) is enable:
        return None
    state = "on" if enable else "off"
    return Change(
        f"turn dynamic client registration {state}",
        lambda: client.tenants.settings.update(flags={"enable_dynamic_client_registration": enable}),
    )


def _user(record: dict[str, Any]) -> User:
    identities = record.get("identities") or [{}]
    return User(
        user_id=str(record["user_id"]),
        email=str(record.get("email") or ""),
        connection=str(identities[0].get("connection") or ""),
        blocked=record.get("blocked") is True,
        last_login=str(record.get("last_login") or "never"),
    )


def users(client: Auth0) -> list[User]:
    return [_user(as_dict(record)) for record in client.users.list()]


def users_with_email(client: Auth0, email: str) -> list[User]:
    # Auth0 stores database users' e-mail in lower case; the lookup is exact.
    return [_user(as_dict(record)) for record in client.users.list_users_by_email(email=email.lower())]


def block_changes(client: Auth0, found: list[User], blocked: bool) -> list[Change]:
    verb = "block" if blocked else "unblock"
    return [
        Change(
            f"{verb} {user.email} ({user.connection}, {user.user_id})",
            lambda user=user: client.users.update(user.user_id, blocked=blocked),  # type: ignore[misc]
        )
        for user in found
        if user.blocked is not blocked
    ]


def create_user(client: Auth0, email: str, connection: str, password: str) -> None:
    client.users.create(connection=connection, email=email.lower(), password=password)


def invite_user(client: Auth0, email: str, connection: str) -> str:
    """Create the user with a password nobody knows, and return a link where they choose their own."""
    created = as_dict(
        client.users.create(
            connection=connection,
            email=email.lower(),
            password=secrets.token_urlsafe(32) + "aA1!",  # meets any Auth0 password policy, then discarded
            email_verified=False,
            verify_email=False,
        )
    )
    ticket = as_dict(
        client.tickets.change_password(
            user_id=str(created["user_id"]),
            ttl_sec=int(INVITATION_TTL.total_seconds()),
            mark_email_as_verified=True,
        )
    )
    return str(ticket["ticket"])


def _date(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def registration(data: dict[str, Any]) -> tuple[bool, str]:
    """(registered itself?, how it came to be) from Auth0's external-metadata marker."""
    kind = data.get("external_metadata_type")
    created_by = data.get("external_metadata_created_by")
    if kind == "dcr" and created_by == "client":
        return True, "registered itself (dynamic client registration)"
    if kind == "cimd" and created_by == "client":
        return True, "registered itself from its client ID metadata document"
    if kind == "cimd" and created_by == "admin":
        return False, "added by an administrator from its client ID metadata document"
    if kind in ("dcr", "cimd"):
        return (
            False,
            f"marked {kind}, but not as registered by the client itself ({created_by or 'no creator'})",
        )
    return False, (
        "not marked as self-registered: created in the dashboard or through the Management API, "
        "or registered before Auth0 recorded how"
    )


def third_party_applications(client: Auth0) -> list[Application]:
    """Every third-party application (the global client and first-party ones left out)."""
    found = []
    for record in client.clients.list(is_first_party=False):
        data = as_dict(record)
        if data.get("is_first_party") is True or data.get("global"):
            continue
        self_registered, origin = registration(data)
        found.append(
            Application(
                client_id=str(data["client_id"]),
                name=str(data.get("name") or "(no name)"),
                created_at=_date(data.get("created_at")),
                self_registered=self_registered,
                origin=origin,
            )
        )
    return found


def last_used(client: Auth0, client_id: str) -> datetime | None:
    # The API documents the search as `q`; the SDK's own `search` argument is sent under another name.
    page = client.logs.list(
        page=0,
        per_page=1,
        sort="date:-1",
        request_options={"additional_query_parameters": {"q": f'client_id:"{client_id}"'}},
    )
    entries = [as_dict(entry) for entry in (page.items or [])]
    return _date(entries[0].get("date")) if entries else None


def unused_applications(client: Auth0, days: int, now: datetime | None = None) -> list[Application]:
    """Third-party applications with no logged use and no creation in the last `days` days."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    unused = []
    for application in third_party_applications(client):
        seen = replace(application, last_used=last_used(client, application.client_id))
        activity = seen.last_activity
        if activity is None or activity < cutoff:
            unused.append(seen)
    return unused
