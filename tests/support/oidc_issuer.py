"""A local OpenID Connect issuer on a loopback port: the test stand-in for Auth0.

It is a real HTTP server (stdlib `ThreadingHTTPServer` in a daemon thread) so the gateway's discovery,
JWKS fetch and the MCP SDK's OAuth client cross a real socket exactly as they do against Auth0.

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

Endpoints (Auth0's paths): /.well-known/openid-configuration, /.well-known/oauth-authorization-server,
/.well-known/jwks.json, POST /oidc/register (RFC 7591), GET /authorize (302 straight back to the
redirect_uri with code, state and iss; PKCE S256 required; `resource` per RFC 8707 and `scope` kept),
POST /oauth/token (authorization_code with PKCE, refresh_token).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["DEFAULT_SCOPES", "OidcTestIssuer"]

DEFAULT_SCOPES = ("openid", "profile", "email", "offline_access")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint_b64(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _canonical_scope(scope: str) -> bool:
    return scope == " ".join(scope.split())


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
        self._server: ThreadingHTTPServer | None = self._bind(port or 0)
        self.port = int(self._server.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.issuer_path = issuer_path.rstrip("/")
        root = self.base_url + self.issuer_path
        self.issuer = root + "/" if trailing_slash else root
        self.discovery_url = root + "/.well-known/openid-configuration"
        self.jwks_uri = root + "/.well-known/jwks.json"
        self.authorization_endpoint = root + "/authorize"
        self.token_endpoint = root + "/oauth/token"
        self.registration_endpoint = root + "/oidc/register"
        self.hits: Counter[str] = Counter()
        self.clients: dict[str, dict[str, Any]] = {}
        self.token_requests: list[dict[str, str]] = []
        self._codes: dict[str, dict[str, Any]] = {}
        self._refresh: dict[str, dict[str, Any]] = {}
        self._keys: dict[str, rsa.RSAPrivateKey] = {}
        self._lock = threading.Lock()
        self._outage_status: int | None = None
        self._stall: threading.Event | None = None
        self.kid = self._new_key()
        self._thread: threading.Thread | None = None

    # ---- lifecycle ------------------------------------------------------------------------------

    def __enter__(self) -> OidcTestIssuer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _bind(self, port: int) -> ThreadingHTTPServer:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self), bind_and_activate=False)
        server.daemon_threads = True
        try:
            server.server_bind()
        except OSError:
            server.server_close()
            raise
        return server

    def start(self) -> None:
        """Listen and serve; after stop() the same port is bound again (tests of an issuer coming back)."""
        if self._server is None:
            self._server = self._bind(self.port)
        self._server.server_activate()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"oidc:{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port (also for an instance that was never started)."""
        if self._thread is not None and self._server is not None:
            self._server.shutdown()
        if self._server is not None:
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @contextmanager
    def outage(self, status: int = 503) -> Iterator[None]:
        self._outage_status = status
        try:
            yield
        finally:
            self._outage_status = None

    @contextmanager
    def stall(self) -> Iterator[None]:
        """Requests arriving inside the block hang until it ends, then get a 503 (if anyone still listens)."""
        released = threading.Event()
        self._stall = released
        try:
            yield
        finally:
            self._stall = None
            released.set()

    # ---- keys and tokens ------------------------------------------------------------------------

    def _new_key(self) -> str:
        kid = "test-" + secrets.token_hex(6)
        self._keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    def rotate_key(self, *, keep_old: bool = False) -> str:
        with self._lock:
            old = self.kid
            self.kid = self._new_key()
            if not keep_old:
                del self._keys[old]
        return self.kid

    def public_key_pem(self, kid: str | None = None) -> bytes:
        key = self._keys[kid or self.kid]
        return key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            keys = list(self._keys.items())
        documents = []
        for kid, key in keys:
            numbers = key.public_key().public_numbers()
            documents.append(
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": kid,
                    "n": _uint_b64(numbers.n),
                    "e": _uint_b64(numbers.e),
                }
            )
        return {"keys": documents}

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
        header: dict[str, Any] = {"alg": alg}
        if typ is not None:
            header["typ"] = typ
        key_id = kid or self.kid
        if alg == "RS256" or kid is not None:
            header["kid"] = key_id
        header.update(headers or {})
        signing_input = (
            b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + b64url(json.dumps(payload, separators=(",", ":")).encode())
        ).encode("ascii")
        if alg == "RS256":
            private = self._keys.get(key_id) or rsa.generate_private_key(public_exponent=65537, key_size=2048)
            signature = private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "HS256":
            if hs_secret is None:
                raise ValueError("alg HS256 needs hs_secret")
            signature = hmac.new(hs_secret, signing_input, hashlib.sha256).digest()
        elif alg == "none":
            signature = b""
        else:
            raise ValueError(f"unsupported alg {alg}")
        return signing_input.decode("ascii") + "." + b64url(signature)

    # ---- metadata -------------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
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

    # ---- OAuth endpoints (called from the handler thread) -------------------------------------------

    def _scope_problem(self, scope: str | None) -> str | None:
        if not self.strict_scopes or scope is None:
            return None
        if not _canonical_scope(scope):
            return f"scope {scope!r} has leading, trailing or repeated spaces"
        unknown = [item for item in scope.split() if item not in self.scopes_supported]
        if unknown:
            return f"unknown scope(s): {' '.join(unknown)}"
        return None

    def register(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        redirect_uris = body.get("redirect_uris")
        if (
            not isinstance(redirect_uris, list)
            or not redirect_uris
            or not all(isinstance(u, str) for u in redirect_uris)
        ):
            return 400, {
                "error": "invalid_redirect_uri",
                "error_description": "redirect_uris must be a non-empty list",
            }
        scope = body.get("scope")
        problem = self._scope_problem(scope if isinstance(scope, str) else None)
        if problem:
            return 400, {"error": "invalid_client_metadata", "error_description": problem}
        method = body.get("token_endpoint_auth_method") or "client_secret_basic"
        if method not in ("none", "client_secret_post", "client_secret_basic"):
            return 400, {
                "error": "invalid_client_metadata",
                "error_description": f"unsupported auth method {method}",
            }
        client: dict[str, Any] = {
            "client_id": "client-" + secrets.token_hex(8),
            "client_id_issued_at": int(time.time()),
            "redirect_uris": redirect_uris,
            "grant_types": body.get("grant_types") or ["authorization_code", "refresh_token"],
            "response_types": body.get("response_types") or ["code"],
            "token_endpoint_auth_method": method,
        }
        if isinstance(body.get("client_name"), str):
            client["client_name"] = body["client_name"]
        if isinstance(scope, str):
            client["scope"] = scope
        if method != "none":
            client["client_secret"] = secrets.token_urlsafe(32)
            client["client_secret_expires_at"] = 0
        with self._lock:
            self.clients[client["client_id"]] = client
        return 201, client

    def authorize(self, params: dict[str, str]) -> tuple[int, dict[str, Any] | str]:
        """(302, location) on success or redirectable error; (400, json) when we must not redirect."""
        client = self.clients.get(params.get("client_id", ""))
        if client is None:
            return 400, {"error": "invalid_client", "error_description": "unknown client_id"}
        redirect_uri = params.get("redirect_uri")
        if redirect_uri is None and len(client["redirect_uris"]) == 1:
            redirect_uri = client["redirect_uris"][0]
        if redirect_uri not in client["redirect_uris"]:
            return 400, {"error": "invalid_request", "error_description": "redirect_uri is not registered"}

        def back(query: dict[str, str]) -> tuple[int, str]:
            if "state" in params:
                query["state"] = params["state"]
            if self.iss_in_redirect:
                query["iss"] = self.issuer
            separator = "&" if "?" in str(redirect_uri) else "?"
            return 302, f"{redirect_uri}{separator}{urlencode(query)}"

        if params.get("response_type") != "code":
            return back({"error": "unsupported_response_type"})
        if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
            return back(
                {
                    "error": "invalid_request",
                    "error_description": "PKCE with code_challenge_method=S256 is required",
                }
            )
        problem = self._scope_problem(params.get("scope"))
        if problem:
            return back({"error": "invalid_scope", "error_description": problem})
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "client_id": client["client_id"],
                "redirect_uri": redirect_uri,
                "code_challenge": params["code_challenge"],
                "scope": params.get("scope", ""),
                "resource": params.get("resource"),
                "expires": time.time() + 60,
            }
        return back({"code": code})

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.token_requests.append(dict(form))
        client, error = self._authenticate_client(form, authorization)
        if error:
            return 401, {"error": "invalid_client", "error_description": error}
        assert client is not None
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            with self._lock:
                grant = self._codes.pop(form.get("code", ""), None)
            if grant is None or grant["expires"] < time.time() or grant["client_id"] != client["client_id"]:
                return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
            if form.get("redirect_uri") != grant["redirect_uri"]:
                return 400, {"error": "invalid_grant", "error_description": "redirect_uri does not match"}
            verifier = form.get("code_verifier", "")
            if b64url(hashlib.sha256(verifier.encode()).digest()) != grant["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
            resource = form.get("resource") or grant["resource"]
            if grant["resource"] and resource != grant["resource"]:
                return 400, {
                    "error": "invalid_target",
                    "error_description": "resource differs from the authorization",
                }
            return 200, self._tokens(client["client_id"], grant["scope"], resource)
        if grant_type == "refresh_token" and self.refresh_tokens:
            with self._lock:
                grant = self._refresh.pop(form.get("refresh_token", ""), None)
            if grant is None or grant["client_id"] != client["client_id"]:
                return 400, {"error": "invalid_grant", "error_description": "unknown refresh token"}
            return 200, self._tokens(
                client["client_id"], grant["scope"], form.get("resource") or grant["resource"]
            )
        return 400, {"error": "unsupported_grant_type"}

    def _authenticate_client(
        self, form: dict[str, str], authorization: str | None
    ) -> tuple[dict[str, Any] | None, str | None]:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        client = self.clients.get(client_id or "")
        if client is None:
            return None, "unknown client"
        expected = client.get("client_secret")
        if expected is not None and not (secret and hmac.compare_digest(secret, expected)):
            return None, "wrong client secret"
        return client, None

    def _tokens(self, client_id: str, scope: str, resource: str | None) -> dict[str, Any]:
        audience = resource or self.audience
        if audience is None:
            access_token = secrets.token_urlsafe(24)  # Auth0 without an audience: opaque
        else:
            aud: str | list[str] = audience
            if "openid" in scope.split():
                aud = [audience, self.issuer + "userinfo"]  # Auth0 adds its userinfo audience
            access_token = self.mint(
                typ=self.access_token_typ,
                exp_in=self.token_ttl,
                aud=aud,
                scope=scope or None,
                azp=client_id,
            )
        body: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self.token_ttl,
        }
        if scope:
            body["scope"] = scope
        if self.refresh_tokens:
            refresh = secrets.token_urlsafe(24)
            with self._lock:
                self._refresh[refresh] = {"client_id": client_id, "scope": scope, "resource": resource}
            body["refresh_token"] = refresh
        return body

    # ---- routing --------------------------------------------------------------------------------

    def route(self, method: str, path: str) -> str:
        relative = path[len(self.issuer_path) :] if path.startswith(self.issuer_path) else None
        if method == "GET" and path == "/.well-known/oauth-authorization-server" + self.issuer_path:
            return "oauth_authorization_server"
        table = {
            ("GET", "/.well-known/openid-configuration"): "openid_configuration",
            ("GET", "/.well-known/jwks.json"): "jwks",
            ("POST", "/oidc/register"): "register",
            ("GET", "/authorize"): "authorize",
            ("POST", "/oauth/token"): "token",
        }
        endpoint = table.get((method, relative or ""), "other")
        if endpoint == "openid_configuration" and not self.serve_openid_configuration:
            return "other"
        return endpoint


def _handler_for(issuer: OidcTestIssuer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(
            self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _handle(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            endpoint = issuer.route(method, parts.path)
            with issuer._lock:
                issuer.hits[endpoint] += 1
            stall = issuer._stall
            if stall is not None:
                stall.wait()
                with suppress(OSError):  # the client gave up waiting, as it should
                    self._send(503, {"error": "temporarily_unavailable"})
                return
            if issuer._outage_status is not None:
                self._send(issuer._outage_status, {"error": "temporarily_unavailable"})
                return
            if endpoint in ("openid_configuration", "oauth_authorization_server"):
                self._send(200, issuer.metadata())
            elif endpoint == "jwks":
                self._send(200, issuer.jwks())
            elif endpoint == "register":
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = None
                if not isinstance(body, dict):
                    self._send(
                        400, {"error": "invalid_client_metadata", "error_description": "body must be JSON"}
                    )
                    return
                self._send(*issuer.register(body))
            elif endpoint == "authorize":
                status, result = issuer.authorize(dict(parse_qsl(parts.query)))
                if status == 302:
                    self._send(302, None, {"Location": str(result)})
                else:
                    self._send(status, result if isinstance(result, dict) else {"error": str(result)})
            elif endpoint == "token":
                form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
                self._send(*issuer.token(form, self.headers.get("Authorization")))
            else:
                self._send(404, {"error": "not_found"})

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler
