"""MOLIT rows (stripped tag → text maps) → trade and rent items, counted by the fixtures' rules.

Counting rules (docs/upstream-apis.md, section 6): values are stripped; an amount is valid when, without
whitespace and commas, it is a non-empty run of ASCII digits; a trade row is cancelled when
``cdealType`` is ``O``; a rent row is valid when its deposit is; a blank monthlyRent is 0 (전세).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mcp_server.models.months import RentItem, TradeItem
from mcp_server.molit.services import MolitService

__all__ = [
    "ParsedRents",
    "ParsedTrades",
    "is_cancelled",
    "parse_amount",
    "parse_rent_rows",
    "parse_trade_rows",
]

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
    """Presale rows: 분 = 분양권, 입 = 입주권, blank = unknown (docs/upstream-apis.md, 1.4)."""
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


def _blank_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _as_int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else None
