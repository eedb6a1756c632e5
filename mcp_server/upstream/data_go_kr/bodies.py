"""Reading a data.go.kr answer body: the ``<response>`` envelope's page, or the error it stands for.

The body decides before the status: a ``<response>`` envelope with resultCode 000/00 is data and 03 an
empty month; an ``OpenAPI_ServiceResponse`` (XML or JSON, sent with HTTP 200 or 403) is a gateway error
classified by ``returnReasonCode``; anything else (plain "Forbidden", an HTML 5xx page, a truncated
body) falls back to the HTTP status. What each code or status means is ``error_table``'s; this module
only finds it in the body. XML goes through defusedxml, since the body is whatever the network sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from mcp_server.errors import UpstreamError, UpstreamResponseError
from mcp_server.upstream.data_go_kr.error_table import as_int, error_for_code, error_for_status
from mcp_server.upstream.http import RawResponse

__all__ = ["EnvelopePage", "gateway_error_in", "parse_envelope", "parse_gateway_xml"]


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
    number = as_int(code)
    if number is None:
        raise UpstreamResponseError(
            f"{service} answered without a result code (HTTP {raw.status_code}); try again later.",
            service=service,
        )
    body = root.find("body")
    total = as_int(_text(body.find("totalCount"))) if body is not None else None
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
