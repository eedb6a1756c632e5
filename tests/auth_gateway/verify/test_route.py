"""GET /verify against tokens from a local OIDC issuer on a real loopback socket: who gets in, who does not.

Every rejection must be a 401 with the RFC 9728 challenge MCP clients start discovery from, never a
500; the matrix follows issue 3.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from auth_gateway.app import create_app
from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    RESOURCE,
    RESOURCE_METADATA,
    GatewayFactory,
    bearer,
    oauth_settings,
)
from tests.support.oidc_issuer.issuer import OidcTestIssuer
from tests.support.oidc_issuer.jws import b64url
from tests.support.uvicorn_thread import serve_in_thread

BARE_CHALLENGE = f'Bearer resource_metadata="{RESOURCE_METADATA}"'


def assert_rejected(response: Any, *, description: str | None = None) -> None:
    assert response.status_code == 401, response.text
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith(BARE_CHALLENGE)
    assert 'error="invalid_token"' in challenge
    assert response.json()["error"] == "invalid_token"
    assert "x-auth-subject" not in response.headers
    if description is not None:
        assert description in response.json()["error_description"]
        assert description in challenge


@pytest.fixture
def gateway(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> TestClient:
    """Issuer tokens and our own client_credentials tokens both enabled, as in a typical deployment."""
    return gateway_client(
        OAUTH_ISSUER=issuer.issuer, OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
    )


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


def test_own_client_credentials_token_passes(gateway: TestClient) -> None:
    token = gateway.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    ).json()["access_token"]
    response = gateway.get("/verify", headers=bearer(token))
    assert response.status_code == 200
    assert response.headers["x-auth-subject"] == CLIENT_ID
    assert response.headers["x-auth-client-id"] == CLIENT_ID


def test_only_get_takes_the_fast_path_other_methods_are_refused_as_before(
    gateway: TestClient, issuer: OidcTestIssuer
) -> None:
    """GET /verify skips FastAPI's routing (auth_gateway/app.py); anything else must still be routed."""
    token = issuer.mint()
    assert gateway.get("/verify", headers=bearer(token)).status_code == 200
    for method in ("POST", "PUT", "DELETE"):
        response = gateway.request(method, "/verify", headers=bearer(token))
        assert response.status_code == 405, method
        assert "x-auth-subject" not in response.headers
    assert gateway.get("/verify/", headers=bearer(token)).status_code != 200


# ---- rejected -----------------------------------------------------------------------------------


def _tamper_signature(token: str) -> str:
    head, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[10] ^= 0x01
    return f"{head}.{payload}.{b64url(bytes(raw))}"


def _tamper_payload(token: str) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "admin"
    return f"{head}.{b64url(json.dumps(claims).encode())}.{signature}"


def _jwe_shaped(_: object = None) -> str:
    header = b64url(json.dumps({"alg": "dir", "enc": "A256GCM"}).encode())
    return f"{header}..{b64url(b'iv' * 6)}.{b64url(b'ciphertext' * 8)}.{b64url(b'tag' * 5)}"


REJECTED: list[object] = [
    pytest.param(lambda i: i.mint(exp_in=-120), "expired", id="expired"),
    pytest.param(lambda i: i.mint(nbf_in=300), "not valid yet", id="nbf-in-future"),
    pytest.param(lambda i: i.mint(exp_in=-65), "expired", id="expired-just-past-60s-leeway"),
    pytest.param(lambda i: i.mint(nbf_in=65), "not valid yet", id="nbf-just-past-60s-leeway"),
    pytest.param(lambda i: i.mint(exp=None), "exp", id="no-exp"),
    pytest.param(lambda i: i.mint(sub=None), "sub", id="no-sub"),
    pytest.param(lambda i: i.mint(iss="http://127.0.0.1:9/"), "not issued by", id="wrong-iss"),
    pytest.param(
        lambda i: i.mint(iss=i.issuer.rstrip("/")), "not issued by", id="iss-missing-trailing-slash"
    ),
    pytest.param(lambda i: i.mint(iss=i.issuer + "/"), "not issued by", id="iss-extra-trailing-slash"),
    pytest.param(lambda i: i.mint(iss=None), "iss", id="no-iss"),
    pytest.param(lambda i: i.mint(aud="http://127.0.0.1:9/mcp"), "audience", id="wrong-aud"),
    pytest.param(lambda i: i.mint(aud=RESOURCE + "/"), "audience", id="aud-trailing-slash"),
    pytest.param(
        lambda i: i.mint(aud=[BASE_URL, i.issuer + "userinfo"]), "audience", id="list-aud-without-resource"
    ),
    pytest.param(lambda i: i.mint(aud=None), "aud", id="no-aud"),
    pytest.param(lambda i: i.mint(alg="none"), "not accepted", id="alg-none"),
    pytest.param(lambda i: i.mint(headers={"alg": "ES256"}), "not accepted", id="alg-es256-not-enabled"),
    pytest.param(lambda i: i.mint(headers={"alg": "RS512"}), "not accepted", id="alg-rs512"),
    pytest.param(lambda i: i.mint(alg="none", typ="JWT", kid=i.kid), "not accepted", id="alg-none-with-kid"),
    pytest.param(
        lambda i: i.mint(alg="HS256", hs_secret=i.public_key_pem(), kid=i.kid),
        "signature",
        id="hs256-with-public-key",
    ),
    pytest.param(lambda i: _tamper_signature(i.mint()), "signature", id="signature-tampered"),
    pytest.param(lambda i: _tamper_payload(i.mint()), "signature", id="payload-tampered"),
    pytest.param(lambda i: i.mint(kid="not-published"), "does not publish", id="unknown-kid"),
    pytest.param(lambda i: i.mint(headers={"kid": None}), "kid", id="no-kid"),
    pytest.param(lambda i: i.mint(typ="JWE"), "typ", id="typ-not-jwt"),
    pytest.param(lambda i: i.mint(headers={"crit": ["exp"], "exp": 1}), "crit", id="crit-header"),
    pytest.param(
        lambda i: i.mint(headers={"jku": "http://127.0.0.1:9/jwks", "kid": "x"}), "does not publish", id="jku"
    ),
    pytest.param(_jwe_shaped, "encrypted (JWE)", id="jwe-shaped"),
    pytest.param(lambda i: "dGhpcyBpcyBvcGFxdWU", "opaque", id="opaque"),
    pytest.param(lambda i: "garbage.garbage.garbage", "well-formed", id="garbage-3-parts"),
    pytest.param(lambda i: "a" * 8192, "longer than", id="8kb-token"),
    pytest.param(lambda i: i.mint(padding="p" * 8192), "longer than", id="8kb-validly-signed"),
]


@pytest.mark.parametrize(("mint", "description"), REJECTED)
def test_rejected_issuer_tokens(
    gateway: TestClient, issuer: OidcTestIssuer, mint: Callable[[OidcTestIssuer], str], description: str
) -> None:
    assert_rejected(gateway.get("/verify", headers=bearer(mint(issuer))), description=description)


@pytest.mark.parametrize("token", ["opaque-token-from-auth0", _jwe_shaped()], ids=["opaque", "jwe"])
def test_rejection_names_the_auth0_fix_for_opaque_and_jwe_tokens(gateway: TestClient, token: str) -> None:
    body = gateway.get("/verify", headers=bearer(token)).json()
    assert f"create an API whose identifier is {RESOURCE}" in body["error_description"]
    assert "Resource Parameter Compatibility Profile" in body["error_description"]


def test_extra_slash_issuer_rejected_when_issuer_has_none(gateway_client: GatewayFactory) -> None:
    with OidcTestIssuer(audience=RESOURCE, trailing_slash=False) as slashless:
        client = gateway_client(OAUTH_ISSUER=slashless.issuer)
        assert client.get("/verify", headers=bearer(slashless.mint())).status_code == 200
        assert_rejected(client.get("/verify", headers=bearer(slashless.mint(iss=slashless.issuer + "/"))))


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer", id="bearer-without-token"),
        pytest.param("Bearer    ", id="bearer-spaces"),
        pytest.param("Basic dXNlcjpwYXNz", id="basic-scheme"),
        pytest.param("Token abc.def.ghi", id="other-scheme"),
        pytest.param("Bearer abc def", id="two-tokens"),
        pytest.param("Bearer \u00e9t\u00e9.x.y", id="non-ascii"),
    ],
)
def test_malformed_authorization_headers(gateway: TestClient, authorization: str) -> None:
    assert_rejected(gateway.get("/verify", headers={b"Authorization": authorization.encode("latin-1")}))


def test_no_token_gets_the_bare_discovery_challenge(gateway: TestClient) -> None:
    response = gateway.get("/verify")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == BARE_CHALLENGE
    assert response.json()["error"] == "unauthorized"


def test_hs256_with_public_key_rejected_when_only_issuer_tokens_enabled(
    issuer: OidcTestIssuer, gateway_client: GatewayFactory
) -> None:
    client = gateway_client(OAUTH_ISSUER=issuer.issuer)
    forged = issuer.mint(alg="HS256", hs_secret=issuer.public_key_pem(), kid=issuer.kid)
    assert_rejected(client.get("/verify", headers=bearer(forged)), description="not accepted")


def test_cors_preflight_passes_without_a_token(gateway: TestClient) -> None:
    assert gateway.get("/verify", headers={"X-Forwarded-Method": "OPTIONS"}).status_code == 200
    assert gateway.get("/verify", headers={"X-Forwarded-Method": "POST"}).status_code == 401


# ---- scopes -------------------------------------------------------------------------------------


@pytest.fixture
def scoped_gateway(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> TestClient:
    return gateway_client(OAUTH_ISSUER=issuer.issuer, OAUTH_SCOPES="mcp:tools  mcp:read")


def test_required_scopes_appear_in_the_challenge(scoped_gateway: TestClient) -> None:
    response = scoped_gateway.get("/verify")
    assert response.headers["www-authenticate"] == f'{BARE_CHALLENGE}, scope="mcp:tools mcp:read"'


def test_challenge_header_format_is_exact(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    """RFC 6750 §3 + RFC 9728 §5.1: resource_metadata first, then error and a quoted description."""
    response = gateway.get("/verify", headers=bearer(issuer.mint(exp_in=-120)))
    description = response.json()["error_description"]
    assert response.headers["www-authenticate"] == (
        f'{BARE_CHALLENGE}, error="invalid_token", error_description="{description}"'
    )
    assert set(response.json()) == {"error", "error_description"}


def test_scoped_challenges_are_exact(scoped_gateway: TestClient, issuer: OidcTestIssuer) -> None:
    scope = 'scope="mcp:tools mcp:read"'
    invalid = scoped_gateway.get("/verify", headers=bearer(issuer.mint(aud="http://127.0.0.1:9/mcp")))
    assert invalid.status_code == 401
    assert invalid.headers["www-authenticate"] == (
        f'{BARE_CHALLENGE}, {scope}, error="invalid_token", '
        f'error_description="{invalid.json()["error_description"]}"'
    )
    forbidden = scoped_gateway.get("/verify", headers=bearer(issuer.mint(scope="mcp:read")))
    assert forbidden.status_code == 403
    description = forbidden.json()["error_description"]
    assert "mcp:tools" in description
    assert forbidden.headers["www-authenticate"] == (
        f'{BARE_CHALLENGE}, {scope}, error="insufficient_scope", error_description="{description}"'
    )


def test_token_with_all_scopes_passes(scoped_gateway: TestClient, issuer: OidcTestIssuer) -> None:
    token = issuer.mint(scope="openid mcp:read mcp:tools")
    assert scoped_gateway.get("/verify", headers=bearer(token)).status_code == 200
    assert (
        scoped_gateway.get(
            "/verify", headers=bearer(issuer.mint(scope=None, scp=["mcp:read", "mcp:tools"]))
        ).status_code
        == 200
    )


@pytest.mark.parametrize("scope", ["mcp:read", None, "mcp:tool mcp:read"])
def test_token_lacking_a_scope_is_forbidden(
    scoped_gateway: TestClient, issuer: OidcTestIssuer, scope: str | None
) -> None:
    token = issuer.mint(scope=scope)
    for _ in range(2):  # the second answer comes from the verification cache and must not differ
        response = scoped_gateway.get("/verify", headers=bearer(token))
        assert response.status_code == 403
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
        assert 'scope="mcp:tools mcp:read"' in response.headers["www-authenticate"]
        assert response.json()["error"] == "insufficient_scope"


def test_own_tokens_carry_the_required_scopes(gateway_client: GatewayFactory) -> None:
    client = gateway_client(
        OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET, OAUTH_SCOPES="mcp:tools"
    )
    token = client.post(
        "/oauth/token", auth=(CLIENT_ID, CLIENT_SECRET), data={"grant_type": "client_credentials"}
    ).json()["access_token"]
    assert client.get("/verify", headers=bearer(token)).status_code == 200


# ---- modes and configuration --------------------------------------------------------------------


def test_none_mode_lets_everything_through() -> None:
    from auth_gateway.app import create_app
    from auth_gateway.config import GatewaySettings

    with TestClient(create_app(GatewaySettings(AUTH_MODE="none"))) as client:
        assert client.get("/verify").status_code == 200
        assert client.get("/verify", headers=bearer("anything")).status_code == 200


def test_custom_audience_is_enforced(issuer: OidcTestIssuer, gateway_client: GatewayFactory) -> None:
    client = gateway_client(OAUTH_ISSUER=issuer.issuer, AUTH0_AUDIENCE="urn:real-estate-mcp")
    assert client.get("/verify", headers=bearer(issuer.mint(aud="urn:real-estate-mcp"))).status_code == 200
    assert_rejected(
        client.get("/verify", headers=bearer(issuer.mint(aud=RESOURCE))), description="urn:real-estate-mcp"
    )


def test_identity_headers_are_always_valid_header_values(gateway: TestClient, issuer: OidcTestIssuer) -> None:
    response = gateway.get("/verify", headers=bearer(issuer.mint(sub="kakao|홍길동\r\nX-Evil: 1")))
    assert response.status_code == 200
    assert "\n" not in response.headers["x-auth-subject"]
    assert "x-evil" not in response.headers


def test_unexpected_failure_fails_closed_with_401(
    gateway: TestClient, issuer: OidcTestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auth_gateway.verify.bearer_verifier import BearerVerifier

    async def broken(self: BearerVerifier, authorization: str | None) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(BearerVerifier, "verify", broken)
    response = gateway.get("/verify", headers=bearer(issuer.mint()))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


# ---- the whole rejection matrix again, through uvicorn on a real loopback socket ---------------------


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[httpx.Client, OidcTestIssuer]]:
    """As deployed (`python -m auth_gateway` runs this app under uvicorn): real header parsing, real 500s."""
    with OidcTestIssuer(audience=RESOURCE) as issuer:
        settings = oauth_settings(
            OAUTH_ISSUER=issuer.issuer, OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
        )
        with (
            serve_in_thread(create_app(settings), proxy_headers=False) as base_url,
            httpx.Client(base_url=base_url) as client,
        ):
            yield client, issuer


def _own_token(*, secret: str = CLIENT_SECRET, issued_ago: int = 0) -> str:
    authority = OwnTokenAuthority(
        client_id=CLIENT_ID, client_secret=secret, issuer=BASE_URL, audience=RESOURCE, ttl=600, scopes=()
    )
    return authority.issue(now=time.time() - issued_ago).access_token


OWN_REJECTED: list[object] = [
    pytest.param(
        lambda i: _own_token(secret=CLIENT_SECRET + "-old"), "signature", id="own-after-secret-change"
    ),
    pytest.param(lambda i: _own_token(issued_ago=601), "expired", id="own-past-expiry"),
]


@pytest.mark.parametrize(("mint", "description"), REJECTED + OWN_REJECTED)
def test_rejection_matrix_over_http(
    served: tuple[httpx.Client, OidcTestIssuer], mint: Callable[[OidcTestIssuer], str], description: str
) -> None:
    client, issuer = served
    assert (
        client.get("/verify", headers=bearer(_own_token())).status_code == 200
    )  # the setup admits valid ones
    assert_rejected(client.get("/verify", headers=bearer(mint(issuer))), description=description)


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(b"Bearer", id="bearer-without-token"),  # trailing spaces cannot cross HTTP/1.1
        pytest.param(b"Basic dXNlcjpwYXNz", id="basic-scheme"),
        pytest.param(b"Token abc.def.ghi", id="other-scheme"),
        pytest.param("Bearer \u00e9t\u00e9.x.y".encode("latin-1"), id="non-ascii"),
    ],
)
def test_malformed_authorization_headers_over_http(
    served: tuple[httpx.Client, OidcTestIssuer], authorization: bytes
) -> None:
    client, _ = served
    assert_rejected(client.get("/verify", headers={b"Authorization": authorization}))


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}], ids=["no-header", "empty-header"])
def test_no_token_over_http_gets_the_bare_challenge(
    served: tuple[httpx.Client, OidcTestIssuer], headers: dict[str, str]
) -> None:
    client, _ = served
    response = client.get("/verify", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == BARE_CHALLENGE
