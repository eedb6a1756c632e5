"""The MOLIT real-transaction services (``/1613000/<Service>/<op>``) as the fixtures answer them.

The rows of every ``<svc>_11440_202501*.xml`` file are pooled and re-paged (molit_pages) the way the
real service pages them, for whatever ``numOfRows``/``pageNo`` is asked,
keeping the file's ``totalCount`` (the apartment set: 250 rows over three files). A request that is
exactly what a single file holds gets that file byte for byte (so the pretty-printed one is served as
is). Other months: 202412 → the cancelled file, 200511 → the ``000`` empty form, a month with a file in
``series/`` (``<svc>_<LAWD>_<YYYYMM>.xml``: 11440 202301–202401, 11650 202312–202401, the 11440 전세
month 202301) or in ``lineage/`` (months around boundary changes: 28260/28275/28290, 41590 and its 구,
28125/28155, 51110, 47720/27720) → that file, anything else → an empty month. A DEAL_YMD in
``up.failing_months`` gets resultCode 01 every time (a failing month inside a range). Scenarios are
chosen by LAWD_CD (so a separate process can be steered too) or for every request by setting
``up.scenario``:

======  ==================  =================================================================
LAWD    scenario            answer
======  ==================  =================================================================
11110   gateway_30          gateway code 30 (key not registered), HTTP 200
11140   gateway_30_403      the same with HTTP 403
11170   gateway_22          gateway code 22 (quota exceeded), HTTP 200
11200   gateway_22_403      the same with HTTP 403
11215   resultcode_01_once  resultCode 01 on the first request of each page, then 11440's data
11230   resultcode_01       resultCode 01 every time
11260   slow                sleeps ``slow_seconds`` before answering with 11440's data
11290   forbidden_text      plain-text ``Forbidden`` with HTTP 403
11305   html_502            an HTML error page with HTTP 502
11320   truncated           the first half of a page, HTTP 200
11350   gateway_22_later    page 1 is 11440's data, every later page gateway code 22 (HTTP 200)
11410   nodata_03           the documented ``03 No Data`` empty form
11470   echo_key_text       plain text quoting the key it received, HTTP 400 (as a proxy error page might)
======  ==================  =================================================================

A missing ``serviceKey``, or the key ``REJECTED_KEY``, gets gateway code 30 with HTTP 403. Tests replace
``up.molit.answer`` (a whole request) or ``up.molit.data`` (a month's page) to bend one answer.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import quote

from tests.support.fixture_upstream.answers import REJECTED_KEY, XML, Answer, int_param, read_fixture
from tests.support.fixture_upstream.molit_pages import Dataset, envelope
from tests.support.upstream_fixtures import FIXTURES_DIR

if TYPE_CHECKING:
    from tests.support.fixture_upstream.server import FixtureUpstream

SCENARIOS_BY_LAWD = {
    "11110": "gateway_30",
    "11140": "gateway_30_403",
    "11170": "gateway_22",
    "11200": "gateway_22_403",
    "11215": "resultcode_01_once",
    "11230": "resultcode_01",
    "11260": "slow",
    "11290": "forbidden_text",
    "11305": "html_502",
    "11320": "truncated",
    "11350": "gateway_22_later",
    "11410": "nodata_03",
    "11470": "echo_key_text",
}

# Service → file prefix of its 202501 data for LAWD_CD 11440.
_FILE_PREFIX = {
    "RTMSDataSvcAptTrade": "apt_trade",
    "RTMSDataSvcAptRent": "apt_rent",
    "RTMSDataSvcOffiTrade": "offi_trade",
    "RTMSDataSvcOffiRent": "offi_rent",
    "RTMSDataSvcRHTrade": "rh_trade",
    "RTMSDataSvcRHRent": "rh_rent",
    "RTMSDataSvcSHTrade": "sh_trade",
    "RTMSDataSvcSHRent": "sh_rent",
    "RTMSDataSvcNrgTrade": "nrg_trade",
    "RTMSDataSvcLandTrade": "land_trade",
    "RTMSDataSvcInduTrade": "indu_trade",
    "RTMSDataSvcSilvTrade": "silv_trade",
}
SERIES = "series"  # multi-month files written by tests.support.make_series_fixtures
LINEAGE = "lineage"  # months around boundary changes, written by tests.support.make_lineage_fixtures


class MolitService:
    """Answers MOLIT requests; reads ``scenario``, ``failing_months`` and ``slow_seconds`` live."""

    def __init__(self, upstream: FixtureUpstream) -> None:
        self._upstream = upstream
        self._lock = threading.Lock()
        self._seen: set[tuple[str, ...]] = set()
        self._datasets: dict[tuple[str, str, str], Dataset] = {}

    def forget_seen(self) -> None:
        """Start ``resultcode_01_once`` afresh: every page fails once again."""
        with self._lock:
            self._seen.clear()

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        key = query.get("serviceKey", "")
        if not key or key == REJECTED_KEY:
            return 403, XML, read_fixture("gateway_30_service_key_not_registered.xml")
        service = path.split("/")[2]
        lawd, ymd = query.get("LAWD_CD", ""), query.get("DEAL_YMD", "")
        page_no, rows = int_param(query.get("pageNo"), 1), int_param(query.get("numOfRows"), 10)
        if ymd in self._upstream.failing_months:
            return 200, XML, read_fixture("apt_trade_11440_202501_resultcode_01.xml")
        scenario = self._upstream.scenario or SCENARIOS_BY_LAWD.get(lawd)
        if scenario is not None:
            if scenario == "echo_key_text":
                return 400, "text/plain", f"Unexpected errors: key {key} / {quote(key, safe='')}".encode()
            answer = self._scenario(scenario, (service, lawd, ymd, str(page_no), str(rows)))
            if answer is not None:
                return answer
            lawd = "11440"
        return 200, XML, self.data(service, lawd, ymd, page_no, rows)

    def _scenario(self, scenario: str, request_id: tuple[str, ...]) -> Answer | None:
        if scenario in ("gateway_30", "gateway_30_403"):
            return (
                (403 if scenario.endswith("403") else 200),
                XML,
                read_fixture("gateway_30_service_key_not_registered.xml"),
            )
        if scenario in ("gateway_22", "gateway_22_403"):
            return (
                (403 if scenario.endswith("403") else 200),
                XML,
                read_fixture("gateway_22_limit_exceeded.xml"),
            )
        if scenario == "resultcode_01":
            return 200, XML, read_fixture("apt_trade_11440_202501_resultcode_01.xml")
        if scenario == "resultcode_01_once":
            with self._lock:
                first = request_id not in self._seen
                self._seen.add(request_id)
            return (200, XML, read_fixture("apt_trade_11440_202501_resultcode_01.xml")) if first else None
        if scenario == "slow":
            time.sleep(self._upstream.slow_seconds)
            return None
        if scenario == "forbidden_text":
            return 403, "text/plain", b"Forbidden"
        if scenario == "html_502":
            return 502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        if scenario == "truncated":
            body = read_fixture("apt_trade_11440_202501_p1.xml")
            return 200, XML, body[: len(body) // 2]
        if scenario == "gateway_22_later":
            return None if request_id[3] == "1" else (200, XML, read_fixture("gateway_22_limit_exceeded.xml"))
        if scenario == "nodata_03":
            return 200, XML, read_fixture("apt_trade_11440_200511_nodata_03.xml")
        raise ValueError(f"unknown fixture scenario {scenario!r}")

    def data(self, service: str, lawd: str, ymd: str, page_no: int, rows: int) -> bytes:
        prefix = _FILE_PREFIX.get(service)
        files: list[str] = []
        if prefix and lawd == "11440":
            if ymd == "202501":
                files = sorted(
                    p.name
                    for p in FIXTURES_DIR.glob(f"{prefix}_11440_202501*.xml")
                    if not p.name.endswith("_resultcode_01.xml")
                )
            elif ymd == "202412" and prefix == "apt_trade":
                files = ["apt_trade_11440_202412_cancelled.xml"]
            elif ymd == "200511" and prefix == "apt_trade" and page_no == 1:
                return read_fixture("apt_trade_11440_200511_empty.xml")
        for folder in (SERIES, LINEAGE):
            if not files and prefix and (FIXTURES_DIR / folder / f"{prefix}_{lawd}_{ymd}.xml").exists():
                files = [f"{folder}/{prefix}_{lawd}_{ymd}.xml"]
        if not files:
            return envelope("000", "OK", [], rows, page_no, 0)
        with self._lock:
            dataset = self._datasets.get((service, lawd, ymd))
            if dataset is None:
                dataset = self._datasets[(service, lawd, ymd)] = Dataset(files)
        return dataset.page(page_no, rows)
