"""What the unit tests of verify_deployment share: a loopback server per test (tests/e2e's FakeServer,
answering what each test sets), an address where nothing listens, and the lines the user read."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from verify_deployment.deployment import Deployment
from verify_deployment.report import Report

from tests.e2e.fake_deployment import FakeServer
from tests.support.ports import free_port


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    yield fake
    fake.close()


@pytest.fixture
def nothing_listens() -> str:
    """A loopback address that refuses connections."""
    return f"http://127.0.0.1:{free_port()}"


def printed(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The lines printed since the last call, as the user reads them."""
    return capsys.readouterr().out.splitlines()


def checked(run: Callable[[Report, Deployment], object], deployment: Deployment) -> Report:
    """One check's `run` on the deployment; its Report, for the failure count."""
    report = Report()
    run(report, deployment)
    return report
