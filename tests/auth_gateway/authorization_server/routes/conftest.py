"""Fixtures for the route tests: a server for client metadata documents on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.document_server import DocumentServer


@pytest.fixture
def documents() -> Iterator[DocumentServer]:
    with DocumentServer(host_name="localhost") as server:
        yield server
