"""Our client_credentials tokens: stateless across restarts, dead after a secret change or expiry."""

from __future__ import annotations

import base64
import json
import time

import pytest
from jose import jwt
from jose.exceptions import JWTError

from auth_gateway.credentials.own_tokens import OwnTokenAuthority, derive_signing_key
from auth_gateway.errors import TokenRejected
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    RESOURCE,
    GatewayFactory,
    bearer,
    client_credentials_token,
)


def authority(secret: str = CLIENT_SECRET, client_id: str = CLIENT_ID, ttl: int = 3600) -> OwnTokenAuthority:
    return OwnTokenAuthority(
        client_id=client_id,
        client_secret=secret,
        issuer=BASE_URL,
        audience=RESOURCE,
        ttl=ttl,
        scopes=("mcp:tools",),
    )


def claims_of(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


def test_claims_follow_rfc9068() -> None:
    issued = authority(ttl=600).issue()
    claims = claims_of(issued.access_token)
    assert claims["iss"] == BASE_URL
    assert claims["aud"] == RESOURCE
    assert claims["sub"] == claims["client_id"] == CLIENT_ID
    assert claims["scope"] == "mcp:tools"
    assert isinstance(claims["jti"], str)
    assert claims["exp"] == claims["iat"] + 600  # type: ignore[operator]
    assert jwt.get_unverified_header(issued.access_token)["typ"] == "at+jwt"
    assert issued.expires_in == 600


def test_each_token_is_unique() -> None:
    first, second = authority().issue(), authority().issue()
    assert first.access_token != second.access_token


def test_survives_a_restart() -> None:
    token = authority().issue().access_token
    assert authority().verify(token).subject == CLIENT_ID  # a fresh instance, as after a restart


def test_secret_change_invalidates() -> None:
    token = authority().issue().access_token
    with pytest.raises(TokenRejected, match="signature"):
        authority(secret=CLIENT_SECRET + "-rotated").verify(token)


def test_client_id_change_invalidates() -> None:
    token = authority().issue().access_token
    with pytest.raises(TokenRejected):
        authority(client_id="another-client").verify(token)


def test_expired_token_rejected_without_leeway() -> None:
    token = authority(ttl=60).issue(now=time.time() - 61).access_token
    with pytest.raises(TokenRejected, match="expired"):
        authority().verify(token)


def test_signing_key_is_derived_not_the_secret() -> None:
    key = derive_signing_key(CLIENT_SECRET)
    assert len(key) == 32
    assert key != CLIENT_SECRET.encode()[:32]
    assert derive_signing_key(CLIENT_SECRET) == key
    token = authority().issue().access_token
    with pytest.raises(JWTError):
        jwt.decode(token, CLIENT_SECRET, algorithms=["HS256"], options={"verify_aud": False})


def test_token_signed_with_raw_secret_rejected() -> None:
    now = int(time.time())
    forged = jwt.encode(
        {
            "iss": BASE_URL,
            "aud": RESOURCE,
            "sub": CLIENT_ID,
            "client_id": CLIENT_ID,
            "exp": now + 60,
            "jti": "x",
        },
        CLIENT_SECRET,
        algorithm="HS256",
    )
    with pytest.raises(TokenRejected, match="signature"):
        authority().verify(forged)


def test_a_token_names_its_sign_in_and_one_without_is_refused() -> None:
    issued = authority().issue(family="sign-in-1")
    assert claims_of(issued.access_token)["sid"] == "sign-in-1"
    assert authority().verify(issued.access_token).family == "sign-in-1"
    assert claims_of(authority().issue().access_token)["sid"]  # client_credentials: a family of its own

    now = int(time.time())
    claims = {"iss": BASE_URL, "aud": RESOURCE, "sub": CLIENT_ID, "client_id": CLIENT_ID, "exp": now + 60}
    unsigned_in = jwt.encode({**claims, "jti": "x"}, derive_signing_key(CLIENT_SECRET), algorithm="HS256")
    with pytest.raises(TokenRejected, match="sid"):
        authority().verify(unsigned_in)


def test_through_the_gateway_secret_change_and_expiry(gateway_client: GatewayFactory) -> None:
    old = gateway_client(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET)
    token = client_credentials_token(old)
    restarted = gateway_client(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET)
    assert restarted.get("/verify", headers=bearer(token)).status_code == 200
    rotated = gateway_client(OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET + "-new")
    assert rotated.get("/verify", headers=bearer(token)).status_code == 401
    expired = authority().issue(now=time.time() - 7200).access_token
    response = restarted.get("/verify", headers=bearer(expired))
    assert response.status_code == 401
    assert "expired" in response.json()["error_description"]
