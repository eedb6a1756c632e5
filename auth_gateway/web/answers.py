"""The answers every route shares: never cached (tokens, client ids and the status are in them), and
one shape for "too many tries" so every client sees the same 429 with its Retry-After."""

from __future__ import annotations

from fastapi.responses import JSONResponse

__all__ = ["NO_STORE", "too_many_requests"]

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def too_many_requests(description: str, retry_after: int) -> JSONResponse:
    return JSONResponse(
        {"error": "too_many_requests", "error_description": f"{description}; retry in {retry_after} s"},
        status_code=429,
        headers={**NO_STORE, "Retry-After": str(retry_after)},
    )
