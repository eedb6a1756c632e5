"""How the Management API v2 shapes its answers: the error body and the two paging styles.

Kept apart from the tenant's objects because every endpoint shares them, and because they are what the
auth0-python SDK and auth0_admin parse: ``{statusCode, error, message, errorCode}`` errors, offset paging
(``page``/``per_page``/``include_totals``, the list under its resource name) and checkpoint paging
(``from``/``take`` with ``next``). Pages are capped at the fake's ``page_size`` (Auth0's cap is 100) so
that paging happens with a handful of objects.
"""

from __future__ import annotations

from typing import Any


class ApiFailure(Exception):
    """An error answer; raised inside an endpoint and turned into the response by the dispatcher."""

    def __init__(self, status: int, error: str, message: str, code: str) -> None:
        self.status = status
        self.body = {"statusCode": status, "error": error, "message": message, "errorCode": code}


def not_found(what: str) -> ApiFailure:
    return ApiFailure(404, "Not Found", f"The {what} does not exist.", "inexistent_resource")


def offset_page(
    items: list[dict[str, Any]], key: str, query: dict[str, str], page_size: int
) -> tuple[int, Any]:
    per_page = min(int(query.get("per_page", "50")), page_size)
    page = int(query.get("page", "0"))
    chunk = items[page * per_page : (page + 1) * per_page]
    if query.get("include_totals") == "true":
        return 200, {"start": page * per_page, "limit": per_page, "total": len(items), key: chunk}
    return 200, chunk


def checkpoint_page(
    items: list[dict[str, Any]], key: str, query: dict[str, str], page_size: int
) -> tuple[int, Any]:
    take = min(int(query.get("take", "50")), page_size)
    start = int(query.get("from") or 0)
    chunk = items[start : start + take]
    answer: dict[str, Any] = {key: chunk}
    if start + take < len(items):
        answer["next"] = str(start + take)
    return 200, answer
