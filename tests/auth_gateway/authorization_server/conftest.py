"""The gateway most authorization-server tests talk to: owner login switched on.

With owner login the gateway serves the `.env` client and clients that register themselves, and
shows the owner's login page, which is what Claude and ChatGPT meet. A module that needs other
settings (no owner login, a state file of its own, loopback metadata documents) defines its own
`client` fixture, which takes precedence over this one.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.auth_gateway.conftest import GatewayFactory, owner_login_settings


@pytest.fixture
def client(gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(**owner_login_settings())
