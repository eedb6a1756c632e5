"""Fetch current 법정동 rows from the 행정안전부 StanReginCd API, for rebuilding the region snapshot.

Only ``scripts/update-region-codes`` uses this (the running server never calls the API: it answers from
the bundled snapshot). Facts followed (docs/upstream-apis.md, section 4): ``type=json`` answers are
sent as ``text/html``, so the body is parsed whatever the content type; ``numOfRows`` is at most 1000; a
name with no rows (unknown, or abolished such as ``강원도``) answers ``RESULT`` INFO-3 with no
``StanReginCd`` key, which means zero rows rather than a failure; the data.go.kr gateway answers key and
quota problems with an ``OpenAPI_ServiceResponse`` (HTTP 200 or 403), read before the status and
classified by the same table as the server's (``upstream.data_go_kr``). Time-outs and 5xx answers are
retried by the server's ``RetryPolicy``. Messages never contain the service key or the request URL.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from mcp_server.errors import RealEstateError, UpstreamAuthError, UpstreamError
from mcp_server.upstream.data_go_kr.bodies import gateway_error_in, parse_gateway_xml
from mcp_server.upstream.http import RawResponse
from mcp_server.upstream.retry import RetryPolicy

__all__ = ["PATH", "StanReginCdError", "fetch_rows"]

PATH = "/1741000/StanReginCd/getStanReginCdList"
SERVICE = "행정안전부_법정동코드 (StanReginCd)"
MAX_ROWS_PER_PAGE = 1000


class StanReginCdError(RealEstateError):
    """The API did not deliver the complete set of rows asked for; the message says what to do."""


def _gateway_error(error: UpstreamError) -> StanReginCdError:
    advice = (
        " If this key is new to the service, apply for 행정안전부_법정동코드 on data.go.kr."
        if isinstance(error, UpstreamAuthError)
        else ""
    )
    return StanReginCdError(f"data.go.kr gateway error {error.code}: {error}{advice}")


def _parse_page(body: str, status: int) -> tuple[int, list[dict[str, Any]]]:
    """Return (totalCount, rows) of one page; INFO-3 is (0, [])."""
    text = body.strip()
    if text.startswith("<"):
        if "OpenAPI_ServiceResponse" in text:
            raise _gateway_error(parse_gateway_xml(RawResponse(status, "", text.encode()), SERVICE))
        raise StanReginCdError(f"expected JSON (type=json) but got XML/HTML with HTTP {status}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StanReginCdError(f"malformed JSON from StanReginCd (HTTP {status}): {exc.msg}") from exc
    if not isinstance(data, dict):
        raise StanReginCdError("unexpected JSON shape from StanReginCd: not an object")
    gateway = gateway_error_in(data, SERVICE)
    if gateway is not None:
        raise _gateway_error(gateway)
    if "StanReginCd" not in data:
        result = data.get("RESULT", {})
        if result.get("resultCode") == "INFO-3":
            return 0, []
        raise StanReginCdError(f"StanReginCd error {result.get('resultCode')}: {result.get('resultMsg')}")
    head: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for part in data["StanReginCd"]:
        for item in part.get("head", []):
            head.update(item)
        rows.extend(part.get("row", []))
    result = head.get("RESULT", {})
    if result.get("resultCode") not in ("INFO-0", None):
        raise StanReginCdError(f"StanReginCd error {result.get('resultCode')}: {result.get('resultMsg')}")
    return int(head.get("totalCount", len(rows))), rows


def _get(client: httpx.Client, url: str, params: dict[str, str | int], retry: RetryPolicy) -> httpx.Response:
    """One page request; time-outs and 5xx answers (transient, as for the server) are tried again."""
    for delay in (*retry.delays(), None):
        try:
            response = client.get(url, params=params)
        except httpx.TimeoutException as exc:
            if delay is None:
                raise StanReginCdError("StanReginCd timed out repeatedly: try again later") from exc
        except httpx.HTTPError as exc:
            raise StanReginCdError(
                f"cannot reach StanReginCd ({type(exc).__name__}): check the base URL"
            ) from exc
        else:
            if response.status_code < 500 or delay is None:
                return response
        time.sleep(delay or 0)
    raise AssertionError("unreachable")  # pragma: no cover - the last delay is None


def fetch_rows(
    base_url: str,
    service_key: str,
    *,
    prefix: str | None = None,
    rows_per_page: int = MAX_ROWS_PER_PAGE,
    timeout: float = 30.0,
    retry: RetryPolicy | None = None,
) -> list[tuple[str, str]]:
    """Every current row (10-digit code, full name), optionally under an address ``prefix``."""
    if not 1 <= rows_per_page <= MAX_ROWS_PER_PAGE:
        raise StanReginCdError(f"rows per page must be 1..{MAX_ROWS_PER_PAGE}")
    url = base_url.rstrip("/") + PATH
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    with httpx.Client(timeout=timeout) as client:
        page, total = 1, None
        while total is None or len(pairs) < total:
            params: dict[str, str | int] = {
                "serviceKey": service_key,
                "pageNo": page,
                "numOfRows": rows_per_page,
                "type": "json",
            }
            if prefix:
                params["locatadd_nm"] = prefix
            response = _get(client, url, params, retry or RetryPolicy())
            page_total, rows = _parse_page(response.text, response.status_code)
            if response.status_code != 200:
                raise StanReginCdError(f"StanReginCd answered HTTP {response.status_code}")
            if total is None:
                total = page_total
            if not rows:
                if page == 1:
                    break
                raise StanReginCdError(
                    f"page {page} came back empty after {len(pairs)} of {total} rows: the listing changed "
                    "while paging or the service is failing; run the update again"
                )
            fresh = [(str(row["region_cd"]), str(row["locatadd_nm"])) for row in rows]
            if any(code in seen for code, _ in fresh):
                raise StanReginCdError(
                    f"page {page} repeats rows already received: the service ignored pageNo or the "
                    "listing changed while paging; run the update again"
                )
            seen.update(code for code, _ in fresh)
            pairs.extend(fresh)
            page += 1
    return pairs
