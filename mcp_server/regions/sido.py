"""The 시도 and every spelling people use for them: the one table behind the region index and 청약홈.

Each row is a 시도 as 청약홈 names it (the short 공급지역명 with its 3-digit area code) and the spellings
that mean it: the official name, the ``…시``/``…도`` forms and former official names. The region index
accepts all of them (a former name with a note, from ``data/region_successors.json``); the 청약 tools
accept all of them too. ``tests/mcp_server/regions/test_sido.py`` holds the two to the same set.

전남광주통합특별시 is one 시도 in the 법정동 snapshot, while 청약홈 still publishes 광주 and 전남 apart
(codes 500 and 513), so its row has no 청약홈 code and the 청약 tools ask for one of the two instead.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SIDO", "Sido", "sido_named"]


@dataclass(frozen=True)
class Sido:
    short: str  # 청약홈 공급지역명, and what people say: 서울, 경기, 전북
    applyhome_code: str | None  # 청약홈 공급지역코드 / SUBSCRPT_AREA_CODE
    names: tuple[str, ...]  # official name first, then other spellings and former official names

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.short, *self.names)


SIDO: tuple[Sido, ...] = (
    Sido("서울", "100", ("서울특별시", "서울시")),
    Sido("부산", "600", ("부산광역시", "부산시")),
    Sido("대구", "700", ("대구광역시", "대구시")),
    Sido("인천", "400", ("인천광역시", "인천시")),
    Sido("광주", "500", ("광주광역시", "광주시")),
    Sido("대전", "300", ("대전광역시", "대전시")),
    Sido("울산", "680", ("울산광역시", "울산시")),
    Sido("세종", "338", ("세종특별자치시", "세종시")),
    Sido("경기", "410", ("경기도",)),
    Sido("강원", "200", ("강원특별자치도", "강원도")),
    Sido("충북", "360", ("충청북도",)),
    Sido("충남", "312", ("충청남도",)),
    Sido("전북", "560", ("전북특별자치도", "전라북도", "전북도")),
    Sido("전남", "513", ("전라남도",)),
    Sido("경북", "712", ("경상북도",)),
    Sido("경남", "621", ("경상남도",)),
    Sido("제주", "690", ("제주특별자치도", "제주도")),
    Sido("전남광주", None, ("전남광주통합특별시", "광주전남")),
)

_BY_SPELLING = {spelling: sido for sido in SIDO for spelling in sido.spellings}


def sido_named(text: str) -> Sido | None:
    """The 시도 a spelling means ('부산시' → 부산), or None when it is not a 시도 spelling."""
    return _BY_SPELLING.get(text)
