"""A real loopback HTTP server standing in for apis.data.go.kr and api.odcloud.kr, serving the fixtures.

Used by the MCP tool tests (in a thread: ``with FixtureUpstream() as up:``) and by the end-to-end stack
tests (as a process: ``python -m tests.support.fixture_upstream --port N``). Point
``DATA_GO_KR_BASE_URL`` at ``up.data_go_kr_base_url`` and ``ODCLOUD_BASE_URL`` at ``up.odcloud_base_url``.

MOLIT data (``/1613000/<Service>/<op>``): the rows of every ``<svc>_11440_202501*.xml`` file are pooled
and re-paged the way the real service pages them, for whatever ``numOfRows``/``pageNo`` is asked,
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

A missing ``serviceKey``, or the key ``REJECTED_KEY``, gets gateway code 30 with HTTP 403.
odcloud (``/api/...``): authentication by ``Authorization: Infuser <key>`` or ``serviceKey``; none, or
``REJECTED_KEY``, gets the 401 ``{"code":-4}`` body. ``cond[FIELD::EQ|GTE|LTE|LIKE]`` filters apply to
the fixture rows, unless ``up.odcloud_rejects_conds`` is set: then any ``cond`` gets HTTP 500 (odcloud's
answer to bad parameters, docs/upstream-apis.md, 3.1). ``request_log`` records ``(path, query)`` of every
request, ``auth_log`` how odcloud requests authenticated (``"header"`` / ``"query"`` / ``None``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from tests.support.upstream_fixtures import FIXTURES_DIR

REJECTED_KEY = "fixture-rejected-key"
INFO_PATH = "/15101046/v1/uddi:14a46595-03dd-47d3-a418-d64e52820598"

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
_XML = "application/xml;charset=UTF-8"
_JSON = "application/json;charset=UTF-8"
_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)
_TOTAL = re.compile(r"<totalCount>\s*(\d+)\s*</totalCount>")


def fixture_path(name: str) -> Path:
    return FIXTURES_DIR / name


def _read(name: str) -> bytes:
    return fixture_path(name).read_bytes()


class _QuietServer(ThreadingHTTPServer):
    """Clients that time out hang up on purpose (the slow scenario); that is not worth a traceback."""

    daemon_threads = True
    # Clients fetch pages concurrently; the default backlog of 5 drops further connections, and the
    # kernel's 1 s SYN retry then looks like an upstream timeout to a client with a short timeout.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Dataset:
    """The rows of one month, pooled from one or more files, re-paged on demand."""

    def __init__(self, files: list[str]) -> None:
        texts = [_read(f).decode("utf-8") for f in files]
        self.files = files
        self.items = [m.group(0) for text in texts for m in _ITEM.finditer(text)]
        totals = [int(m.group(1)) for text in texts if (m := _TOTAL.search(text))]
        self.total = totals[0] if totals else len(self.items)

    def page(self, page_no: int, num_of_rows: int) -> bytes:
        if len(self.files) == 1 and page_no == 1 and num_of_rows >= len(self.items):
            return _read(self.files[0])
        start = (page_no - 1) * num_of_rows
        rows = self.items[start : start + num_of_rows]
        return _envelope("000", "OK", rows, num_of_rows, page_no, self.total)


def _envelope(code: str, msg: str, rows: list[str], num_of_rows: int, page_no: int, total: int) -> bytes:
    items = "<items>" + "".join(rows) + "</items>" if rows else "<items/>"
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
        f"<response><header><resultCode>{code}</resultCode><resultMsg>{msg}</resultMsg></header>"
        f"<body>{items}<numOfRows>{num_of_rows}</numOfRows><pageNo>{page_no}</pageNo>"
        f"<totalCount>{total}</totalCount></body></response>"
    ).encode()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


class FixtureUpstream:
    """Serve the fixtures on 127.0.0.1 in a background thread (or in the foreground via ``serve``)."""

    def __init__(self, port: int = 0, *, slow_seconds: float = 3.0) -> None:
        self.slow_seconds = slow_seconds
        self.scenario: str | None = None
        self.odcloud_rejects_conds = False
        self.failing_months: set[str] = set()
        self.request_log: list[tuple[str, dict[str, str]]] = []
        self.auth_log: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        self._seen: set[tuple[str, ...]] = set()
        self._datasets: dict[tuple[str, str, str], _Dataset] = {}
        self._httpd = _QuietServer(("127.0.0.1", port), self._handler_class())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def data_go_kr_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def odcloud_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def requests_to(self, fragment: str) -> list[dict[str, str]]:
        """Queries of the logged requests whose path contains ``fragment``."""
        with self._lock:
            return [query for path, query in self.request_log if fragment in path]

    def clear_log(self) -> None:
        with self._lock:
            self.request_log.clear()
            self.auth_log.clear()
            self._seen.clear()

    def __enter__(self) -> FixtureUpstream:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fixture-upstream", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve(self) -> None:
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    # ------------------------------------------------------------------ routing -----------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                with upstream._lock:
                    upstream.request_log.append((parts.path, query))
                status, content_type, body = upstream._route(parts.path, query, dict(self.headers.items()))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

        return Handler

    def _route(self, path: str, query: dict[str, str], headers: dict[str, str]) -> tuple[int, str, bytes]:
        if path.startswith("/api/"):
            return self._odcloud(path[len("/api") :], query, headers)
        if path.startswith("/1613000/"):
            return self._molit(path, query)
        if path == "/1741000/StanReginCd/getStanReginCdList":
            return self._stanregincd(query)
        return 404, "text/plain", b"Not Found"

    def _molit(self, path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        key = query.get("serviceKey", "")
        if not key or key == REJECTED_KEY:
            return 403, _XML, _read("gateway_30_service_key_not_registered.xml")
        service = path.split("/")[2]
        lawd, ymd = query.get("LAWD_CD", ""), query.get("DEAL_YMD", "")
        page_no, rows = _int(query.get("pageNo"), 1), _int(query.get("numOfRows"), 10)
        if ymd in self.failing_months:
            return 200, _XML, _read("apt_trade_11440_202501_resultcode_01.xml")
        scenario = self.scenario or SCENARIOS_BY_LAWD.get(lawd)
        if scenario is not None:
            if scenario == "echo_key_text":
                return 400, "text/plain", f"Unexpected errors: key {key} / {quote(key, safe='')}".encode()
            answer = self._molit_scenario(scenario, (service, lawd, ymd, str(page_no), str(rows)))
            if answer is not None:
                return answer
            lawd = "11440"
        return 200, _XML, self._molit_data(service, lawd, ymd, page_no, rows)

    def _molit_scenario(self, scenario: str, request_id: tuple[str, ...]) -> tuple[int, str, bytes] | None:
        if scenario in ("gateway_30", "gateway_30_403"):
            return (
                (403 if scenario.endswith("403") else 200),
                _XML,
                _read("gateway_30_service_key_not_registered.xml"),
            )
        if scenario in ("gateway_22", "gateway_22_403"):
            return (403 if scenario.endswith("403") else 200), _XML, _read("gateway_22_limit_exceeded.xml")
        if scenario == "resultcode_01":
            return 200, _XML, _read("apt_trade_11440_202501_resultcode_01.xml")
        if scenario == "resultcode_01_once":
            with self._lock:
                first = request_id not in self._seen
                self._seen.add(request_id)
            return (200, _XML, _read("apt_trade_11440_202501_resultcode_01.xml")) if first else None
        if scenario == "slow":
            time.sleep(self.slow_seconds)
            return None
        if scenario == "forbidden_text":
            return 403, "text/plain", b"Forbidden"
        if scenario == "html_502":
            return 502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        if scenario == "truncated":
            body = _read("apt_trade_11440_202501_p1.xml")
            return 200, _XML, body[: len(body) // 2]
        if scenario == "gateway_22_later":
            return None if request_id[3] == "1" else (200, _XML, _read("gateway_22_limit_exceeded.xml"))
        if scenario == "nodata_03":
            return 200, _XML, _read("apt_trade_11440_200511_nodata_03.xml")
        raise ValueError(f"unknown fixture scenario {scenario!r}")

    def _molit_data(self, service: str, lawd: str, ymd: str, page_no: int, rows: int) -> bytes:
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
                return _read("apt_trade_11440_200511_empty.xml")
        for folder in (SERIES, LINEAGE):
            if not files and prefix and (FIXTURES_DIR / folder / f"{prefix}_{lawd}_{ymd}.xml").exists():
                files = [f"{folder}/{prefix}_{lawd}_{ymd}.xml"]
        if not files:
            return _envelope("000", "OK", [], rows, page_no, 0)
        with self._lock:
            dataset = self._datasets.get((service, lawd, ymd))
            if dataset is None:
                dataset = self._datasets[(service, lawd, ymd)] = _Dataset(files)
        return dataset.page(page_no, rows)

    def _odcloud(self, path: str, query: dict[str, str], headers: dict[str, str]) -> tuple[int, str, bytes]:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        key, form = None, None
        if auth.startswith("Infuser "):
            key, form = auth[len("Infuser ") :].strip(), "header"
        elif query.get("serviceKey"):
            key, form = query["serviceKey"], "query"
        with self._lock:
            self.auth_log.append((path, form))
        if not key or key == REJECTED_KEY:
            return 401, _JSON, _read("odcloud_error_401_unregistered_key.json")
        if self.scenario == "slow":
            time.sleep(self.slow_seconds)
        if self.odcloud_rejects_conds and any(k.startswith("cond[") for k in query):
            return 500, _JSON, json.dumps({"code": -1, "msg": "fixture: cond not accepted"}).encode()
        if path == INFO_PATH:
            return self._odcloud_rows("applyhome_apt_info_page1.json", query)
        if path == "/ApplyhomeStatSvc/v1/getAPTReqstAreaStat":
            return self._odcloud_rows("applyhome_stat_reqst_area_202501.json", query)
        if path.startswith("/ApplyhomeStatSvc/v1/"):
            return (
                200,
                _JSON,
                json.dumps(
                    {
                        "currentCount": 0,
                        "data": [],
                        "matchCount": 0,
                        "page": 1,
                        "perPage": 10,
                        "totalCount": 0,
                    }
                ).encode(),
            )
        return 404, _JSON, json.dumps({"code": -3, "msg": "등록되지 않은 서비스 입니다."}).encode()

    def _odcloud_rows(self, name: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        envelope = json.loads(_read(name))
        rows: list[dict[str, Any]] = envelope["data"]
        conds = [
            (m.group(1), m.group(2), v)
            for k, v in query.items()
            if (m := re.fullmatch(r"cond\[(.+)::(\w+)\]", k))
        ]
        match_count = envelope["matchCount"]
        if conds:
            rows = [r for r in rows if all(_cond(r.get(f), op, v) for f, op, v in conds)]
            match_count = len(rows)
        page, per_page = _int(query.get("page"), 1), _int(query.get("perPage"), 10)
        shown = rows[(page - 1) * per_page : page * per_page]
        envelope.update(
            currentCount=len(shown), data=shown, matchCount=match_count, page=page, perPage=per_page
        )
        return 200, _JSON, json.dumps(envelope, ensure_ascii=False).encode()

    def _stanregincd(self, query: dict[str, str]) -> tuple[int, str, bytes]:
        if query.get("locatadd_nm") == "서울특별시 마포구" and _int(query.get("pageNo"), 1) == 1:
            return 200, "text/html;charset=UTF-8", _read("stanregincd_mapo_page1.json")
        return 200, "text/html;charset=UTF-8", _read("stanregincd_nodata_info3.json")


def _cond(value: Any, op: str, wanted: str) -> bool:
    text = "" if value is None else str(value)
    if op == "EQ":
        return text == wanted
    if op == "LIKE":
        return wanted in text
    if op in ("GT", "GTE", "LT", "LTE"):
        if not text:
            return False
        return {"GT": text > wanted, "GTE": text >= wanted, "LT": text < wanted, "LTE": text <= wanted}[op]
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the shared upstream fixtures on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    args = parser.parse_args()
    upstream = FixtureUpstream(args.port, slow_seconds=args.slow_seconds)
    print(f"DATA_GO_KR_BASE_URL={upstream.data_go_kr_base_url}", flush=True)
    print(f"ODCLOUD_BASE_URL={upstream.odcloud_base_url}", flush=True)
    upstream.serve()


if __name__ == "__main__":
    main()
