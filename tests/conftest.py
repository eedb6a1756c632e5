"""Session-wide checks that must hold before any test runs."""

from __future__ import annotations

import pytest

from tests.support.shared_fixtures import missing_fixtures_message


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = missing_fixtures_message()
    if problem:
        raise pytest.UsageError(problem)
