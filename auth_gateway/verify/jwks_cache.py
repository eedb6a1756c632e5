"""The issuer's signing keys, found through discovery and kept in memory.

Discovery follows OpenID Connect Discovery 1.0 §4 (`/.well-known/openid-configuration` appended to the
issuer) and falls back to RFC 8414 §3 (`/.well-known/oauth-authorization-server` inserted before the
issuer's path). The document's `issuer` must equal ours exactly: a mismatch (Auth0's trailing slash!)
would reject every token, so it is reported as such. Keys are refreshed only when a token names an
unknown `kid`, at most once per `refresh_interval` (key rotation without a JWKS storm), and a failed
refresh keeps the keys we had, so an unreachable issuer does not log anyone out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from jose import jwk
from jose.backends.base import Key

from auth_gateway.config import is_loopback_host
from auth_gateway.verify.errors import IssuerUnavailable

__all__ = ["JwksCache", "discovery_urls"]

log = logging.getLogger("auth_gateway.jwks")

ISSUER_ALGORITHM = "RS256"
RETRY_WITHOUT_KEYS_SECONDS = 10.0


def discovery_urls(issuer: str) -> tuple[str, str]:
    """OIDC discovery URL, then the RFC 8414 one (path-insertion form)."""
    oidc = issuer.rstrip("/") + "/.well-known/openid-configuration"
    parts = urlsplit(issuer)
    path = parts.path.rstrip("/")
    oauth = urlunsplit((parts.scheme, parts.netloc, "/.well-known/oauth-authorization-server" + path, "", ""))
    return oidc, oauth


class JwksCache:
    def __init__(
        self,
        issuer: str,
        http: httpx.AsyncClient,
        *,
        refresh_interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.issuer = issuer
        self._http = http
        self._refresh_interval = refresh_interval
        self._clock = clock
        self._keys: dict[str, Key] = {}
        self._jwks_uri: str | None = None
        self._last_attempt: float | None = None
        self._lock = asyncio.Lock()

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def key(self, kid: str) -> Key | None:
        return self._keys.get(kid)

    async def load(self) -> None:
        """Fetch discovery and keys now (start-up); raise `IssuerUnavailable` if that fails.

        Not counted by the unknown-kid throttle: a key rotated just after start must still be found.
        """
        async with self._lock:
            await self._refresh()

    async def key_after_refresh(self, kid: str) -> Key | None:
        """The key for an unseen `kid`, refreshing the JWKS if the throttle allows it."""
        async with self._lock:
            if kid in self._keys:  # another request refreshed while we waited
                return self._keys[kid]
            interval = (
                self._refresh_interval
                if self._keys
                else min(self._refresh_interval, RETRY_WITHOUT_KEYS_SECONDS)
            )
            if self._last_attempt is not None and self._clock() - self._last_attempt < interval:
                return None
            self._last_attempt = self._clock()
            try:
                await self._refresh()
            except IssuerUnavailable as exc:
                log.warning("issuer keys could not be refreshed, keeping %d cached: %s", len(self._keys), exc)
                return None
            return self._keys.get(kid)

    async def _refresh(self) -> None:
        if self._jwks_uri is None:
            self._jwks_uri = await self._discover()
        document = await self._get_json(self._jwks_uri)
        keys = _parse_jwks(document)
        if not keys:
            raise IssuerUnavailable(
                f"the JWKS at {self._jwks_uri} holds no usable {ISSUER_ALGORITHM} signing key"
            )
        self._keys = keys
        log.info("loaded %d signing key(s) from %s", len(keys), self._jwks_uri)

    async def _discover(self) -> str:
        problems = []
        for url in discovery_urls(self.issuer):
            try:
                metadata = await self._get_json(url)
            except IssuerUnavailable as exc:
                problems.append(str(exc))
                continue
            published = metadata.get("issuer")
            if published != self.issuer:
                raise IssuerUnavailable(
                    f"{url} names the issuer {published!r} but the gateway expects {self.issuer!r}: "
                    "set OAUTH_ISSUER (or AUTH0_DOMAIN) so the two match exactly, trailing slash included"
                )
            jwks_uri = metadata.get("jwks_uri")
            if not isinstance(jwks_uri, str) or not jwks_uri:
                raise IssuerUnavailable(f"{url} has no jwks_uri")
            if not _trustworthy_url(jwks_uri):
                # Keys fetched over plain http could be swapped by anyone on the path: forged tokens.
                raise IssuerUnavailable(
                    f"{url} publishes jwks_uri {jwks_uri[:200]!r}: signing keys are only fetched over "
                    "https:// (plain http only from localhost)"
                )
            return jwks_uri
        raise IssuerUnavailable("; ".join(problems))

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self._http.get(url, headers={"Accept": "application/json"})
        except Exception as exc:  # transport errors, but also InvalidURL or anyio's errors for a bad port
            raise IssuerUnavailable(f"{url}: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise IssuerUnavailable(f"{url} answered HTTP {response.status_code}")
        try:
            document = response.json()
        except ValueError:
            raise IssuerUnavailable(f"{url} did not return JSON") from None
        if not isinstance(document, dict):
            raise IssuerUnavailable(f"{url} did not return a JSON object")
        return document


def _trustworthy_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(parts.hostname))


def _parse_jwks(document: dict[str, Any]) -> dict[str, Key]:
    """RSA signing keys with a `kid`; encryption keys and other algorithms are ignored (RFC 7517 §4)."""
    keys: dict[str, Key] = {}
    entries = document.get("keys")
    if not isinstance(entries, list):
        return keys
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA" or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", ISSUER_ALGORITHM) != ISSUER_ALGORITHM:
            continue
        try:
            keys[entry["kid"]] = jwk.construct(entry, ISSUER_ALGORITHM)
        except Exception:  # one malformed key must not cost us the others
            log.warning("ignoring malformed JWK %r", entry.get("kid"))
    return keys
