"""The odcloud services (``/api/...``: 청약홈 notices and statistics) as the fixtures answer them.

Authentication is by ``Authorization: Infuser <key>`` or ``serviceKey``; none, or ``REJECTED_KEY``,
gets the 401 ``{"code":-4}`` body, and ``up.auth_log`` records which form each request used
(``"header"`` / ``"query"`` / ``None``). ``cond[FIELD::EQ|GTE|LTE|LIKE]`` filters apply to the fixture
rows, unless ``up.odcloud_rejects_conds`` is set: then any ``cond`` gets HTTP 500 (odcloud's answer to
bad parameters, docs/upstream-apis.md, 3.1). Tests replace ``up.odcloud.answer`` (a whole request) or
``up.odcloud.rows`` (a fixture's rows) to bend one answer.
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING, Any

from tests.support.fixture_upstream.answers import JSON, REJECTED_KEY, Answer, int_param, read_fixture

if TYPE_CHECKING:
    from tests.support.fixture_upstream.server import FixtureUpstream

INFO_PATH = "/15101046/v1/uddi:14a46595-03dd-47d3-a418-d64e52820598"


class OdcloudService:
    """Answers odcloud requests; reads ``scenario``, ``slow_seconds`` and ``odcloud_rejects_conds`` live."""

    def __init__(self, upstream: FixtureUpstream) -> None:
        self._upstream = upstream

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        key, form = None, None
        if auth.startswith("Infuser "):
            key, form = auth[len("Infuser ") :].strip(), "header"
        elif query.get("serviceKey"):
            key, form = query["serviceKey"], "query"
        self._upstream.log_auth(path, form)
        if not key or key == REJECTED_KEY:
            return 401, JSON, read_fixture("odcloud_error_401_unregistered_key.json")
        if self._upstream.scenario == "slow":
            time.sleep(self._upstream.slow_seconds)
        if self._upstream.odcloud_rejects_conds and any(k.startswith("cond[") for k in query):
            return 500, JSON, json.dumps({"code": -1, "msg": "fixture: cond not accepted"}).encode()
        if path == INFO_PATH:
            return self.rows("applyhome_apt_info_page1.json", query)
        if path == "/ApplyhomeStatSvc/v1/getAPTReqstAreaStat":
            return self.rows("applyhome_stat_reqst_area_202501.json", query)
        if path.startswith("/ApplyhomeStatSvc/v1/"):
            return (
                200,
                JSON,
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
        return 404, JSON, json.dumps({"code": -3, "msg": "등록되지 않은 서비스 입니다."}).encode()

    def rows(self, name: str, query: dict[str, str]) -> Answer:
        envelope = json.loads(read_fixture(name))
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
        page, per_page = int_param(query.get("page"), 1), int_param(query.get("perPage"), 10)
        shown = rows[(page - 1) * per_page : page * per_page]
        envelope.update(
            currentCount=len(shown), data=shown, matchCount=match_count, page=page, perPage=per_page
        )
        return 200, JSON, json.dumps(envelope, ensure_ascii=False).encode()


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
