"""Where the read-only upstream fixtures live: ``../shared/fixtures/upstream`` beside the clone.

CI lays ``shared/`` next to the checkout; a developer elsewhere sets ``SHARED_FIXTURES_DIR``. The
session refuses to start (tests/conftest.py) when the folder is missing, instead of failing hundreds
of tests one by one with a FileNotFoundError.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = Path(
    os.environ.get("SHARED_FIXTURES_DIR") or REPO_ROOT.parent / "shared" / "fixtures" / "upstream"
)


def missing_fixtures_message() -> str | None:
    """None when the fixtures are there, else what to do about it."""
    if (FIXTURES_DIR / "README.md").is_file():
        return None
    return (
        f"upstream fixtures not found at {FIXTURES_DIR}: the tests need the read-only shared/ folder "
        "beside the clone (../shared/fixtures/upstream), or SHARED_FIXTURES_DIR pointing at it"
    )
