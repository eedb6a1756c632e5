"""The MOLIT RTMS (실거래가) services we call, one record each: path, labels and which fields matter.

Kept apart from the client and the parser because both need it and it is the one table to edit when
MOLIT adds or renames a service (docs/upstream-apis.md, 1.1 and 1.4).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MOLIT_SERVICES", "MolitService"]


@dataclass(frozen=True)
class MolitService:
    key: str
    path: str
    label: str
    dataset: str
    name_field: str | None
    area_field: str | None
    area_basis: str | None

    @property
    def short_name(self) -> str:
        return self.path.split("/")[1]

    @property
    def display(self) -> str:
        """How errors name the service: the data.go.kr dataset an operator must apply for."""
        return f"{self.dataset} ({self.short_name})"


# key, service, label, data.go.kr dataset (국토교통부_… 실거래가 자료), name tag, area tag, area basis
_TABLE: tuple[tuple[str, str, str, str, str | None, str | None, str | None], ...] = (
    (
        "apt_trade",
        "RTMSDataSvcAptTrade",
        "아파트 매매",
        "아파트 매매",
        "aptNm",
        "excluUseAr",
        "전용면적",
    ),
    (
        "apt_rent",
        "RTMSDataSvcAptRent",
        "아파트 전월세",
        "아파트 전월세",
        "aptNm",
        "excluUseAr",
        "전용면적",
    ),
    (
        "offi_trade",
        "RTMSDataSvcOffiTrade",
        "오피스텔 매매",
        "오피스텔 매매",
        "offiNm",
        "excluUseAr",
        "전용면적",
    ),
    (
        "offi_rent",
        "RTMSDataSvcOffiRent",
        "오피스텔 전월세",
        "오피스텔 전월세",
        "offiNm",
        "excluUseAr",
        "전용면적",
    ),
    (
        "rh_trade",
        "RTMSDataSvcRHTrade",
        "연립다세대 매매",
        "연립다세대 매매",
        "mhouseNm",
        "excluUseAr",
        "전용면적",
    ),
    (
        "rh_rent",
        "RTMSDataSvcRHRent",
        "연립다세대 전월세",
        "연립다세대 전월세",
        "mhouseNm",
        "excluUseAr",
        "전용면적",
    ),
    (
        "sh_trade",
        "RTMSDataSvcSHTrade",
        "단독/다가구 매매",
        "단독/다가구 매매",
        None,
        "totalFloorAr",
        "연면적",
    ),
    (
        "sh_rent",
        "RTMSDataSvcSHRent",
        "단독/다가구 전월세",
        "단독/다가구 전월세",
        None,
        "totalFloorAr",
        "연면적",
    ),
    (
        "nrg_trade",
        "RTMSDataSvcNrgTrade",
        "상업업무용 부동산 매매",
        "상업업무용 부동산 매매",
        None,
        "buildingAr",
        "건물면적",
    ),
    ("land_trade", "RTMSDataSvcLandTrade", "토지 매매", "토지 매매", None, "dealArea", "거래면적"),
    (
        "indu_trade",
        "RTMSDataSvcInduTrade",
        "공장 및 창고 등 매매",
        "공장 및 창고 등 부동산 매매",
        None,
        "buildingAr",
        "건물면적",
    ),
    (
        "silv_trade",
        "RTMSDataSvcSilvTrade",
        "아파트 분양권전매",
        "아파트 분양권전매",
        "aptNm",
        "excluUseAr",
        "전용면적",
    ),
)

MOLIT_SERVICES: dict[str, MolitService] = {
    key: MolitService(
        key=key,
        path=f"1613000/{name}/get{name}",
        label=label,
        dataset=f"국토교통부_{dataset} 실거래가 자료",
        name_field=name_field,
        area_field=area_field,
        area_basis=area_basis,
    )
    for key, name, label, dataset, name_field, area_field, area_basis in _TABLE
}
