"""data.go.kr answers → a page of items or the ``UpstreamError`` a caller acts on, in one place.

The body decides before the status (docs/upstream-apis.md, section 2): a ``<response>`` envelope with
resultCode 000/00 is data and 03 an empty month; an ``OpenAPI_ServiceResponse`` (XML or JSON, sent with
HTTP 200 or 403) is a gateway error classified by ``returnReasonCode``; anything else (plain
"Forbidden", an HTML 5xx page, a truncated body) falls back to the HTTP status. The reason codes, the
provider result codes and the HTTP statuses each map to an error through one table below. XML goes
through defusedxml.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

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

__all__ = [
    "EnvelopePage",
    "error_for_code",
    "error_for_status",
    "gateway_error_in",
    "parse_envelope",
    "parse_gateway_xml",
    "quota_reset",
]

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
    number = _as_int(code)
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


@dataclass(frozen=True)
class EnvelopePage:
    """One page of a ``<response>`` envelope; ``items`` hold stripped tag → text maps."""

    total_count: int
    items: list[dict[str, str]]


def parse_envelope(raw: RawResponse, service: str) -> EnvelopePage:
    """The page in ``raw``, or raise the ``UpstreamError`` that explains why there is none."""
    text = raw.body.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if not text:
        raise error_for_status(raw, service, detail=" (empty body)")
    if text.startswith("{"):
        gateway = _gateway_json(text, service)
        if gateway is not None:
            raise gateway
        raise error_for_status(raw, service, detail=" (unexpected JSON)")
    if not text.startswith("<"):
        raise error_for_status(raw, service)
    root = _xml_root(text, raw, service)
    if root.tag == "OpenAPI_ServiceResponse":
        raise _gateway_error(_header_values(root), service)
    if root.tag != "response":
        raise error_for_status(raw, service, detail=f" (unexpected <{root.tag}> document)")
    return _page(root, raw, service)


def parse_gateway_xml(raw: RawResponse, service: str) -> UpstreamError:
    """The error an XML body stands for, where a JSON service (odcloud, StanReginCd) sent XML: a
    gateway error when it is one, else an unreadable answer."""
    text = raw.body.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    root = _xml_root(text, raw, service)
    if root.tag == "OpenAPI_ServiceResponse":
        return _gateway_error(_header_values(root), service)
    return error_for_status(raw, service, detail=" (XML where JSON was expected)")


def _xml_root(text: str, raw: RawResponse, service: str) -> Element:
    try:
        root: Element = SafeET.fromstring(text.encode("utf-8"))
    except (ParseError, DefusedXmlException) as exc:
        if raw.status_code >= 400:
            raise error_for_status(raw, service) from exc
        raise UpstreamResponseError(
            f"{service} sent XML that could not be parsed (truncated or malformed). Try again; if it "
            "persists the service may be having problems.",
            service=service,
        ) from exc
    return root


def _header_values(root: Element) -> dict[str, str]:
    header = root.find("cmmMsgHeader")
    return {child.tag: _text(child) for child in (header if header is not None else root)}


def _page(root: Element, raw: RawResponse, service: str) -> EnvelopePage:
    code = _text(root.find("header/resultCode"))
    msg = _text(root.find("header/resultMsg"))
    number = _as_int(code)
    if number is None:
        raise UpstreamResponseError(
            f"{service} answered without a result code (HTTP {raw.status_code}); try again later.",
            service=service,
        )
    body = root.find("body")
    total = _as_int(_text(body.find("totalCount"))) if body is not None else None
    if number == 3:  # "No Data": the documented form of an empty month, not a failure (section 1.2)
        return EnvelopePage(0, [])
    if number != 0:
        raise error_for_code(code, msg, service)
    items_el = body.find("items") if body is not None else None
    items = [
        {child.tag: _text(child) for child in item}
        for item in (items_el.findall("item") if items_el is not None else [])
    ]
    return EnvelopePage(total_count=total if total is not None else len(items), items=items)


def _gateway_json(text: str, service: str) -> UpstreamError | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return gateway_error_in(data, service)


def gateway_error_in(data: object, service: str) -> UpstreamError | None:
    """The error in a decoded JSON ``OpenAPI_ServiceResponse`` body, or None if it is something else."""
    if not isinstance(data, dict) or not isinstance(data.get("OpenAPI_ServiceResponse"), dict):
        return None
    envelope: dict[str, Any] = data["OpenAPI_ServiceResponse"]
    header = envelope.get("cmmMsgHeader", envelope)
    values = {str(k): str(v).strip() for k, v in header.items()} if isinstance(header, dict) else {}
    return _gateway_error(values, service)


def _gateway_error(values: dict[str, str], service: str) -> UpstreamError:
    code = values.get("returnReasonCode", "")
    # Classic layout: errMsg "SERVICE ERROR", name in returnAuthMsg; newer: name in errMsg, Korean text
    # in returnAuthMsg. Show whichever holds the upper-case name.
    name = next(
        (v for v in (values.get("returnAuthMsg", ""), values.get("errMsg", "")) if v.endswith("_ERROR")),
        values.get("returnAuthMsg") or values.get("errMsg") or "",
    )
    return error_for_code(code, name, service)


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _as_int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else None
