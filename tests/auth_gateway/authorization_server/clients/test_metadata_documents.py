"""Client ID metadata documents: fetched from a real local server, with every guard a user relies on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from auth_gateway.authorization_server.clients.metadata_documents import (
    MAX_DOCUMENT_BYTES,
    ClientMetadataDocuments,
    new_http_client,
)
from auth_gateway.authorization_server.errors import UnknownClient
from tests.support.document_server import DocumentServer

CALLBACK = "https://client.example/callback"


def good_document(url: str) -> dict[str, object]:
    return {"client_id": url, "client_name": "Example MCP Client", "redirect_uris": [CALLBACK]}


@pytest.fixture
def server() -> Iterator[DocumentServer]:
    with DocumentServer(host_name="localhost") as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with new_http_client() as client:
        yield client


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def refusal(documents: ClientMetadataDocuments, url: str) -> str:
    with pytest.raises(UnknownClient) as caught:
        await documents.client(url)
    return caught.value.description


async def test_a_good_document_gives_the_client_and_is_fetched_by_name_at_the_checked_address(
    server: DocumentServer, http: httpx.AsyncClient
) -> None:
    url = server.put("/oauth/client.json", good_document)
    documents = ClientMetadataDocuments(http, allow_loopback=True)

    client = await documents.client(url)

    assert client.client_id == url
    assert client.client_name == "Example MCP Client"
    assert client.allows_redirect_uri(CALLBACK)
    assert not client.allows_redirect_uri("https://client.example/other")
    assert server.hosts == [f"localhost:{server.port}"]  # Host keeps the name, the socket the address


async def test_loopback_is_refused_without_the_test_allowance_and_nothing_is_fetched(
    server: DocumentServer, http: httpx.AsyncClient
) -> None:
    https_url = f"https://localhost:{server.port}/oauth/client.json"
    server.put("/oauth/client.json", good_document)

    message = await refusal(ClientMetadataDocuments(http), https_url)

    assert "resolves to a loopback address" in message
    assert "127.0.0.1" in message or "::1" in message
    assert server.hits["/oauth/client.json"] == 0


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://10.1.2.3/client.json", "private"),
        ("https://192.168.0.1/client.json", "private"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[fe80::1]/client.json", "link-local"),
        ("https://[::ffff:127.0.0.1]/client.json", "loopback"),
        ("https://100.64.0.1/client.json", "reserved"),
        ("https://0.0.0.0/client.json", "reserved"),
        ("https://224.0.0.1/client.json", "multicast"),
        ("https://[fec0::1]/client.json", "site-local (deprecated, fec0::/10)"),
        ("https://[feff:ffff::1]/client.json", "site-local (deprecated, fec0::/10)"),
        ("https://[2002:c0a8:101::1]/client.json", "6to4 (2002::/16)"),
        ("https://[2002:808:808::1]/client.json", "6to4 (2002::/16)"),
        ("https://[64:ff9b::a00:1]/client.json", "NAT64 (64:ff9b::/96) private"),
        ("https://[64:ff9b::7f00:1]/client.json", "NAT64 (64:ff9b::/96) loopback"),
    ],
)
async def test_non_public_addresses_are_refused(http: httpx.AsyncClient, url: str, kind: str) -> None:
    assert f"resolves to a {kind} address" in await refusal(ClientMetadataDocuments(http), url)


async def test_the_test_allowance_admits_loopback_only_not_private_networks(http: httpx.AsyncClient) -> None:
    documents = ClientMetadataDocuments(http, allow_loopback=True)

    assert "private address" in await refusal(documents, "https://10.1.2.3/client.json")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://client.example/client.json", "served over https"),
        ("https://client.example", "must have a path"),
        ("https://client.example/", "must have a path"),
        ("https://client.example/a/../client.json", "no . or .. segments"),
        ("https://user:pw@client.example/client.json", "no user info"),
        ("https://client.example:99999/client.json", "not a valid one"),
        ("https://does-not-exist.invalid/client.json", "does not resolve"),
    ],
)
async def test_urls_that_may_not_be_fetched(http: httpx.AsyncClient, url: str, expected: str) -> None:
    assert expected in await refusal(ClientMetadataDocuments(http, allow_loopback=True), url)


async def test_plain_http_is_refused_for_loopback_too_without_the_allowance(
    server: DocumentServer, http: httpx.AsyncClient
) -> None:
    url = server.put("/client.json", good_document)

    assert "served over https" in await refusal(ClientMetadataDocuments(http), url)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (lambda url: {**good_document(url), "client_id": url + "x"}, "client_id is not exactly the URL"),
        (lambda url: {"client_id": url, "client_name": "x"}, "redirect_uris is missing"),
        (lambda url: {**good_document(url), "redirect_uris": "https://a/b"}, "not a list"),
        (lambda url: [url], "not a JSON object"),
        (
            lambda url: {**good_document(url), "token_endpoint_auth_method": "private_key_jwt"},
            "'private_key_jwt' is not supported",
        ),
    ],
)
async def test_documents_that_do_not_describe_a_usable_client(
    server: DocumentServer, http: httpx.AsyncClient, document: object, expected: str
) -> None:
    url = server.put("/client.json", document)  # type: ignore[arg-type]

    assert expected in await refusal(ClientMetadataDocuments(http, allow_loopback=True), url)


async def test_not_json_too_large_and_error_statuses(server: DocumentServer, http: httpx.AsyncClient) -> None:
    documents = ClientMetadataDocuments(http, allow_loopback=True)

    assert "not JSON" in await refusal(documents, server.put("/text", b"<html>hello</html>"))
    big = b'{"pad": "' + b"x" * MAX_DOCUMENT_BYTES + b'"}'
    assert "larger than 64 KiB" in await refusal(documents, server.put("/big", big))
    assert "HTTP 404" in await refusal(documents, server.base_url + "/missing.json")
    moved = server.put("/moved", b"", status=302, headers={"Location": "http://169.254.169.254/"})
    assert "HTTP 302" in await refusal(documents, moved)  # redirects are never followed


@pytest.mark.parametrize(
    "max_age",
    [pytest.param(300, id="cached-for-its-max-age"), pytest.param(5, id="a-short-max-age-is-not-lengthened")],
)
async def test_documents_are_cached_for_their_max_age(
    server: DocumentServer, http: httpx.AsyncClient, max_age: int
) -> None:
    url = server.put("/client.json", good_document, headers={"Cache-Control": f"max-age={max_age}"})
    clock = Clock()
    documents = ClientMetadataDocuments(http, allow_loopback=True, clock=clock)

    await documents.client(url)
    clock.now += max_age - 1
    await documents.client(url)
    assert server.hits["/client.json"] == 1
    clock.now += 2
    await documents.client(url)
    assert server.hits["/client.json"] == 2


@pytest.mark.parametrize(
    "cache_control", ["no-store", "no-cache", "max-age=0", "private, no-store, max-age=600", "max-age=soon"]
)
async def test_a_document_that_may_not_be_kept_is_fetched_every_time(
    server: DocumentServer, http: httpx.AsyncClient, cache_control: str
) -> None:
    url = server.put("/client.json", good_document, headers={"Cache-Control": cache_control})
    documents = ClientMetadataDocuments(http, allow_loopback=True, clock=Clock())

    await documents.client(url)
    await documents.client(url)

    assert server.hits["/client.json"] == 2


async def test_without_cache_control_a_document_is_kept_ten_minutes_and_at_most_a_day(
    server: DocumentServer, http: httpx.AsyncClient
) -> None:
    plain = server.put("/plain.json", good_document)
    long = server.put("/long.json", good_document, headers={"Cache-Control": "max-age=31536000"})
    clock = Clock()
    documents = ClientMetadataDocuments(http, allow_loopback=True, clock=clock)
    for url in (plain, long):
        await documents.client(url)

    clock.now += 599
    for url in (plain, long):
        await documents.client(url)
    assert (server.hits["/plain.json"], server.hits["/long.json"]) == (1, 1)
    clock.now += 2
    await documents.client(plain)
    assert server.hits["/plain.json"] == 2
    clock.now += 86400 - 600
    await documents.client(long)
    assert server.hits["/long.json"] == 2


@pytest.mark.parametrize(
    "content_type",
    ["text/html", "text/plain", "application/javascript", "application/jsonp", "", "text/json"],
)
async def test_a_document_not_served_as_json_is_refused(
    server: DocumentServer, http: httpx.AsyncClient, content_type: str
) -> None:
    url = server.put("/client.json", good_document, headers={"Content-Type": content_type})

    message = await refusal(ClientMetadataDocuments(http, allow_loopback=True), url)

    assert f"it was served as {content_type or 'no content type'}, not application/json" in message


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/client+json"]
)
async def test_json_content_types_are_accepted(
    server: DocumentServer, http: httpx.AsyncClient, content_type: str
) -> None:
    url = server.put("/client.json", good_document, headers={"Content-Type": content_type})

    assert (await ClientMetadataDocuments(http, allow_loopback=True).client(url)).client_id == url


async def test_a_refused_document_is_not_cached(server: DocumentServer, http: httpx.AsyncClient) -> None:
    url = server.put("/client.json", lambda url: {"client_id": url})
    documents = ClientMetadataDocuments(http, allow_loopback=True)
    await refusal(documents, url)

    server.put("/client.json", good_document)
    assert (await documents.client(url)).client_name == "Example MCP Client"


async def test_a_missing_name_falls_back_to_the_host(server: DocumentServer, http: httpx.AsyncClient) -> None:
    url = server.put("/client.json", lambda url: {"client_id": url, "redirect_uris": [CALLBACK]})

    client = await ClientMetadataDocuments(http, allow_loopback=True).client(url)

    assert client.client_name == "localhost"


class RecordingResolver:
    """Stands in for DNS: every name is 127.0.0.1, and each name asked for is remembered."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return ["127.0.0.1"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("cl\u00adaude.ai", "the host name contains an invisible character (U+00AD)"),
        ("claude\u200b.ai", "the host name contains an invisible character (U+200B)"),
        ("\u202eia.edualc", "the host name contains a bidirectional control character (U+202E)"),
        ("\u0441laude.ai", "the host name mixes Cyrillic and Latin letters in one label ('\u0441laude')"),
        ("xn--laude-0ye.ai", "mixes Cyrillic and Latin letters"),
        ("\u0301a.example", "is not a valid internationalised domain name"),
        ("xn--zz.example", "is not a valid internationalised domain name"),
    ],
)
async def test_hosts_that_hide_or_disguise_characters_are_refused_before_any_lookup(
    http: httpx.AsyncClient, host: str, expected: str
) -> None:
    resolver = RecordingResolver()
    url = f"https://{host}/client.json"

    message = await refusal(ClientMetadataDocuments(http, resolve=resolver), url)

    assert expected in message
    assert resolver.asked == []


async def test_an_internationalised_host_is_looked_up_and_sent_in_its_ascii_form(
    http: httpx.AsyncClient,
) -> None:
    resolver = RecordingResolver()
    with DocumentServer(host_name="부동산.localhost") as server:
        url = server.put("/client.json", good_document)
        documents = ClientMetadataDocuments(http, allow_loopback=True, resolve=resolver)

        client = await documents.client(url)

    assert client.client_id == url  # the identifier stays exactly as the client wrote it
    assert resolver.asked == ["xn--2q1b16p8rc.localhost"]
    assert server.hosts == [f"xn--2q1b16p8rc.localhost:{server.port}"]


async def test_a_document_with_a_look_alike_redirect_uri_is_refused(
    server: DocumentServer, http: httpx.AsyncClient
) -> None:
    url = server.put(
        "/client.json", lambda url: {**good_document(url), "redirect_uris": ["https://\u0441laude.ai/cb"]}
    )

    message = await refusal(ClientMetadataDocuments(http, allow_loopback=True), url)

    assert "its redirect URI 'https://\u0441laude.ai/cb' cannot be shown to the owner as it is" in message
