"""GET /verify with tokens from a local OIDC issuer on a real loopback socket: which get in, which do not.

The accepted and rejected issuer tokens follow the matrix of issue 3; every rejection must be a 401 with
the RFC 9728 challenge (rejections.py), never a 500. The same rejection matrix runs over a real socket in
test_over_http.py. A rotated key costs one JWKS refresh, and a cached answer never outlives its key.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.auth_gateway.conftest import RESOURCE, GatewayFactory, bearer
from tests.auth_gateway.verify.route.rejections import REJECTED, assert_rejected, jwe_shaped
from tests.support.oidc_issuer.issuer import OidcTestIssuer

# ---- accepted -----------------------------------------------------------------------------------


def test_valid_issuer_token_passes_with_identity_headers(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    response = gateway.get("/verify", headers=bearer(issuer.mint(azp="chatgpt-client")))
    assert response.status_code == 200
    assert response.headers["x-auth-subject"] == issuer.subject
    assert response.headers["x-auth-client-id"] == "chatgpt-client"


@pytest.mark.parametrize(
    "mint",
    [
        pytest.param(lambda i: i.mint(aud=[RESOURCE, i.issuer + "userinfo"]), id="list-aud-with-resource"),
        pytest.param(lambda i: i.mint(typ="at+jwt"), id="typ-at+jwt"),
        pytest.param(lambda i: i.mint(typ="application/at+jwt"), id="typ-application/at+jwt"),
        pytest.param(lambda i: i.mint(typ=None), id="no-typ"),
        pytest.param(lambda i: i.mint(exp_in=-20), id="expired-20s-ago-within-leeway"),
        pytest.param(lambda i: i.mint(nbf_in=20), id="nbf-20s-ahead-within-leeway"),
    ],
)
def test_accepted_issuer_tokens(
    gateway: TestClient, issuer: OidcTestIssuer, mint: Callable[[OidcTestIssuer], str]
) -> None:
    assert gateway.get("/verify", headers=bearer(mint(issuer))).status_code == 200


def test_custom_audience_is_enforced(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> None:
    client = gateway_client(OAUTH_ISSUER=issuer.issuer, AUTH0_AUDIENCE="urn:real-estate-mcp")
    assert client.get("/verify", headers=bearer(issuer.mint(aud="urn:real-estate-mcp"))).status_code == 200
    assert_rejected(
        client.get("/verify", headers=bearer(issuer.mint(aud=RESOURCE))), description="urn:real-estate-mcp"
    )


# ---- after the issuer rotates its key: one JWKS refresh; no cached answer outlives its key -----


def test_rotated_key_is_accepted_after_one_jwks_refresh(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    before = issuer.hits["jwks"]
    issuer.rotate_key()
    for _ in range(3):
        assert gateway.get("/verify", headers=bearer(issuer.mint())).status_code == 200
    assert issuer.hits["jwks"] == before + 1


def test_cached_token_is_dropped_once_its_key_leaves_the_jwks(
    gateway: TestClient, issuer: OidcTestIssuer
) -> None:
    old_token = issuer.mint()
    assert gateway.get("/verify", headers=bearer(old_token)).status_code == 200
    issuer.rotate_key(keep_old=False)
    assert gateway.get("/verify", headers=bearer(issuer.mint())).status_code == 200  # refresh: old key gone
    assert_rejected(gateway.get("/verify", headers=bearer(old_token)))


# ---- rejected -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("mint", "description"), REJECTED)
def test_rejected_issuer_tokens(
    gateway: TestClient, issuer: OidcTestIssuer, mint: Callable[[OidcTestIssuer], str], description: str
) -> None:
    assert_rejected(gateway.get("/verify", headers=bearer(mint(issuer))), description=description)


@pytest.mark.parametrize("token", ["opaque-token-from-auth0", jwe_shaped()], ids=["opaque", "jwe"])
def test_rejection_names_the_auth0_fix_for_opaque_and_jwe_tokens(gateway: TestClient, token: str) -> None:
    body = gateway.get("/verify", headers=bearer(token)).json()
    assert f"create an API whose identifier is {RESOURCE}" in body["error_description"]
    assert "Resource Parameter Compatibility Profile" in body["error_description"]


def test_extra_slash_issuer_rejected_when_issuer_has_none(gateway_client: GatewayFactory) -> None:
    with OidcTestIssuer(audience=RESOURCE, trailing_slash=False) as slashless:
        client = gateway_client(OAUTH_ISSUER=slashless.issuer)
        assert client.get("/verify", headers=bearer(slashless.mint())).status_code == 200
        assert_rejected(client.get("/verify", headers=bearer(slashless.mint(iss=slashless.issuer + "/"))))


def test_hs256_with_public_key_rejected_when_only_issuer_tokens_enabled(
    issuer: OidcTestIssuer, gateway_client: GatewayFactory
) -> None:
    client = gateway_client(OAUTH_ISSUER=issuer.issuer)
    forged = issuer.mint(alg="HS256", hs_secret=issuer.public_key_pem(), kid=issuer.kid)
    assert_rejected(client.get("/verify", headers=bearer(forged)), description="not accepted")
