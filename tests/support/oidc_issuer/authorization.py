"""The issuer's OAuth endpoints: dynamic client registration, ``/authorize`` and ``/oauth/token``.

These are what the MCP SDK's OAuth client and scripts/verify-deployment talk to, so they answer the way
Auth0 does: POST /oidc/register (RFC 7591), GET /authorize (302 straight back to the redirect_uri with
code, state and iss; PKCE S256 required; ``resource`` per RFC 8707 and ``scope`` kept), POST
/oauth/token (authorization_code with PKCE, refresh_token). Settings (``strict_scopes``, ``audience``,
...) are read from the issuer on every request, because tests change them while it runs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.support.oidc_issuer.jws import b64url

if TYPE_CHECKING:
    from tests.support.oidc_issuer.issuer import OidcTestIssuer


def _canonical_scope(scope: str) -> bool:
    return scope == " ".join(scope.split())


class AuthorizationServer:
    """Registered clients and outstanding codes and refresh tokens of one issuer."""

    def __init__(self, issuer: OidcTestIssuer) -> None:
        self._issuer = issuer
        self.clients: dict[str, dict[str, Any]] = {}
        self.token_requests: list[dict[str, str]] = []
        self._codes: dict[str, dict[str, Any]] = {}
        self._refresh: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _scope_problem(self, scope: str | None) -> str | None:
        if not self._issuer.strict_scopes or scope is None:
            return None
        if not _canonical_scope(scope):
            return f"scope {scope!r} has leading, trailing or repeated spaces"
        unknown = [item for item in scope.split() if item not in self._issuer.scopes_supported]
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
            if self._issuer.iss_in_redirect:
                query["iss"] = self._issuer.issuer
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
        if grant_type == "refresh_token" and self._issuer.refresh_tokens:
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
        issuer = self._issuer
        audience = resource or issuer.audience
        if audience is None:
            access_token = secrets.token_urlsafe(24)  # Auth0 without an audience: opaque
        else:
            aud: str | list[str] = audience
            if "openid" in scope.split():
                aud = [audience, issuer.issuer + "userinfo"]  # Auth0 adds its userinfo audience
            access_token = issuer.mint(
                typ=issuer.access_token_typ,
                exp_in=issuer.token_ttl,
                aud=aud,
                scope=scope or None,
                azp=client_id,
            )
        body: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": issuer.token_ttl,
        }
        if scope:
            body["scope"] = scope
        if issuer.refresh_tokens:
            refresh = secrets.token_urlsafe(24)
            with self._lock:
                self._refresh[refresh] = {"client_id": client_id, "scope": scope, "resource": resource}
            body["refresh_token"] = refresh
        return body
