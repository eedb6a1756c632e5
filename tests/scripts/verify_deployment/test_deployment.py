"""What the user typed, and the .env files the script reads (client credentials, SITE_ADDRESS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from verify_deployment import deployment
from verify_deployment.deployment import Deployment, base_url, read_client_credentials, read_dotenv


@pytest.mark.parametrize(
    ("typed", "base"),
    [
        ("https://home.example.net/mcp", "https://home.example.net"),
        ("home.example.net/", "https://home.example.net"),
        ("  https://home.example.net:8443  ", "https://home.example.net:8443"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:8080/mcp", "http://localhost:8080"),
    ],
)
def test_the_base_url_forgives_a_path_and_a_missing_scheme(typed: str, base: str) -> None:
    assert base_url(typed) == base


def test_plain_http_is_for_loopback_only() -> None:
    with pytest.raises(ValueError, match=r"only connect over https://; use https://home.example.net"):
        base_url("http://home.example.net")


@pytest.mark.parametrize("typed", ["ftp://home.example.net", "https://"])
def test_not_a_url_says_what_one_looks_like(typed: str) -> None:
    with pytest.raises(ValueError, match=r"not a URL: .*; use e\.g\. https://your-domain\.ddns\.net"):
        base_url(typed)


def test_the_dotenv_reader_takes_what_init_env_and_shells_write(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        "# comment\n\nOAUTH_CLIENT_ID=client\nexport OAUTH_CLIENT_SECRET='s3cr=t'\nQUOTED=\"two words\"\n"
        "EMPTY=\nnot a line\n",
        encoding="utf-8",
    )

    assert read_dotenv(str(path)) == {
        "OAUTH_CLIENT_ID": "client",
        "OAUTH_CLIENT_SECRET": "s3cr=t",
        "QUOTED": "two words",
        "EMPTY": "",
    }
    assert read_client_credentials(str(path)) == ("client", "s3cr=t")


def test_missing_credentials_are_none(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("OAUTH_CLIENT_ID=\n", encoding="utf-8")

    assert read_client_credentials(str(path)) == (None, None)


def test_site_address_comes_from_the_checkouts_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deployment, "CHECKOUT", tmp_path)
    assert deployment.configured_site_address() is None  # no .env at all

    (tmp_path / ".env").write_bytes(b"SITE_ADDRESS=\xff\n")
    assert deployment.configured_site_address() is None  # unreadable: no advice rather than a traceback

    (tmp_path / ".env").write_text("SITE_ADDRESS=home.example.net\n", encoding="utf-8")
    assert deployment.configured_site_address() == "home.example.net"


def test_the_checkout_is_the_repository_root() -> None:
    assert (deployment.CHECKOUT / "scripts" / "verify-deployment").is_file()


def test_the_gateway_is_the_authorization_server_when_it_is_the_issuer() -> None:
    assert Deployment("https://a.example", issuer="https://a.example").built_in
    assert not Deployment("https://a.example", issuer="https://tenant.example/").built_in
    assert not Deployment("https://a.example").built_in
