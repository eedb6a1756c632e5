"""Request bodies read with a bound, so a client cannot make a route buffer more than it accepts.

Caddy already caps the OAuth routes' bodies (16 KB, Caddyfile); this bound is the gateway's own, so a
route reached some other way (./scripts/dev, tests) refuses the same way. The caller words the refusal
in its protocol (RFC 6749 JSON, RFC 7591 JSON, the login page).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from auth_gateway.errors import BodyTooLarge

__all__ = ["FORM_CONTENT_TYPE", "content_type", "parse_form", "read_bounded"]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_FIELDS = 20


def content_type(request: Request) -> str:
    """The media type alone, lower case, without parameters such as charset."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_bounded(request: Request, limit: int) -> bytes:
    """The whole body; `BodyTooLarge` as soon as it passes `limit` bytes (nothing more is read)."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise BodyTooLarge(f"the request body is larger than {limit} bytes")
    return bytes(body)


def parse_form(body: bytes) -> list[tuple[str, str]]:
    """urlencoded pairs in order, blanks kept; ValueError (UnicodeDecodeError is one) if unreadable."""
    return parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
