"""Writes ``tests/fixtures/upstream/lineage/``: months around boundary changes, for both upstream behaviours.

MOLIT files a deal under the code in force when it was reported; whether it re-codes history after a
change is not documented (for 강원 and 전북 it did). So the fixtures hold each behaviour for a different
change, with prices chosen so every expected figure follows by hand (``tests/fixtures/upstream/README.md``,
"Boundary changes"). Month k of a scenario adds k × 1,000 만원 to every price; each trade month also holds
one cancelled deal, which every figure leaves out.

- **Kept under the old code, a split** — 인천 서구 28260 → 서해구 28275 + 검단구 28290 (2026-07):
  202601–202606 only under 28260 (검단 and 서해 rows together), 202607–202610 only under the new codes.
  검단: 당하동 40,000, 마전동 50,000, 원당동 60,000 (+ a cancelled 마전동 99,000); 서해: 청라동 80,000,
  가정동 70,000. 아파트 전월세: 전세 of 검단센트럴 84.9㎡ at 60 % of its price in 202606 (under 28260, with a
  서해 전세 that 검단구 must not get) and 202607 (under 28290).
- **Kept under the old code, a shared 법정동** — 화성시 41590 → 만세·효행·병점·동탄구 (2026-02): 202601 under
  41590 with two 능동 deals (능동 is in both 병점구 and 동탄구) and one in 오산동, which the snapshot lists
  under none of the four 구, 202602 under the four new codes.
- **Re-coded under the new codes** — 인천 중구 28110 / 동구 28140 → 제물포구 28125 + 영종구 28155 (2026-07):
  202605 and 202606 exist only under 28125 and 28155, as if the service had moved its history.
- **A rename (prefix change), re-coded** — 강원 춘천시 42110 → 51110 (2023-06): 202304–202307 only
  under 51110, the behaviour captured for 강원. **A rename, kept** — 군위군 47720 → 27720 (2023-07):
  202306 under 47720, 202307 under 27720.

Deterministic: rerun with ``python -m tests.support.make_lineage_fixtures`` after changing it.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.make_series_fixtures import _document, write_documents
from tests.support.upstream_fixtures import FIXTURES_DIR

LINEAGE_DIR = FIXTURES_DIR / "lineage"

# (법정동, complex, 전용면적, price of month k = 0)
Deal = tuple[str, str, str, int]

GEOMDAN: list[Deal] = [
    ("당하동", "검단센트럴", "84.9", 40000),
    ("마전동", "마전푸르지오", "59.9", 50000),
    ("원당동", "원당자이", "84.5", 60000),
]
GEOMDAN_CANCELLED: Deal = ("마전동", "마전푸르지오", "59.9", 99000)
SEOHAE: list[Deal] = [("청라동", "청라호수", "84.9", 80000), ("가정동", "가정루원", "59.9", 70000)]
SEO_MONTHS = [f"2026{m:02d}" for m in range(1, 11)]  # k = 0 … 9; the change is 202607 (k = 6)

HWASEONG_202601: list[Deal] = [
    ("능동", "능동마을", "84.9", 30000),
    ("능동", "능동마을", "84.9", 34000),
    ("병점동", "병점역", "59.9", 20000),
    ("반송동", "동탄시범", "84.9", 60000),
    ("봉담읍", "봉담센트럴", "84.9", 25000),
    ("향남읍", "향남발안", "84.9", 15000),
    ("오산동", "동탄역센트럴", "84.9", 70000),  # a 법정동 the snapshot lists under no 구: left out, noted
]
HWASEONG_CANCELLED: Deal = ("능동", "능동마을", "84.9", 90000)
HWASEONG_202602: dict[str, list[Deal]] = {
    "41595": [("능동", "능동마을", "84.9", 31000), ("병점동", "병점역", "59.9", 21000)],
    "41597": [("능동", "능동마을", "84.9", 35000), ("반송동", "동탄시범", "84.9", 61000)],
    "41593": [("봉담읍", "봉담센트럴", "84.9", 26000)],
    "41591": [("향남읍", "향남발안", "84.9", 16000)],
}

JEMULPO: list[Deal] = [
    ("신포동", "신포타워", "84.9", 50000),  # from 중구
    ("송림동", "송림휴먼시아", "59.9", 30000),  # from 동구
    ("송현동", "송현솔빛", "84.9", 36000),  # from 동구
]
JEMULPO_CANCELLED: Deal = ("송림동", "송림휴먼시아", "59.9", 88000)
YEONGJONG: list[Deal] = [("운서동", "운서에듀", "84.9", 45000), ("중산동", "하늘도시", "84.9", 55000)]
RECODED_MONTHS = ["202605", "202606"]  # k = 0, 1

CHUNCHEON: list[Deal] = [("퇴계동", "퇴계주공", "84.9", 30000), ("석사동", "석사그린", "59.9", 20000)]
CHUNCHEON_CANCELLED: Deal = ("퇴계동", "퇴계주공", "84.9", 70000)
CHUNCHEON_MONTHS = ["202304", "202305", "202306", "202307"]  # k = 0 … 3

GUNWI: dict[str, tuple[str, list[Deal]]] = {
    "202306": ("47720", [("군위읍", "군위코아루", "84.9", 10000), ("군위읍", "군위코아루", "84.9", 11000)]),
    "202307": ("27720", [("군위읍", "군위코아루", "84.9", 12000), ("군위읍", "군위코아루", "84.9", 13000)]),
}


def trade_row(
    code: str, year_month: str, deal: Deal, step: int, *, cancelled: bool = False
) -> dict[str, str]:
    dong, name, area, price = deal
    return {
        "aptDong": " ",
        "aptNm": name,
        "buildYear": "2020",
        "buyerGbn": "개인",
        "cdealDay": "26.01.28" if cancelled else " ",
        "cdealType": "O" if cancelled else " ",
        "dealAmount": f"{price + 1000 * step:,}",
        "dealDay": "15",
        "dealMonth": str(int(year_month[4:])),
        "dealYear": year_month[:4],
        "dealingGbn": "중개거래",
        "estateAgentSggNm": " ",
        "excluUseAr": area,
        "floor": "7",
        "jibun": "1",
        "landLeaseholdGbn": "N",
        "rgstDate": " ",
        "sggCd": code,
        "slerGbn": "개인",
        "umdNm": dong,
    }


def jeonse_row(code: str, year_month: str, deal: Deal, deposit: int) -> dict[str, str]:
    dong, name, area, _ = deal
    return {
        "aptNm": name,
        "aptSeq": " ",
        "buildYear": "2020",
        "contractTerm": " ",
        "contractType": "신규",
        "dealDay": "20",
        "dealMonth": str(int(year_month[4:])),
        "dealYear": year_month[:4],
        "deposit": f"{deposit:,}",
        "excluUseAr": area,
        "floor": "5",
        "jibun": "1",
        "monthlyRent": "0",
        "preDeposit": " ",
        "preMonthlyRent": " ",
        "roadnm": " ",
        "sggCd": code,
        "umdNm": dong,
        "useRRRight": " ",
    }


def _trades(code: str, year_month: str, deals: list[Deal], step: int, cancelled: Deal | None = None) -> str:
    rows = [trade_row(code, year_month, deal, step) for deal in deals]
    if cancelled is not None:
        rows.append(trade_row(code, year_month, cancelled, 0, cancelled=True))
    return _document(rows)


def documents() -> dict[str, str]:
    docs: dict[str, str] = {}
    for k, ym in enumerate(SEO_MONTHS):
        if k < 6:
            docs[f"apt_trade_28260_{ym}.xml"] = _trades("28260", ym, GEOMDAN + SEOHAE, k, GEOMDAN_CANCELLED)
        else:
            docs[f"apt_trade_28290_{ym}.xml"] = _trades("28290", ym, GEOMDAN, k, GEOMDAN_CANCELLED)
            docs[f"apt_trade_28275_{ym}.xml"] = _trades("28275", ym, SEOHAE, k)
    central = GEOMDAN[0]
    docs["apt_rent_28260_202606.xml"] = _document(
        [
            jeonse_row("28260", "202606", central, (central[3] + 5000) * 60 // 100),
            jeonse_row("28260", "202606", SEOHAE[0], 50000),
        ]
    )
    docs["apt_rent_28290_202607.xml"] = _document(
        [jeonse_row("28290", "202607", central, (central[3] + 6000) * 60 // 100)]
    )
    docs["apt_trade_41590_202601.xml"] = _trades("41590", "202601", HWASEONG_202601, 0, HWASEONG_CANCELLED)
    for code, deals in HWASEONG_202602.items():
        docs[f"apt_trade_{code}_202602.xml"] = _trades(code, "202602", deals, 0)
    for k, ym in enumerate(RECODED_MONTHS):
        docs[f"apt_trade_28125_{ym}.xml"] = _trades("28125", ym, JEMULPO, k, JEMULPO_CANCELLED)
        docs[f"apt_trade_28155_{ym}.xml"] = _trades("28155", ym, YEONGJONG, k)
    for k, ym in enumerate(CHUNCHEON_MONTHS):
        docs[f"apt_trade_51110_{ym}.xml"] = _trades("51110", ym, CHUNCHEON, k, CHUNCHEON_CANCELLED)
    for ym, (code, deals) in GUNWI.items():
        docs[f"apt_trade_{code}_{ym}.xml"] = _trades(code, ym, deals, 0)
    return docs


def write() -> list[Path]:
    return write_documents(LINEAGE_DIR, documents())


if __name__ == "__main__":
    for path in write():
        print(path.relative_to(FIXTURES_DIR))
