"""What every stand-in answer is made of: the fixture files, the content types and the rejected key.

Both stand-in services (MOLIT on data.go.kr, odcloud) read the same fixture directory and reject the
same key, so a test can ask for a refused key without knowing which service it talks to. The files are
synthetic answers in the documented formats; tests/fixtures/upstream/README.md lists what each holds.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.upstream_fixtures import FIXTURES_DIR

REJECTED_KEY = "fixture-rejected-key"
XML = "application/xml;charset=UTF-8"
JSON = "application/json;charset=UTF-8"

Answer = tuple[int, str, bytes]
"""(HTTP status, Content-Type, body): what every stand-in endpoint returns."""


def fixture_path(name: str) -> Path:
    """A fixture file by its name under tests/fixtures/upstream (tests read them directly too)."""
    return FIXTURES_DIR / name


def read_fixture(name: str) -> bytes:
    return fixture_path(name).read_bytes()


def int_param(value: str | None, default: int) -> int:
    """A query integer; missing or garbled means the default, so a malformed request still gets an
    answer instead of a traceback in the stand-in."""
    try:
        return int(value) if value else default
    except ValueError:
        return default
