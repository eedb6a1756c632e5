"""Every failure the MCP server anticipates, as one exception tree with messages written for the reader.

Only a ``ToolError`` message reaches the client (anything else is masked as "Error executing tool"),
so every tool is registered through ``tools.registry``, the one place a ``RealEstateError`` becomes a
``ToolError`` with ``str(exc)`` as the text. So each message says what happened and what to do, and
never contains a service key.

    RealEstateError
    ├── SettingsError               (config) malformed variables: the server does not start at all
    ├── ConfigurationError          operator must fix .env (missing key, bad setting); no retry
    ├── InvalidArgumentError        caller must fix the arguments; raised before any upstream call
    │   ├── RegionQueryError            (regions.index) a query that cannot be looked up at all
    │   └── FinanceInputError           (finance) arguments valid alone but not together
    └── UpstreamError               an upstream service answered badly or not at all (.service names it)
        ├── UpstreamUnavailableError    transient: 5xx, connection errors, resultCode 01/04/05 → retried
        │   └── UpstreamTimeoutError        no answer within the configured timeout → retried
        ├── UpstreamAuthError           key unknown / not approved / expired / IP not registered
        ├── UpstreamQuotaError          daily call quota used up (resets daily); not retried
        ├── UpstreamRequestError        the service rejected the request (bad parameter, wrong path)
        └── UpstreamResponseError       the body could not be understood (truncated, HTML, unknown shape)

The region-code update's errors (``StanReginCdError``, ``SnapshotBuildError``) derive from this base
too, but live with the build-time code in ``scripts/region_codes``, which does not ship in the image.

Which upstream answers become which error is one table, ``upstream.data_go_kr.error_table``
(docs/upstream-apis.md, section 2); which errors are retried is ``upstream.retry.RetryPolicy``.
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "InvalidArgumentError",
    "RealEstateError",
    "SettingsError",
    "UpstreamAuthError",
    "UpstreamError",
    "UpstreamQuotaError",
    "UpstreamRequestError",
    "UpstreamResponseError",
    "UpstreamTimeoutError",
    "UpstreamUnavailableError",
]


class RealEstateError(Exception):
    """Base of every anticipated failure; ``str(exc)`` is safe to show to a user or a model."""


class SettingsError(RealEstateError):
    """Variables are malformed; ``problems`` maps each variable name to what it must be (never its
    value, which may be a key). The entry point prints the message and exits with status 2."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("\n".join(f"invalid setting {name}: {fix}" for name, fix in problems.items()))
        self.problems = problems


class ConfigurationError(RealEstateError):
    """The server is missing a setting it needs for this call (e.g. no DATA_GO_KR_API_KEY)."""


class InvalidArgumentError(RealEstateError):
    """A tool argument is invalid; the message says which and what a valid value looks like."""


class UpstreamError(RealEstateError):
    """An upstream call failed. ``service`` is a human label such as "MOLIT 아파트 매매"."""

    def __init__(self, message: str, *, service: str, code: str | None = None) -> None:
        super().__init__(message)
        self.service = service
        self.code = code


class UpstreamUnavailableError(UpstreamError):
    """Transient failure worth retrying with backoff (5xx, network errors, provider resultCode 01)."""


class UpstreamTimeoutError(UpstreamUnavailableError):
    """No complete answer within the configured timeout."""


class UpstreamAuthError(UpstreamError):
    """The key is not accepted for this service: the operator must apply, wait, or fix the key."""


class UpstreamQuotaError(UpstreamError):
    """The daily request quota for this key and service is used up."""


class UpstreamRequestError(UpstreamError):
    """The service rejected the request itself (invalid parameter, unknown operation)."""


class UpstreamResponseError(UpstreamError):
    """The answer was received but is not in any shape we understand."""
