"""청약홈 (Applyhome) on api.odcloud.kr: authenticated page requests and odcloud error bodies → errors.

odcloud authenticates with ``Authorization: Infuser <key>`` or a ``serviceKey`` query parameter (the
reference server sent the bare key in the header, which is not the documented form), pages with
``page``/``perPage``, filters with ``cond[FIELD::OP]=value`` and answers errors with honest HTTP codes
and ``{"code": -4, "msg": …}`` bodies (docs/upstream-apis.md, section 3). A data.go.kr gateway body is
classified by the same table as MOLIT's (``upstream.data_go_kr``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mcp_server.config import Settings
from mcp_server.errors import UpstreamAuthError, UpstreamError, UpstreamRequestError, UpstreamResponseError
from mcp_server.upstream.data_go_kr.bodies import gateway_error_in, parse_gateway_xml
from mcp_server.upstream.data_go_kr.error_table import error_for_status
from mcp_server.upstream.http import RawResponse, UpstreamHttp
from mcp_server.upstream.paging import read_remaining_pages

__all__ = [
    "APT_NOTICE_PATH",
    "ODCLOUD_MAX_PAGES",
    "ODCLOUD_PAGE_SIZE",
    "STAT_PATHS",
    "ApplyhomeClient",
    "OdcloudPage",
    "OdcloudRows",
    "parse_odcloud_response",
]

APT_NOTICE_PATH = "15101046/v1/uddi:14a46595-03dd-47d3-a418-d64e52820598"
STAT_PATHS = {
    "applicants": "ApplyhomeStatSvc/v1/getAPTReqstAreaStat",
    "winners": "ApplyhomeStatSvc/v1/getAPTPrzwnerAreaStat",
    "competition": "ApplyhomeStatSvc/v1/getAPTCmpetrtAreaStat",
    "winner_scores": "ApplyhomeStatSvc/v1/getAPTApsPrzwnerStat",
}
# perPage reported to work on odcloud (docs/upstream-apis.md, 3.1); the whole 분양정보 dataset (~2,600 rows)
# is then three pages. ODCLOUD_MAX_PAGES bounds the calls one tool call may spend.
ODCLOUD_PAGE_SIZE = 1000
ODCLOUD_MAX_PAGES = 10
NOTICE_SERVICE = "한국부동산원_청약홈_APT 분양정보 (api.odcloud.kr 15101046)"
STAT_SERVICE = "한국부동산원_청약홈 청약 신청·당첨자 정보 (ApplyhomeStatSvc)"


@dataclass(frozen=True)
class OdcloudPage:
    match_count: int
    data: list[dict[str, Any]]


@dataclass(frozen=True)
class OdcloudRows:
    """Every row matching the filters, read over as many pages as ``match_count`` needs."""

    match_count: int
    rows: list[dict[str, Any]]

    @property
    def complete(self) -> bool:
        return len(self.rows) >= self.match_count


def parse_odcloud_response(raw: RawResponse, service: str) -> OdcloudPage:
    """The page in ``raw`` or the ``UpstreamError`` explaining its absence; body before status."""
    text = raw.body.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if text.startswith("<"):
        raise parse_gateway_xml(raw, service)
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise error_for_status(raw, service, detail=" (not JSON)")
    gateway = gateway_error_in(data, service)
    if gateway is not None:
        raise gateway
    if isinstance(data.get("data"), list) and raw.status_code < 400:
        return OdcloudPage(
            match_count=_int(data.get("matchCount", data.get("totalCount"))),
            data=[row for row in data["data"] if isinstance(row, dict)],
        )
    if "code" in data:
        raise _odcloud_error(_int(data.get("code")), str(data.get("msg", "")), raw, service)
    raise UpstreamResponseError(
        f"{service} answered HTTP {raw.status_code} without data; try again later.", service=service
    )


def _odcloud_error(code: int, msg: str, raw: RawResponse, service: str) -> UpstreamError:
    said = f" (odcloud code {code}: {msg})" if msg else f" (odcloud code {code})"
    if code == -4 or raw.status_code == 401:
        return UpstreamAuthError(
            f"청약홈 (api.odcloud.kr) rejected the key for {service}{said}. Apply for the 청약홈 service "
            "(활용신청) on data.go.kr with the account of your key and set ODCLOUD_API_KEY or "
            "DATA_GO_KR_API_KEY in .env; a newly approved key can take up to an hour to work.",
            service=service,
            code=str(code),
        )
    if code == -3:
        return UpstreamRequestError(
            f"api.odcloud.kr does not know this service{said}: check ODCLOUD_BASE_URL "
            "(https://api.odcloud.kr/api); the dataset may have moved.",
            service=service,
            code=str(code),
        )
    return error_for_status(raw, service, detail=said)


def _int(value: object) -> int:
    try:
        return int(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return 0


class ApplyhomeClient:
    def __init__(self, http: UpstreamHttp, settings: Settings) -> None:
        self.http = http
        self._settings = settings

    async def fetch_page(
        self,
        path: str,
        service: str,
        *,
        page: int = 1,
        per_page: int = 100,
        conds: Mapping[str, str] | None = None,
    ) -> OdcloudPage:
        """One page of ``path`` with ``cond[FIELD::OP]`` filters, e.g. ``{"STAT_DE::EQ": "202501"}``."""
        form, key = self._settings.odcloud_credential()
        params = {"page": str(page), "perPage": str(per_page), "returnType": "JSON"}
        params.update({f"cond[{name}]": value for name, value in (conds or {}).items()})
        headers: dict[str, str] = {"Accept": "application/json"}
        if form == "header":
            headers["Authorization"] = f"Infuser {key}"
        else:
            params["serviceKey"] = key

        def interpret(raw: RawResponse) -> OdcloudPage:
            return parse_odcloud_response(raw, service)

        return await self.http.get(
            f"{self._settings.ODCLOUD_BASE_URL}/{path}",
            params=params,
            headers=headers,
            service=service,
            interpret=interpret,
        )

    async def fetch_all(
        self,
        path: str,
        service: str,
        *,
        conds: Mapping[str, str] | None = None,
        per_page: int = ODCLOUD_PAGE_SIZE,
        max_pages: int = ODCLOUD_MAX_PAGES,
    ) -> OdcloudRows:
        """Page 1, then the pages ``matchCount`` announces (at most ``max_pages``) concurrently.

        odcloud has no sort parameter and the file datasets may ignore ``cond`` filters, so "newest
        first" and client-side filtering are only right over every matching row, not over page 1."""

        async def page(number: int, size: int) -> tuple[int, list[dict[str, Any]]]:
            found = await self.fetch_page(path, service, page=number, per_page=size, conds=conds)
            return found.match_count, found.data

        first = await page(1, per_page)
        rows = await read_remaining_pages(
            page, first, asked_size=per_page, max_pages=max_pages, ask_observed_size=False
        )
        return OdcloudRows(match_count=first[0], rows=rows)
