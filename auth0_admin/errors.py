"""Every failure the operator commands anticipate, under one base, each message written for the operator.

``command.exit_status`` prints any ``AdminError`` as one line (``auth0_admin: …``) and exits with status
2, so a command never ends in a traceback for something the operator can fix:

    AdminError
    ├── SettingsError           .env or the environment cannot drive the Management API (names the variable)
    ├── UsageError              what was typed cannot be done (passwords differ, --days 0); nothing changed
    └── ManagementError         a Management API call failed
        ├── CredentialsRejected     the machine-to-machine client id or secret was refused
        ├── MissingScope            the application lacks a permission (``scopes`` names it)
        ├── RateLimited             Auth0 kept answering 429 after the retries
        └── CreateFailed            a create answered 5xx and did not happen: stop, rerun later
"""

from __future__ import annotations

__all__ = [
    "OPTIONS_SCOPES",
    "AdminError",
    "CreateFailed",
    "CredentialsRejected",
    "ManagementError",
    "MissingScope",
    "RateLimited",
    "SettingsError",
    "UsageError",
]

# Since Auth0's connection-options migration, reading and writing a connection's `options` each need
# their own permission on top of read:/update:connections.
OPTIONS_SCOPES = ("read:connections_options", "update:connections_options")


class AdminError(Exception):
    """Base of every anticipated failure of the operator commands; ``str(exc)`` is for the operator."""


class SettingsError(AdminError):
    """The environment cannot drive the Management API; the message says which variable to fix."""


class UsageError(AdminError):
    """The command line asks for something that cannot be done; nothing was changed."""


class ManagementError(AdminError):
    """A Management API call failed; the message is for the operator."""


class CredentialsRejected(ManagementError):
    pass


class MissingScope(ManagementError):
    def __init__(self, scopes: str, *, nothing_changed: bool = False) -> None:
        self.scopes = scopes
        message = (
            f"the machine-to-machine application lacks the Management API permission {scopes}: Auth0 "
            "dashboard -> Applications -> APIs -> Auth0 Management API -> Machine To Machine Applications "
            "-> your application -> tick it, Update (docs/deployment.md lists every permission needed)"
        )
        if "connections" in scopes:
            message += (
                f". A connection's options (its sign-up switch) need both {' and '.join(OPTIONS_SCOPES)} "
                "besides read:connections and update:connections"
            )
        if nothing_changed:
            message += ". Nothing was changed"
        super().__init__(message)


class RateLimited(ManagementError):
    pass


class CreateFailed(ManagementError):
    """A create Auth0 answered with 5xx did not happen: stop, so that a rerun starts from a known state."""
