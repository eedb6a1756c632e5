"""Turns a data.go.kr answer into rows or into the right ``UpstreamError``, following the fixtures' rules.

The body decides before the status (upstream-apis.md section 2): a ``<response>`` envelope with
resultCode 000/00 is data and 03 is an empty month; ``OpenAPI_ServiceResponse`` (XML or JSON, sent with
200 or 403) is a gateway error classified by ``returnReasonCode``; anything else (plain "Forbidden",
an HTML 5xx page, a truncated body) falls back to the HTTP status. XML goes through defusedxml.

Row rules (fixtures README, "Counting rules"): values are stripped; an amount is valid when, without
whitespace and commas, it is a non-empty run of ASCII digits; a trade row is cancelled when
``cdealType`` is ``O``; a rent row is valid when its deposit is; a blank monthlyRent is 0 (전세).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
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
from mcp_server.models import RentItem, TradeItem
from mcp_server.molit_services import MolitService
from mcp_server.upstream_http import RawResponse, error_for_status

__all__ = [
    "MolitPage",
    "ParsedRents",
    "ParsedTrades",
    "error_for_code",
    "gateway_error_in",
    "is_cancelled",
    "parse_amount",
    "parse_gateway_json",
    "parse_molit_response",
    "parse_rent_rows",
    "parse_trade_rows",
]


@dataclass(frozen=True)
class MolitPage:
    """One page of a ``<response>`` envelope; ``items`` hold stripped tag → text maps."""

    total_count: int
    items: list[dict[str, str]]


def parse_molit_response(raw: RawResponse, service: str) -> MolitPage:
    """The page in ``raw``, or raise the ``UpstreamError`` that explains why there is none."""
    text = raw.body.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if not text:
        raise error_for_status(raw, service, detail=" (empty body)")
    if text.startswith("{"):
        gateway = parse_gateway_json(text, service)
        if gateway is not None:
            raise gateway
        raise error_for_status(raw, service, detail=" (unexpected JSON)")
    if not text.startswith("<"):
        raise error_for_status(raw, service)
    try:
        root = SafeET.fromstring(text.encode("utf-8"))
    except (ParseError, DefusedXmlException) as exc:
        if raw.status_code >= 400:
            raise error_for_status(raw, service) from exc
        raise UpstreamResponseError(
            f"{service} sent XML that could not be parsed (truncated or malformed). Try again; if it "
            "persists the service may be having problems.",
            service=service,
        ) from exc
    if root.tag == "OpenAPI_ServiceResponse":
        header = root.find("cmmMsgHeader")
        values = {child.tag: _text(child) for child in (header if header is not None else root)}
        raise _gateway_error(values, service)
    if root.tag != "response":
        raise error_for_status(raw, service, detail=f" (unexpected <{root.tag}> document)")
    return _parse_envelope(root, raw, service)


def _parse_envelope(root: Element, raw: RawResponse, service: str) -> MolitPage:
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
    if number == 3:  # "No Data": documented form of an empty month, not a failure (upstream-apis 1.3)
        return MolitPage(0, [])
    if number != 0:
        raise error_for_code(code, msg, service)
    items_el = body.find("items") if body is not None else None
    items = [
        {child.tag: _text(child) for child in item}
        for item in (items_el.findall("item") if items_el is not None else [])
    ]
    return MolitPage(total_count=total if total is not None else len(items), items=items)


def parse_gateway_json(text: str, service: str) -> UpstreamError | None:
    """The error in a JSON ``OpenAPI_ServiceResponse`` body, or None if the JSON is something else."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return gateway_error_in(data, service)


def gateway_error_in(data: object, service: str) -> UpstreamError | None:
    """``parse_gateway_json`` for a body already decoded, so a large JSON page is not parsed twice."""
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


def error_for_code(code: str, message: str, service: str) -> UpstreamError:
    """Map a data.go.kr gateway reason code or provider resultCode to the exception a caller acts on.

    Codes compared numerically ("01" = "1"), per upstream-apis.md sections 1.5 and 2."""
    number = _as_int(code)
    said = f" (code {code}{' ' + message if message else ''})"
    if number in (1, 2, 4, 5, 99):
        return UpstreamUnavailableError(
            f"{service} had a temporary provider error{said}. Try again in a few minutes.",
            service=service,
            code=code,
        )
    if number == 22:
        return UpstreamQuotaError(
            f"The daily request quota of this data.go.kr key for {service} is used up{said}. The quota "
            "resets daily (midnight KST); try again tomorrow, or request a higher quota (운영계정) on "
            "data.go.kr.",
            service=service,
            code=code,
        )
    if number == 30:
        return UpstreamAuthError(
            f"data.go.kr does not recognise the service key for {service}{said}. Check that "
            "DATA_GO_KR_API_KEY holds the key from data.go.kr 마이페이지 (the 'Decoding' key, pasted "
            "once), that this service is approved (활용신청) for it, and, if it was approved just now, "
            "wait up to an hour for the key to be synchronised.",
            service=service,
            code=code,
        )
    if number == 20:
        return UpstreamAuthError(
            f"This key is not approved for {service}{said}. Apply for the service (활용신청) on "
            "data.go.kr with the same account; approval of development use is usually immediate.",
            service=service,
            code=code,
        )
    if number == 21:
        return UpstreamAuthError(
            f"data.go.kr has temporarily disabled this service key for {service}{said}. Try again later "
            "and check the key's status on data.go.kr 마이페이지.",
            service=service,
            code=code,
        )
    if number == 31:
        return UpstreamAuthError(
            f"The approval period of this key for {service} has expired{said}. Extend the 활용기간 "
            "(연장신청) on data.go.kr 마이페이지.",
            service=service,
            code=code,
        )
    if number in (32, 33):
        return UpstreamAuthError(
            f"data.go.kr refused the call to {service}{said}: the calling IP or signing is not registered "
            "for this key. Review the key's settings on data.go.kr 마이페이지.",
            service=service,
            code=code,
        )
    if number in (10, 11):
        return UpstreamRequestError(
            f"{service} rejected the request parameters{said}. Check the region code and month; if they "
            "are right, the service key may be missing or malformed (DATA_GO_KR_API_KEY).",
            service=service,
            code=code,
        )
    if number == 12:
        return UpstreamRequestError(
            f"data.go.kr says {service} does not exist at this address{said}: check DATA_GO_KR_BASE_URL; "
            "the service may have been retired.",
            service=service,
            code=code,
        )
    return UpstreamResponseError(
        f"{service} reported an unknown error{said}. Try again later.", service=service, code=code
    )


# ---------------------------------------------------------------- rows ------------------------------

_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def parse_amount(value: str | None) -> int | None:
    """만원 amount per the counting rules: ' 1,234,500 ' → 1234500; '', ' ', '-' → None."""
    if value is None:
        return None
    compact = "".join(value.split()).replace(",", "")
    return int(compact) if _DIGITS.fullmatch(compact) else None


def is_cancelled(item: dict[str, str]) -> bool:
    """A trade row is cancelled (해제) when cdealType, stripped, is 'O' (camelCase in every service)."""
    return item.get("cdealType", "").strip() == "O"


@dataclass
class ParsedTrades:
    valid: list[TradeItem] = field(default_factory=list)
    cancelled: int = 0
    unpriced: int = 0


@dataclass
class ParsedRents:
    valid: list[RentItem] = field(default_factory=list)
    invalid: int = 0


def parse_trade_rows(items: list[dict[str, str]], service: MolitService) -> ParsedTrades:
    """Non-cancelled rows with a valid amount, counted the way the fixtures README counts them."""
    parsed = ParsedTrades()
    for item in items:
        if is_cancelled(item):
            parsed.cancelled += 1
            continue
        price = parse_amount(item.get("dealAmount"))
        if price is None:
            parsed.unpriced += 1
            continue
        area = _area(item, service)
        share = _blank_none(item.get("shareDealingType"))
        parsed.valid.append(
            TradeItem(
                deal_date=_deal_date(item),
                dong=_blank_none(item.get("umdNm")),
                name=_blank_none(item.get(service.name_field)) if service.name_field else None,
                jibun=_blank_none(item.get("jibun")),
                area_m2=area,
                floor=_as_int(item.get("floor")),
                build_year=_as_int(item.get("buildYear")),
                price_10k=price,
                price_per_m2_10k=round(price / area, 1) if area else None,
                house_type=_blank_none(item.get("houseType")),
                building_type=_blank_none(item.get("buildingType")),
                building_use=_blank_none(item.get("buildingUse")),
                land_use=_blank_none(item.get("landUse")),
                land_category=_blank_none(item.get("jimok")),
                share_deal=(share == "지분") if "shareDealingType" in item else None,
                ownership=_ownership(item),
                apt_dong=_blank_none(item.get("aptDong")),
                deal_kind=_blank_none(item.get("dealingGbn")),
                seller=_blank_none(item.get("slerGbn")),
                buyer=_blank_none(item.get("buyerGbn")),
                registration_date=_blank_none(item.get("rgstDate")),
            )
        )
    return parsed


_OWNERSHIP = {"분": "분양권", "입": "입주권", "": "미상"}


def _ownership(item: dict[str, str]) -> str | None:
    """Presale rows: 분 = 분양권, 입 = 입주권, blank = unknown (upstream-apis.md 6.3)."""
    if "ownershipGbn" not in item:
        return None
    code = item["ownershipGbn"].strip()
    return _OWNERSHIP.get(code, code)


def parse_rent_rows(items: list[dict[str, str]], service: MolitService) -> ParsedRents:
    """Rows with a valid deposit; a blank or missing monthlyRent is 0, i.e. 전세."""
    parsed = ParsedRents()
    for item in items:
        deposit = parse_amount(item.get("deposit"))
        if deposit is None:
            parsed.invalid += 1
            continue
        monthly = parse_amount(item.get("monthlyRent")) or 0
        renewal = item.get("useRRRight", "").strip()
        parsed.valid.append(
            RentItem(
                deal_date=_deal_date(item),
                dong=_blank_none(item.get("umdNm")),
                name=_blank_none(item.get(service.name_field)) if service.name_field else None,
                jibun=_blank_none(item.get("jibun")),
                area_m2=_area(item, service),
                floor=_as_int(item.get("floor")),
                build_year=_as_int(item.get("buildYear")),
                house_type=_blank_none(item.get("houseType")),
                rent_type="전세" if monthly == 0 else "월세",
                deposit_10k=deposit,
                monthly_rent_10k=monthly,
                contract_type=_blank_none(item.get("contractType")),
                contract_term=_blank_none(item.get("contractTerm")),
                renewal_right_used=(renewal == "사용") if "useRRRight" in item else None,
                previous_deposit_10k=parse_amount(item.get("preDeposit")),
                previous_monthly_rent_10k=parse_amount(item.get("preMonthlyRent")),
            )
        )
    return parsed


def _area(item: dict[str, str], service: MolitService) -> float | None:
    if service.area_field is None:
        return None
    text = item.get(service.area_field, "").replace(",", "").strip()
    if not _NUMBER.fullmatch(text):
        return None
    area = float(text)
    return area if area > 0 else None


def _deal_date(item: dict[str, str]) -> str:
    year, month, day = (_as_int(item.get(k)) for k in ("dealYear", "dealMonth", "dealDay"))
    if year is None or month is None:
        return ""
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _blank_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _as_int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else None
