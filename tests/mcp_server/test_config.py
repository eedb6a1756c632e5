"""Settings: keys optional at start-up, malformed values refused naming the variable, allowed hosts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mcp_server.config import Settings
from mcp_server.errors import ConfigurationError


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_defaults_follow_the_env_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATA_GO_KR_BASE_URL", "ODCLOUD_BASE_URL", "MOLIT_PAGE_SIZE", "CACHE_PATH", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    settings = make()
    assert settings.data_go_kr_base_url == "https://apis.data.go.kr"
    assert settings.odcloud_base_url == "https://api.odcloud.kr/api"
    assert settings.molit_page_size == 1000
    assert settings.cache_enabled


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_GO_KR_API_KEY", "env-key")
    monkeypatch.setenv("MOLIT_PAGE_SIZE", "500")
    monkeypatch.setenv("CACHE_PATH", "off")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    settings = make()
    assert (settings.data_go_kr_key(), settings.molit_page_size, settings.cache_enabled) == (
        "env-key",
        500,
        False,
    )
    assert settings.log_level == "debug"


def test_empty_variables_count_as_unset_as_in_the_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    """docker compose passes ``${VAR}`` as an empty string when .env leaves it blank."""
    for name in ("CACHE_PATH", "LOG_LEVEL", "MOLIT_PAGE_SIZE", "DATA_GO_KR_BASE_URL"):
        monkeypatch.setenv(name, "")
    settings = make()
    assert (settings.cache_path, settings.log_level, settings.molit_page_size) == (
        "/data/cache.sqlite3",
        "info",
        1000,
    )
    assert settings.data_go_kr_base_url == "https://apis.data.go.kr"


def test_a_missing_key_is_not_a_start_up_failure_but_a_clear_call_error() -> None:
    settings = make(data_go_kr_api_key="  ", odcloud_api_key=None, odcloud_service_key=None)
    with pytest.raises(ConfigurationError, match=r"Set DATA_GO_KR_API_KEY in \.env"):
        settings.data_go_kr_key()
    with pytest.raises(ConfigurationError, match="ODCLOUD_API_KEY"):
        settings.odcloud_credential()


def test_an_encoding_key_pasted_by_mistake_is_decoded_once() -> None:
    assert make(data_go_kr_api_key="abc%2Bdef%3D%3D").data_go_kr_key() == "abc+def=="


def test_odcloud_credential_prefers_the_infuser_header_key_then_falls_back() -> None:
    assert make(odcloud_api_key="h", data_go_kr_api_key="d").odcloud_credential() == ("header", "h")
    assert make(odcloud_service_key="q", data_go_kr_api_key="d").odcloud_credential() == ("query", "q")
    assert make(
        odcloud_api_key=None, odcloud_service_key=None, data_go_kr_api_key="d"
    ).odcloud_credential() == (
        "query",
        "d",
    )


@pytest.mark.parametrize(
    ("field", "value", "variable"),
    [
        ("molit_page_size", 0, "molit_page_size"),
        ("molit_page_size", 1001, "molit_page_size"),
        ("data_go_kr_base_url", "apis.data.go.kr", "data_go_kr_base_url"),
        ("log_level", "verbose", "log_level"),
        ("cache_path", " ", "cache_path"),
        ("mcp_allowed_hosts", "https://estate.example.net", "mcp_allowed_hosts"),
        ("mcp_allowed_hosts", "a.example.org, b.example.org/mcp", "mcp_allowed_hosts"),
    ],
)
def test_malformed_values_are_refused_naming_the_variable(field: str, value: object, variable: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make(**{field: value})
    assert caught.value.errors()[0]["loc"] == (variable,)


def test_secrets_are_hidden_in_repr() -> None:
    settings = make(data_go_kr_api_key="very-secret-key")
    assert "very-secret-key" not in repr(settings)
    assert "very-secret-key" in settings.secret_values()


def test_secret_values_cover_the_pasted_decoded_and_percent_encoded_forms() -> None:
    values = make(data_go_kr_api_key="ab%2Bcd%3D%3D").secret_values()
    assert {"ab%2Bcd%3D%3D", "ab+cd=="} <= set(values)
    assert make(data_go_kr_api_key="ab+c/d==").secret_values().count("ab%2Bc%2Fd%3D%3D") == 1


def test_allowed_hosts_come_from_public_url_site_address_and_extra_hosts() -> None:
    settings = make(
        public_base_url="https://estate.example.net",
        site_address="home.ddns.net",
        mcp_allowed_hosts="a.example.org, b.example.org:8443",
    )
    hosts = settings.allowed_hosts()
    for expected in (
        "estate.example.net",
        "estate.example.net:*",
        "home.ddns.net",
        "home.ddns.net:*",
        "a.example.org",
        "b.example.org:8443",
        "localhost:*",
        "127.0.0.1:*",
        "mcp-server:*",
    ):
        assert expected in hosts
    assert "https://estate.example.net" in settings.allowed_origins()


def test_allowed_hosts_accept_ports_wildcards_and_ipv6() -> None:
    hosts = make(
        mcp_allowed_hosts=" a.example.org , b.example.org:8443,c.example.org:*,[::1]:8000"
    ).allowed_hosts()
    assert {"a.example.org", "b.example.org:8443", "c.example.org:*", "[::1]:8000"} <= set(hosts)


def test_site_address_with_scheme_and_port_is_reduced_to_its_host() -> None:
    hosts = make(
        public_base_url=None, site_address="http://localhost:8080", mcp_allowed_hosts=""
    ).allowed_hosts()
    assert "localhost:*" in hosts
    assert not any("http" in host for host in hosts)


def test_every_host_of_a_multi_address_site_address_is_allowed() -> None:
    hosts = make(public_base_url=None, site_address="a.ddns.net, https://b.ddns.net:8443").allowed_hosts()
    assert {"a.ddns.net", "a.ddns.net:*", "b.ddns.net", "b.ddns.net:*"} <= set(hosts)
    assert not any("," in host or " " in host for host in hosts)


def test_a_home_relative_cache_path_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    assert make(cache_path="~/.cache/real-estate-mcp.sqlite3").cache_path == (
        "/home/someone/.cache/real-estate-mcp.sqlite3"
    )
    assert not make(cache_path="OFF").cache_enabled


def test_the_missing_key_message_fits_the_transport() -> None:
    """Behind Caddy the key lives in .env; a desktop client gives a stdio server its own env block."""
    settings = make(data_go_kr_api_key=None, odcloud_api_key=None, odcloud_service_key=None)

    with pytest.raises(ConfigurationError) as over_http:
        settings.data_go_kr_key()
    with pytest.raises(ConfigurationError) as over_stdio:
        settings.for_transport("stdio").data_go_kr_key()
    with pytest.raises(ConfigurationError) as odcloud_over_stdio:
        settings.for_transport("stdio").odcloud_credential()

    assert "Set DATA_GO_KR_API_KEY in .env, then restart the server" in str(over_http.value)
    assert 'Add DATA_GO_KR_API_KEY to the "env" block' in str(over_stdio.value)
    assert ".env" not in str(over_stdio.value).replace("claude_desktop_config.json", "")
    assert 'Add ODCLOUD_API_KEY or DATA_GO_KR_API_KEY to the "env" block' in str(odcloud_over_stdio.value)
    assert "Set DATA_GO_KR_API_KEY in .env" in str(
        settings.for_transport("http").where_to_set("DATA_GO_KR_API_KEY")
    )
