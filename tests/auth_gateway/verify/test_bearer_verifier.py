"""Property: nothing but an untouched valid token is ever let in (hypothesis, random and mutated input).

Runs through the real /verify route with the issuer on a loopback socket, so every layer (header
parsing, cache, shape checks, jose) is exercised, and a 500 would fail the test as surely as a 200.
"""

from __future__ import annotations

import base64
import json
import string
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from auth_gateway.app import create_app
from tests.auth_gateway.conftest import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    RESOURCE,
    client_credentials_token,
    oauth_settings,
)
from tests.support.oidc_issuer.issuer import OidcTestIssuer

B64URL = string.ascii_letters + string.digits + "-_"
VISIBLE = "".join(chr(c) for c in range(0x21, 0x7F))
PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Target:
    def __init__(
        self, client: TestClient, valid: list[str], kid: str, claim_sets: list[dict[str, object]]
    ) -> None:
        self.client, self.valid, self.kid = client, valid, kid
        self.claim_sets = claim_sets  # claims that would pass (issuer's, ours): only the signature is forged

    def status(self, token: str) -> int:
        return self.client.get("/verify", headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    with OidcTestIssuer(audience=RESOURCE) as issuer:
        app = create_app(
            oauth_settings(
                OAUTH_ISSUER=issuer.issuer, OAUTH_CLIENT_ID=CLIENT_ID, OAUTH_CLIENT_SECRET=CLIENT_SECRET
            )
        )
        with TestClient(app) as client:
            own = client_credentials_token(client)
            valid = [issuer.mint(), issuer.mint(aud=[RESOURCE, "x"], typ="at+jwt"), own]
            exp = int(time.time()) + 3600
            claim_sets: list[dict[str, object]] = [
                {"iss": issuer.issuer, "aud": RESOURCE, "sub": "forger", "exp": exp},
                {
                    "iss": BASE_URL,
                    "aud": RESOURCE,
                    "sub": CLIENT_ID,
                    "client_id": CLIENT_ID,
                    "jti": "j",
                    "exp": exp,
                },
            ]
            found = Target(client, valid, issuer.kid, claim_sets)
            assert all(found.status(token) == 200 for token in valid)  # the property below is not vacuous
            yield found


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@PROPERTY
@given(token=st.text(alphabet=VISIBLE, min_size=1, max_size=400))
def test_random_strings_never_pass(target: Target, token: str) -> None:
    assert target.status(token) == 401


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@PROPERTY
@given(
    alg=st.sampled_from(["RS256", "HS256", "none", "None", "ES256", "HS512", "RS512", "", "PS256"])
    | st.text(max_size=8),
    typ=st.sampled_from(["JWT", "at+jwt", None]),
    kid_known=st.booleans(),
    valid_claims=st.sampled_from([None, 0, 1]),
    claims=st.dictionaries(
        st.sampled_from(["iss", "aud", "sub", "exp", "nbf", "iat", "scope", "client_id", "jti"]), json_values
    ),
    signature=st.binary(max_size=300),
)
def test_forged_jwts_never_pass(
    target: Target,
    alg: str,
    typ: str | None,
    kid_known: bool,
    valid_claims: int | None,
    claims: dict[str, object],
    signature: bytes,
) -> None:
    if valid_claims is not None:  # all right but the signature, so only signature checks can refuse it
        claims = dict(target.claim_sets[valid_claims])
    header: dict[str, object] = {"alg": alg, "kid": target.kid if kid_known else "forged"}
    if typ is not None:
        header["typ"] = typ
    token = ".".join([b64(json.dumps(header).encode()), b64(json.dumps(claims).encode()), b64(signature)])
    assert target.status(token) == 401


@st.composite
def mutations(draw: st.DrawFn, valid: list[str]) -> tuple[str, str]:
    original = draw(st.sampled_from(valid))
    kind = draw(st.sampled_from(["replace", "delete", "insert", "truncate", "swap", "extend"]))
    position = draw(st.integers(0, len(original) - 1))
    char = draw(st.sampled_from(B64URL + "."))
    if kind == "replace":
        mutated = original[:position] + char + original[position + 1 :]
    elif kind == "delete":
        mutated = original[:position] + original[position + 1 :]
    elif kind == "insert":
        mutated = original[:position] + char + original[position:]
    elif kind == "truncate":
        mutated = original[:position]
    elif kind == "swap":
        parts = original.split(".")
        i, j = draw(st.permutations(range(3)))[:2]
        parts[i], parts[j] = parts[j], parts[i]
        mutated = ".".join(parts)
    else:
        mutated = original + draw(st.text(alphabet=B64URL + ".", min_size=1, max_size=20))
    return original, mutated


@PROPERTY
@given(data=st.data())
def test_mutated_valid_tokens_never_pass(target: Target, data: st.DataObject) -> None:
    original, mutated = data.draw(mutations(target.valid))
    assume(mutated != original and mutated)
    assert target.status(mutated) == 401


def test_respelled_signature_with_same_bytes_is_rejected(target: Target) -> None:
    """The last base64url character of a 256-byte signature carries 4 spare bits: flipping one keeps the
    decoded bytes (and so the signature) identical, but the token is a different string and must fail."""
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    original = target.valid[0]
    respelled = original[:-1] + alphabet[alphabet.index(original[-1]) ^ 1]
    signature = original.split(".")[2]
    assert base64.urlsafe_b64decode(signature + "==") == base64.urlsafe_b64decode(
        respelled.split(".")[2] + "=="
    )
    assert target.status(respelled) == 401
