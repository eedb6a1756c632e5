"""Writes ``tests/fixtures/upstream/series/``: multi-month fixtures derived from the real-shaped 202501 rows.

The range tools (trend, comparison, 전세가율, complex summary) need many months, and their expected
figures must be computable by hand. So every month is the same set of base rows (the 202501 apartment
trades of three complexes, cancelled row included) with the deal month moved and the price scaled by a
known factor: month k of the series (202301 is k = 0) has price × (100 + k) / 100. Base prices are
multiples of 100 만원, so every scaled price is a whole number and every median scales exactly.

- ``apt_trade_11440_YYYYMM.xml`` for 202301 … 202401 (13 months, k = 0 … 12);
- ``apt_trade_11650_YYYYMM.xml`` for 202312 and 202401: the same rows at twice the 11440 price of that
  month (a second region for compare_regions);
- ``apt_rent_11440_202301.xml``: one 전세 contract per valid trade of 202301 in the same complex, area and
  day, deposit = price × the complex's ratio (마포그랑자이 60 %, 래미안웰스트림 84.97㎡ 50 %, 망원한강한신
  84.6㎡ 55 % and 59.4㎡ 50 %; 래미안웰스트림 114.96㎡ gets none), plus the real 202501 rent rows of
  메세나폴리스 84.93㎡ (전세 only on the rent side) and two 월세 rows (never matched).

Deterministic: rerun with ``python -m tests.support.make_series_fixtures`` after changing it; the
figures the tests expect are in ``tests/fixtures/upstream/README.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.upstream_fixtures import FIXTURES_DIR

SERIES_DIR = FIXTURES_DIR / "series"
BASE_COMPLEXES = ("마포그랑자이", "래미안웰스트림", "망원한강한신")
TREND_MONTHS = [f"2023{m:02d}" for m in range(1, 13)] + ["202401"]
SECOND_REGION = "11650"
SECOND_REGION_MONTHS = ("202312", "202401")
# (complex, area) → 전세 deposit as a fraction of the trade price, in percent
JEONSE_PERCENT = {
    ("마포그랑자이", "84.99"): 60,
    ("마포그랑자이", "59.99"): 60,
    ("래미안웰스트림", "84.97"): 50,
    ("망원한강한신", "84.6"): 55,
    ("망원한강한신", "59.4"): 50,
}
_ITEM = re.compile(r"<item>(.*?)</item>", re.DOTALL)
_TAG = re.compile(r"<(\w+)>([^<]*)</\1>")


def _rows(name: str) -> list[dict[str, str]]:
    text = (FIXTURES_DIR / name).read_text(encoding="utf-8")
    return [dict(_TAG.findall(m.group(1))) for m in _ITEM.finditer(text)]


def base_trades() -> list[dict[str, str]]:
    rows = [row for page in (1, 2, 3) for row in _rows(f"apt_trade_11440_202501_p{page}.xml")]
    return [row for row in rows if row["aptNm"] in BASE_COMPLEXES]


def _price(row: dict[str, str]) -> int:
    return int(row["dealAmount"].replace(",", "").strip())


def _document(rows: list[dict[str, str]]) -> str:
    """The captured RTMS form: one line, tags in alphabetical order, blanks as one space."""
    items = "".join(
        "<item>" + "".join(f"<{k}>{row[k]}</{k}>" for k in sorted(row)) + "</item>" for row in rows
    )
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?><response><header><resultCode>000'
        f"</resultCode><resultMsg>OK</resultMsg></header><body><items>{items}</items><numOfRows>100"
        f"</numOfRows><pageNo>1</pageNo><totalCount>{len(rows)}</totalCount></body></response>"
    )


def trade_month(year_month: str, percent: int, region: str = "11440") -> list[dict[str, str]]:
    """The base rows moved to ``year_month`` with price × percent / 100."""
    rows = []
    for row in base_trades():
        price = _price(row) * percent // 100
        rows.append(
            {
                **row,
                "dealAmount": f"{price:,}",
                "dealYear": year_month[:4],
                "dealMonth": str(int(year_month[4:])),
                "sggCd": region,
            }
        )
    return rows


def jeonse_month() -> list[dict[str, str]]:
    rows = []
    for trade in base_trades():
        percent = JEONSE_PERCENT.get((trade["aptNm"], trade["excluUseAr"]))
        if percent is None or trade["cdealType"].strip() == "O":
            continue
        rows.append(
            {
                "aptNm": trade["aptNm"],
                "aptSeq": " ",
                "buildYear": trade["buildYear"],
                "contractTerm": " ",
                "contractType": "신규",
                "dealDay": trade["dealDay"],
                "dealMonth": "1",
                "dealYear": "2023",
                "deposit": f"{_price(trade) * percent // 100:,}",
                "excluUseAr": trade["excluUseAr"],
                "floor": trade["floor"],
                "jibun": trade["jibun"],
                "monthlyRent": "0",
                "preDeposit": " ",
                "preMonthlyRent": " ",
                "roadnm": " ",
                "sggCd": "11440",
                "umdNm": trade["umdNm"],
                "useRRRight": " ",
            }
        )
    for rent in _rows("apt_rent_11440_202501.xml"):
        if rent["aptNm"] == "메세나폴리스" or (
            rent["aptNm"] in BASE_COMPLEXES and rent["monthlyRent"].strip() != "0"
        ):
            rows.append({**rent, "dealYear": "2023", "dealMonth": "1"})
    return rows


def write() -> list[Path]:
    documents = {
        f"apt_trade_11440_{ym}.xml": _document(trade_month(ym, 100 + k)) for k, ym in enumerate(TREND_MONTHS)
    }
    for ym in SECOND_REGION_MONTHS:
        percent = 2 * (100 + TREND_MONTHS.index(ym))
        documents[f"apt_trade_{SECOND_REGION}_{ym}.xml"] = _document(trade_month(ym, percent, SECOND_REGION))
    documents["apt_rent_11440_202301.xml"] = _document(jeonse_month())
    return write_documents(SERIES_DIR, documents)


def write_documents(folder: Path, documents: dict[str, str]) -> list[Path]:
    """Write each document under its file name in ``folder``; the paths written."""
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in documents.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(path.relative_to(FIXTURES_DIR))
