"""The issuer tests start and steer: its configuration, URLs, discovery document and token minting.

It ties the parts together (``jws`` keys, ``authorization`` endpoints, ``http_server`` socket) so a test
holds one object, and it reads its settings live, so a test may change e.g. ``strict_scopes`` mid-run.

Usage::

    with OidcTestIssuer(audience="http://127.0.0.1:8080/mcp") as issuer:
        token = issuer.mint(scope="read")                 # RS256, typ JWT, current key
        issuer.issuer                                      # "http://127.0.0.1:PORT/" (Auth0-style slash)
        issuer.hits["jwks"]                                # requests served per endpoint

Constructor options (all keyword):
    audience            default `aud` for `mint()` and for `/token` when no `resource` was sent
                        (None: `mint()` adds no `aud`; `/token` without resource returns an opaque
                        token, as Auth0 does without an audience)
    trailing_slash      issuer ends with "/" like Auth0 (default True)
    issuer_path         e.g. "/realms/test" for a Keycloak-style issuer with a path
    scopes_supported    advertised list (default openid profile email offline_access)
    strict_scopes       reject registration/authorization scope strings with leading, trailing or
                        double spaces, or scopes not in `scopes_supported` (Auth0-like strictness)
    subject             `sub` of the test user the browserless `/authorize` logs in
    token_ttl           lifetime of access tokens from `/token` (seconds)
    access_token_typ    JOSE `typ` of issued access tokens ("JWT" like Auth0, or "at+jwt")
    refresh_tokens      issue refresh tokens (and accept grant_type=refresh_token), default True
    iss_in_redirect     add RFC 9207 `iss` to the authorization response and advertise it
    serve_openid_configuration   False: only the RFC 8414 document exists (tests the fallback)

Attributes and methods:
    issuer, base_url, discovery_url, jwks_uri, authorization_endpoint, token_endpoint,
    registration_endpoint                         URLs
    hits: Counter[str]  keys "openid_configuration", "oauth_authorization_server", "jwks",
                        "register", "authorize", "token", "other"
    kid                 current signing key id
    mint(*, kid=None, alg="RS256", typ="JWT", headers=None, exp_in=300, nbf_in=None, iat_in=0,
         hs_secret=None, **claims) -> str
                        defaults: iss, sub, aud, iat, exp; a claim passed as None is omitted;
                        alg "RS256" | "HS256" (needs hs_secret bytes) | "none"; `kid` may name a key
                        that is not published; `headers` are merged into the JOSE header last
    rotate_key(*, keep_old=False) -> str          new kid, served by the JWKS from now on
    public_key_pem(kid=None) -> bytes             e.g. for the HS256-with-public-key attack
    outage(status=503)  context manager: every endpoint answers `status` while inside
    stall()             context manager: every request waits unanswered while inside (a hung issuer)
    start() / stop()    the port is bound at construction (connections are refused until start());
                        stop() releases it, and start() after stop() binds the same port again
    clients: dict[str, dict]   registered clients by client_id
    token_requests: list[dict] form bodies received at /token (no secrets are checked against logs)
    authorization       the OAuth endpoints (tests/support/oidc_issuer/authorization.py)
    metadata(), jwks()  the served documents; a test may monkeypatch either on the instance
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.support.oidc_issuer.authorization import AuthorizationServer
from tests.support.oidc_issuer.http_server import LoopbackServer
from tests.support.oidc_issuer.jws import SigningKeys, compact_jws

__all__ = ["DEFAULT_SCOPES", "OidcTestIssuer"]

DEFAULT_SCOPES = ("openid", "profile", "email", "offline_access")


class OidcTestIssuer:
    def __init__(
        self,
        *,
        audience: str | None = None,
        trailing_slash: bool = True,
        issuer_path: str = "",
        scopes_supported: tuple[str, ...] | list[str] = DEFAULT_SCOPES,
        strict_scopes: bool = False,
        subject: str = "auth0|test-user",
        token_ttl: int = 300,
        access_token_typ: str = "JWT",  # noqa: S107 (a JOSE type, not a password)
        refresh_tokens: bool = True,
        iss_in_redirect: bool = True,
        serve_openid_configuration: bool = True,
        port: int | None = None,
    ) -> None:
        self.audience = audience
        self.scopes_supported = list(scopes_supported)
        self.strict_scopes = strict_scopes
        self.subject = subject
        self.token_ttl = token_ttl
        self.access_token_typ = access_token_typ
        self.refresh_tokens = refresh_tokens
        self.iss_in_redirect = iss_in_redirect
        self.serve_openid_configuration = serve_openid_configuration
        # Bind now (port 0 → the kernel picks) so the URL is fixed and no other process can take the
        # port before start(); a bound socket that is not listening refuses connections like a dead host.
        self._http = LoopbackServer(self, port or 0)
        self.port = self._http.port
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.issuer_path = issuer_path.rstrip("/")
        root = self.base_url + self.issuer_path
        self.issuer = root + "/" if trailing_slash else root
        self.discovery_url = root + "/.well-known/openid-configuration"
        self.jwks_uri = root + "/.well-known/jwks.json"
        self.authorization_endpoint = root + "/authorize"
        self.token_endpoint = root + "/oauth/token"
        self.registration_endpoint = root + "/oidc/register"
        self.authorization = AuthorizationServer(self)
        self._keys = SigningKeys()

    # ---- lifecycle and faults -------------------------------------------------------------------

    def __enter__(self) -> OidcTestIssuer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Listen and serve; after stop() the same port is bound again (tests of an issuer coming back)."""
        self._http.start()

    def stop(self) -> None:
        """Stop serving and release the port (also for an instance that was never started)."""
        self._http.stop()

    @contextmanager
    def outage(self, status: int = 503) -> Iterator[None]:
        with self._http.outage(status):
            yield

    @contextmanager
    def stall(self) -> Iterator[None]:
        """Requests arriving inside the block hang until it ends, then get a 503 (if anyone still listens)."""
        with self._http.stall():
            yield

    @property
    def hits(self) -> Counter[str]:
        return self._http.hits

    @property
    def clients(self) -> dict[str, dict[str, Any]]:
        return self.authorization.clients

    @property
    def token_requests(self) -> list[dict[str, str]]:
        return self.authorization.token_requests

    # ---- keys and tokens ------------------------------------------------------------------------

    @property
    def kid(self) -> str:
        return self._keys.kid

    def rotate_key(self, *, keep_old: bool = False) -> str:
        return self._keys.rotate(keep_old=keep_old)

    def public_key_pem(self, kid: str | None = None) -> bytes:
        return self._keys.public_key_pem(kid)

    def jwks(self) -> dict[str, Any]:
        """The JWKS document served at /.well-known/jwks.json (tests may replace this method)."""
        return self._keys.document()

    def mint(
        self,
        *,
        kid: str | None = None,
        alg: str = "RS256",
        typ: str | None = "JWT",
        headers: dict[str, Any] | None = None,
        exp_in: int = 300,
        nbf_in: int | None = None,
        iat_in: int = 0,
        hs_secret: bytes | None = None,
        **claims: Any,
    ) -> str:
        """A compact JWS with the given claims; see the module docstring for the defaults."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "sub": self.subject,
            "aud": self.audience,
            "iat": now + iat_in,
            "exp": now + exp_in,
        }
        if nbf_in is not None:
            payload["nbf"] = now + nbf_in
        payload.update(claims)
        payload = {name: value for name, value in payload.items() if value is not None}
        return compact_jws(
            self._keys, payload, kid=kid, alg=alg, typ=typ, headers=headers, hs_secret=hs_secret
        )

    # ---- metadata -------------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        """The discovery document (OIDC and RFC 8414 alike; tests may replace this method)."""
        document: dict[str, Any] = {
            "issuer": self.issuer,
            "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": self.token_endpoint,
            "registration_endpoint": self.registration_endpoint,
            "jwks_uri": self.jwks_uri,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": list(self.scopes_supported),
            "token_endpoint_auth_methods_supported": ["none", "client_secret_post", "client_secret_basic"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        if self.iss_in_redirect:
            document["authorization_response_iss_parameter_supported"] = True
        return document
