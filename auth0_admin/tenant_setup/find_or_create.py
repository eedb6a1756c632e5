"""Finding the objects the plan is about, and creating one without ever creating it twice.

A create (API, grant) whose answer is a 409 or a 5xx may still have happened, and a second POST could
leave two of them. So a create is never repeated (management.py's transport does not retry POSTs
either): the object is read again with the same lookup the plan used, and the run continues with what
exists (`Recovered`), or stops with `CreateFailed` when it is not there.

Requests (Auth0 Management API v2), all through the SDK:
  GET /api/v2/resource-servers?identifiers=…
  GET /api/v2/client-grants?audience=…&default_for=third_party_clients&subject_type=user
  GET /api/v2/connections?name=…
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auth0.management import Auth0
from auth0.management.core.api_error import ApiError

from auth0_admin.errors import CreateFailed
from auth0_admin.management import as_dict

__all__ = ["Recovered", "create_once", "find_api", "find_connection", "find_grant"]


@dataclass(frozen=True)
class Recovered:
    """A create Auth0 answered with 409 or 5xx, after which a fresh read found the object."""

    message: str


def find_api(client: Auth0, identifier: str) -> dict[str, Any] | None:
    for server in client.resource_servers.list(identifiers=[identifier]):
        found = as_dict(server)
        if found.get("identifier") == identifier:
            return found
    return None


def find_grant(client: Auth0, identifier: str) -> dict[str, Any] | None:
    for grant in client.client_grants.list(
        audience=identifier, default_for="third_party_clients", subject_type="user"
    ):
        found = as_dict(grant)
        if found.get("audience") == identifier:
            return found
    return None


def find_connection(client: Auth0, name: str) -> dict[str, Any] | None:
    for connection in client.connections.list(name=name):
        found = as_dict(connection)
        if found.get("name") == name:
            return found
    return None


def create_once(
    what: str, create: Callable[[], object], find: Callable[[], dict[str, Any] | None]
) -> Callable[[], object]:
    """`create`, never repeated: after a 409 or 5xx, read again and go on with what exists."""

    def run() -> object:
        try:
            return create()
        except ApiError as error:
            status = error.status_code or 0
            if status != 409 and status < 500:
                raise
            if find() is not None:
                return Recovered(
                    f"Auth0 answered {status} to creating {what}, which exists: continuing with it"
                )
            raise CreateFailed(
                f"Auth0 answered {status} to creating {what}, and reading again does not find it. Nothing "
                "after it was changed; run ./scripts/auth0-setup --apply again"
            ) from None

    return run
