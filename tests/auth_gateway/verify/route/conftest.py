"""The gateway every GET /verify test module in this folder starts from.

Issuer tokens and our own client_credentials tokens are both enabled, as in a typical deployment; tests
that need another configuration build it with `gateway_client` (tests/auth_gateway/conftest.py).
Function-scoped, as it was when these tests were one module: each test gets a fresh issuer and app.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.auth_gateway.conftest import CLIENT_ID, CLIENT_SECRET, GatewayFactory
from tests.support.oidc_issuer.issuer import OidcTestIssuer


@pytest.fixture
def gateway(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> TestClient:
    """Issuer tokens and our own client_credentials tokens both enabled, as in a typical deployment."""
    return gateway_client(
        OAUTH_ISSUER=issuer.issuer, OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
    )
