"""Client ID Metadata Documents (MCP authorization 2025-11-25, draft-ietf-oauth-client-id-metadata-document):
a client_id that is an https URL names a JSON document describing the client, which we fetch.

Fetching a URL that anyone on the internet chose is a server-side request forgery risk, so:
- https only, a path, no user info or fragment, and a host the owner can read
  (clients/host_names.py), which is resolved and sent in its ASCII (punycode) form;
- the host is resolved first and every address must be public: private, loopback, link-local,
  shared (CGNAT), multicast and reserved ranges are refused (a home server's LAN is exactly what an
  attacker would like to probe), and so are the deprecated site-local fec0::/10, 6to4 2002::/16 and
  NAT64 addresses that embed a non-public IPv4 address (each can lead back into a private network);
- the connection goes to the address that was checked (the URL keeps the name for TLS and Host), so
  the name cannot resolve to something else between the check and the request (DNS rebinding);
- no redirects, at most `MAX_DOCUMENT_BYTES`, at most `FETCH_TIMEOUT` seconds in all, and only a JSON
  content type (`application/json` or `application/*+json`): an HTML page is not a client's document;
- documents are cached (bounded) as their `Cache-Control` says: `no-store` or `no-cache` not at all,
  `max-age` for that long (at most `MAX_TTL`), `DEFAULT_TTL` without either.

`OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK` lets the tests serve documents from 127.0.0.1 over plain http; it
must never be set on a real server.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit, urlunsplit

import anyio
import httpx

from auth_gateway.authorization_server.clients.host_names import host_forms
from auth_gateway.authorization_server.clients.self_registered import SelfRegisteredClient, display_name
from auth_gateway.authorization_server.errors import UnknownClient, UnreadableHost
from auth_gateway.authorization_server.redirect_rules import MAX_URL_LENGTH, redirect_uri_problem
from auth_gateway.config import is_loopback_host

__all__ = ["ClientMetadataDocuments", "looks_like_metadata_url", "new_http_client"]

MAX_DOCUMENT_BYTES = 64 * 1024
FETCH_TIMEOUT = 5.0
DEFAULT_TTL, MAX_TTL = 600, 86400
MAX_CACHED = 256
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses it resolves to; anyio's resolver unless a test injects another.
Resolver = Callable[[str, int], Awaitable[list[str]]]
SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address


def new_http_client() -> httpx.AsyncClient:
    """No proxies from the environment, no redirects, and no kept-alive connections: a connection is
    made to one checked address and TLS-verified for one host name, so it must not serve another."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(FETCH_TIMEOUT),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def looks_like_metadata_url(client_id: str) -> bool:
    return client_id.startswith(("https://", "http://"))


class ClientMetadataDocuments:
    def __init__(
        self,
        http: httpx.AsyncClient,  # see new_http_client()
        *,
        allow_loopback: bool = False,
        clock: Callable[[], float] = time.monotonic,
        resolve: Resolver | None = None,
    ) -> None:
        self._http = http
        self._allow_loopback = allow_loopback
        self._clock = clock
        self._resolve = resolve or _system_resolve
        self._cache: OrderedDict[str, tuple[float, SelfRegisteredClient]] = OrderedDict()

    async def client(self, url: str) -> SelfRegisteredClient:
        """The client the document at `url` describes; raise `UnknownClient` saying what is wrong."""
        cached = self._cache.get(url)
        if cached is not None and cached[0] > self._clock():
            self._cache.move_to_end(url)
            return cached[1]
        self._cache.pop(url, None)
        client, ttl = await self._fetch(url)
        if ttl > 0:
            self._cache[url] = (self._clock() + ttl, client)
            while len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)
        return client

    async def _fetch(self, url: str) -> tuple[SelfRegisteredClient, int]:
        host, port, scheme = self._checked_url(url)
        try:
            with anyio.fail_after(FETCH_TIMEOUT):
                addresses = await self._public_addresses(url, host, port)
                body, ttl = await self._download(url, host, addresses, scheme)
        except TimeoutError:
            raise _refused(url, f"it did not answer within {FETCH_TIMEOUT:.0f} s") from None
        return _parse_document(url, body, host), ttl

    def _checked_url(self, url: str) -> tuple[str, int, str]:
        if len(url) > MAX_URL_LENGTH:
            raise UnknownClient(f"the client_id URL is longer than {MAX_URL_LENGTH} characters")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise UnknownClient("the client_id looks like a URL but is not a valid one") from None
        host = parts.hostname or ""
        loopback_http = parts.scheme == "http" and self._allow_loopback and is_loopback_host(host)
        if parts.scheme != "https" and not loopback_http:
            raise _refused(url, "a client metadata document must be served over https")
        if not host or parts.username is not None or parts.password is not None or parts.fragment:
            raise _refused(url, "the URL must have a host and no user info or fragment")
        if parts.path in ("", "/") or re.search(r"(^|/)\.{1,2}(/|$)", parts.path):
            raise _refused(url, "the URL must have a path (and no . or .. segments)")
        try:
            ascii_host = host_forms(host).ascii
        except UnreadableHost as exc:
            raise _refused(url, exc.description) from None
        return ascii_host, port or (443 if parts.scheme == "https" else 80), parts.scheme

    async def _public_addresses(self, url: str, host: str, port: int) -> list[IpAddress]:
        try:
            addresses = [
                ipaddress.ip_address(found.split("%")[0]) for found in await self._resolve(host, port)
            ]
        except (OSError, UnicodeError, ValueError):
            raise _refused(url, f"its host name {host!r} does not resolve") from None
        if not addresses:
            raise _refused(url, f"its host name {host!r} does not resolve")
        for address in addresses:
            kind = self._forbidden_kind(address)
            if kind is not None:
                raise _refused(
                    url,
                    f"its host resolves to a {kind} address ({address}); this server fetches client "
                    "metadata documents only from public addresses",
                )
        return list(dict.fromkeys(addresses))

    def _forbidden_kind(self, address: IpAddress) -> str | None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_loopback:
            return None if self._allow_loopback else "loopback"
        if address.is_unspecified:
            return "reserved"
        if address.is_multicast:
            return "multicast"
        if address.is_link_local:
            return "link-local"
        if isinstance(address, ipaddress.IPv6Address):
            if address.is_site_local:
                return "site-local (deprecated, fec0::/10)"
            if address in SIX_TO_FOUR:
                return "6to4 (2002::/16)"
            if address in NAT64:
                embedded = self._forbidden_kind(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
                if embedded is not None:
                    return f"NAT64 (64:ff9b::/96) {embedded}"
                return None
        if address.is_private:
            return "private"
        if address.is_reserved or not address.is_global:
            return "reserved"
        return None

    async def _download(
        self, url: str, host: str, addresses: list[IpAddress], scheme: str
    ) -> tuple[bytes, int]:
        """From the first checked address that accepts a connection; the name stays in Host and SNI."""
        for address in addresses[:-1]:
            try:
                return await self._download_from(url, host, address, scheme)
            except httpx.ConnectError:
                continue
        try:
            return await self._download_from(url, host, addresses[-1], scheme)
        except httpx.HTTPError as exc:
            raise _refused(url, f"it could not be fetched ({type(exc).__name__})") from None

    async def _download_from(self, url: str, host: str, address: IpAddress, scheme: str) -> tuple[bytes, int]:
        parts = urlsplit(url)
        literal = f"[{address}]" if address.version == 6 else str(address)
        netloc = f"{literal}:{parts.port}" if parts.port else literal
        pinned = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        named = f"[{host}]" if ":" in host else host
        headers = {"Host": f"{named}:{parts.port}" if parts.port else named, "Accept": "application/json"}
        extensions = {"sni_hostname": host} if scheme == "https" else {}
        async with self._http.stream("GET", pinned, headers=headers, extensions=extensions) as response:
            if response.status_code != 200:
                raise _refused(url, f"it answered HTTP {response.status_code} instead of the document")
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if not _is_json_type(content_type):
                raise _refused(
                    url, f"it was served as {content_type[:60] or 'no content type'}, not application/json"
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_DOCUMENT_BYTES:
                raise _refused(url, f"the document is larger than {MAX_DOCUMENT_BYTES // 1024} KiB")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise _refused(url, f"the document is larger than {MAX_DOCUMENT_BYTES // 1024} KiB")
            return bytes(body), _ttl(response.headers.get("cache-control", ""))


def _parse_document(url: str, body: bytes, host: str) -> SelfRegisteredClient:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refused(url, "the document is not JSON") from None
    if not isinstance(document, dict):
        raise _refused(url, "the document is not a JSON object")
    if document.get("client_id") != url:
        raise _refused(url, "its client_id is not exactly the URL it was fetched from")
    uris = document.get("redirect_uris")
    if not isinstance(uris, list) or not uris or not all(isinstance(uri, str) for uri in uris):
        raise _refused(url, "its redirect_uris is missing or not a list of URLs")
    for uri in uris:
        problem = redirect_uri_problem(uri)
        if problem is not None:
            raise _refused(url, f"its redirect URI {uri[:200]!r} {problem}")
    method = document.get("token_endpoint_auth_method", "none")
    if method != "none":
        raise _refused(
            url, f"token_endpoint_auth_method {str(method)[:60]!r} is not supported here (only none)"
        )
    name = display_name(document.get("client_name"), host)
    return SelfRegisteredClient(url, name, tuple(uris), "metadata document")


def _ttl(cache_control: str) -> int:
    """Seconds to keep the document (0: not at all), as RFC 9111 §5.2.2 asks of a cache."""
    directives = {item.strip().lower() for item in cache_control.split(",")}
    if {"no-store", "no-cache"} & directives:
        return 0
    for directive in directives:
        name, _, value = directive.partition("=")
        if name.strip() == "max-age":
            value = value.strip().strip('"')
            return min(int(value), MAX_TTL) if value.isdigit() else 0  # an invalid max-age is stale
    return DEFAULT_TTL


def _is_json_type(content_type: str) -> bool:
    kind, _, subtype = content_type.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


async def _system_resolve(host: str, port: int) -> list[str]:
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _refused(url: str, reason: str) -> UnknownClient:
    return UnknownClient(f"the client metadata document {url[:200]} cannot be used: {reason}")
