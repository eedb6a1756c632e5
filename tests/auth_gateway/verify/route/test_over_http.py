"""The whole GET /verify rejection matrix again, through uvicorn on a real loopback socket.

As deployed (`python -m auth_gateway` runs the app under uvicorn): real header parsing and real 500s,
which the in-process TestClient would not show. One server for the module, as before the split.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from auth_gateway.app import create_app
from auth_gateway.credentials.own_tokens import OwnTokenAuthority
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    RESOURCE,
    bearer,
    oauth_settings,
)
from tests.auth_gateway.verify.route.rejections import BARE_CHALLENGE, REJECTED, assert_rejected
from tests.support.oidc_issuer.issuer import OidcTestIssuer
from tests.support.uvicorn_thread import serve_in_thread


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
