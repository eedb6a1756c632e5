"""The one table of data.go.kr codes and HTTP statuses → the ``UpstreamError`` a caller acts on.

Every service (MOLIT, 청약홈 on odcloud, StanReginCd in the region-code build) ends in the same few
reactions: retry later, apply for the service, wait for the quota, fix the URL, report a changed format.
Keeping the gateway reason codes, the provider result codes and the fallback HTTP statuses in one
place means each reaction has one message, wherever the answer came from (docs/upstream-apis.md,
sections 1.2 and 2). ``bodies`` decides which row applies; this module only says what it means.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from mcp_server.errors import (
    UpstreamAuthError,
    UpstreamError,
    UpstreamQuotaError,
    UpstreamRequestError,
    UpstreamResponseError,
    UpstreamUnavailableError,
)
from mcp_server.kst import next_midnight_kst, now_kst
from mcp_server.upstream.http import RawResponse

__all__ = ["as_int", "error_for_code", "error_for_status", "quota_reset"]

# returnReasonCode / resultCode (compared as numbers: "01" = "1") → (error type, message). The message
# is formatted with {service} and {said} (" (code 30 SERVICE_KEY_IS_NOT_REGISTERED_ERROR)").
_TEMPORARY = (
    UpstreamUnavailableError,
    "{service} had a temporary provider error{said}. Try again in a few minutes.",
)
_CODES: dict[int, tuple[type[UpstreamError], str]] = {
    1: _TEMPORARY,
    2: _TEMPORARY,
    4: _TEMPORARY,
    5: _TEMPORARY,
    99: _TEMPORARY,
    10: (
        UpstreamRequestError,
        "{service} rejected the request parameters{said}. Check the region code and month; if they are "
        "right, the service key may be missing or malformed (DATA_GO_KR_API_KEY).",
    ),
    11: (
        UpstreamRequestError,
        "{service} rejected the request parameters{said}. Check the region code and month; if they are "
        "right, the service key may be missing or malformed (DATA_GO_KR_API_KEY).",
    ),
    12: (
        UpstreamRequestError,
        "data.go.kr says {service} does not exist at this address{said}: check DATA_GO_KR_BASE_URL; the "
        "service may have been retired.",
    ),
    20: (
        UpstreamAuthError,
        "This key is not approved for {service}{said}. Apply for the service (활용신청) on data.go.kr with "
        "the same account; approval of development use is usually immediate.",
    ),
    21: (
        UpstreamAuthError,
        "data.go.kr has temporarily disabled this service key for {service}{said}. Try again later and "
        "check the key's status on data.go.kr 마이페이지.",
    ),
    22: (
        UpstreamQuotaError,
        "The daily request quota of this data.go.kr key for {service} is used up{said}. It resets daily at "
        "midnight KST ({reset}); try again then, or request a higher quota (운영계정) on data.go.kr.",
    ),
    30: (
        UpstreamAuthError,
        "data.go.kr does not recognise the service key for {service}{said}. Check that DATA_GO_KR_API_KEY "
        "holds the key from data.go.kr 마이페이지 (the 'Decoding' key, pasted once), that this service is "
        "approved (활용신청) for it, and, if it was approved just now, wait up to an hour for the key to be "
        "synchronised.",
    ),
    31: (
        UpstreamAuthError,
        "The approval period of this key for {service} has expired{said}. Extend the 활용기간 (연장신청) on "
        "data.go.kr 마이페이지.",
    ),
    32: (
        UpstreamAuthError,
        "data.go.kr refused the call to {service}{said}: the calling IP or signing is not registered for "
        "this key. Review the key's settings on data.go.kr 마이페이지.",
    ),
}
_CODES[33] = _CODES[32]
_UNKNOWN_CODE = (UpstreamResponseError, "{service} reported an unknown error{said}. Try again later.")

# HTTP status of a body no rule recognised → (error type, message with {service}, {seen}, {detail}).
_STATUSES: tuple[tuple[range, type[UpstreamError], str], ...] = (
    (
        range(500, 1000),
        UpstreamUnavailableError,
        "{service} is having a server error{seen}. Try again in a few minutes.",
    ),
    (
        range(401, 402),
        UpstreamAuthError,
        "{service} refused the service key{seen}. Make sure this service is approved (활용신청) for your "
        "key on data.go.kr; a newly approved key can take up to an hour to work.",
    ),
    (
        range(403, 404),
        UpstreamAuthError,
        "{service} refused the service key{seen}. Make sure this service is approved (활용신청) for your "
        "key on data.go.kr; a newly approved key can take up to an hour to work.",
    ),
    (
        range(300, 400),
        UpstreamRequestError,
        "{service} redirected the request{seen}; redirects are not followed, so the key is never sent to "
        "another address. Set DATA_GO_KR_BASE_URL / ODCLOUD_BASE_URL to the final address (e.g. https:// "
        "instead of http://).",
    ),
    (
        range(429, 430),
        UpstreamQuotaError,
        "{service} is rate-limiting this key{seen}. Wait a while; daily quotas reset at midnight KST "
        "({reset}).",
    ),
    (
        range(400, 500),
        UpstreamRequestError,
        "{service} rejected the request{seen}. Check DATA_GO_KR_BASE_URL / ODCLOUD_BASE_URL; if they are "
        "right, the service may have changed.",
    ),
)
_UNREADABLE = (
    UpstreamResponseError,
    "{service} sent an answer that could not be read{seen}{detail}. Try again later; if it persists the "
    "service format may have changed.",
)


def error_for_code(code: str, message: str, service: str) -> UpstreamError:
    """The error for a gateway reason code or a provider result code (docs/upstream-apis.md, 1.2, 2)."""
    number = as_int(code)
    said = f" (code {code}{' ' + message if message else ''})"
    kind, template = _CODES.get(number, _UNKNOWN_CODE) if number is not None else _UNKNOWN_CODE
    return kind(template.format(service=service, said=said, reset=quota_reset()), service=service, code=code)


def quota_reset(now: datetime | None = None) -> str:
    """When data.go.kr's daily quotas reset next, in the words of an error message:
    '2026-12-03 00:00 KST, in 4 h 5 min'."""
    current = now_kst(now)
    reset = next_midnight_kst(current)
    minutes = max(1, int((reset - current).total_seconds() + 59) // 60)
    return f"{reset:%Y-%m-%d %H:%M} KST, in {minutes // 60} h {minutes % 60} min"


def error_for_status(raw: RawResponse, service: str, detail: str = "") -> UpstreamError:
    """The error for a body no service-specific rule recognised, decided by the HTTP status.

    Used by the parsers after they have looked at the body, never before."""
    status = raw.status_code
    snippet = _snippet(raw.text, raw.redact)
    seen = f" (the service answered HTTP {status}{': ' + repr(snippet) if snippet else ''})"
    kind, template = next(((k, t) for codes, k, t in _STATUSES if status in codes), _UNREADABLE)
    message = template.format(service=service, seen=seen, detail=detail, reset=quota_reset())
    return kind(message, service=service, code=str(status))


def _snippet(text: str, redact: Callable[[str], str], limit: int = 80) -> str:
    """The start of a plain-text body, for messages ('Forbidden', 'Unexpected errors'); no markup."""
    flat = " ".join(text.split())
    if not flat or flat.startswith("<"):
        return ""
    return redact(flat)[:limit]  # redact first: a cut could leave a recognisable key prefix


def as_int(value: str | None) -> int | None:
    """A code or count as sent ('01', ' 12 ') as a number; None when it is not one."""
    text = (value or "").strip()
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else None
