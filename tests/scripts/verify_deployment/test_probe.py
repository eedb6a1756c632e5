"""HTTP as a discovering client does it: no redirects followed, error statuses are results, only
http(s) URLs, and network errors explained by their reason."""

from __future__ import annotations

import ssl
import urllib.error
from email.message import Message

import pytest
from verify_deployment import probe

from tests.e2e.fake_deployment import FakeServer


def test_an_error_status_is_a_result(server: FakeServer) -> None:
    server.routes[("GET", "/x")] = (403, {"Content-Type": "application/json"}, b'{"error": "no"}')

    status, headers, body = probe.fetch(server.url + "/x")

    assert (status, headers["Content-Type"], body) == (403, "application/json", '{"error": "no"}')


def test_a_redirect_is_not_followed(server: FakeServer) -> None:
    server.routes[("GET", "/old")] = (302, {"Location": "/new"}, b"")

    status, headers, _body = probe.fetch(server.url + "/old")

    assert (status, headers["Location"]) == (302, "/new")
    assert [path for _method, path, _body in server.requests] == ["/old"]


def test_the_request_carries_method_body_headers_and_user_agent(server: FakeServer) -> None:
    seen: list[tuple[str, Message, bytes]] = []

    def record(target: str, headers: Message, body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append((target, headers, body))
        return 201, {}, "답".encode()

    server.routes[("POST", "/r")] = record

    status, _headers, body = probe.fetch(
        server.url + "/r?a=1", "POST", b"{}", {"Content-Type": "application/json"}
    )

    ((target, headers, sent),) = seen
    assert (status, body, target, sent) == (201, "답", "/r?a=1", b"{}")
    assert headers["User-Agent"] == "real-estate-mcp verify-deployment"
    assert headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.net/x", "javascript:alert(1)"])
def test_only_http_urls_are_fetched(url: str) -> None:
    """URLs come from remote documents too (the metadata's endpoints)."""
    with pytest.raises(urllib.error.URLError, match="not an http"):
        probe.fetch(url)


def test_a_refused_connection_is_a_probe_error_with_its_reason(nothing_listens: str) -> None:
    with pytest.raises(probe.ProbeError) as raised:
        probe.fetch(nothing_listens)

    assert "Connection refused" in str(probe.reason(raised.value))
    assert probe.tls_failure(raised.value) is None


def test_the_tls_error_behind_a_failed_request_is_found() -> None:
    tls = ssl.SSLCertVerificationError(1, "certificate verify failed")

    assert probe.tls_failure(urllib.error.URLError(tls)) is tls
    assert probe.tls_failure(tls) is tls


@pytest.mark.parametrize(("text", "read"), [('{"a": 1}', {"a": 1}), ("[1]", {}), ("nope", {}), ('"s"', {})])
def test_only_a_json_object_is_read(text: str, read: dict[str, int]) -> None:
    assert probe.read_json_object(text) == read
