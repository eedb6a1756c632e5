"""Settings: keys optional at start-up, malformed values refused naming the variable, allowed hosts."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_server.config import Settings, load_settings
from mcp_server.errors import ConfigurationError, RealEstateError, SettingsError


def make(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


def test_defaults_follow_the_env_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATA_GO_KR_BASE_URL", "ODCLOUD_BASE_URL", "MOLIT_PAGE_SIZE", "CACHE_PATH", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    settings = make()
    assert settings.DATA_GO_KR_BASE_URL == "https://apis.data.go.kr"
    assert settings.ODCLOUD_BASE_URL == "https://api.odcloud.kr/api"
    assert settings.MOLIT_PAGE_SIZE == 1000
    assert settings.cache_enabled


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_GO_KR_API_KEY", "env-key")
    monkeypatch.setenv("MOLIT_PAGE_SIZE", "500")
    monkeypatch.setenv("CACHE_PATH", "off")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    settings = make()
    assert (settings.data_go_kr_key(), settings.MOLIT_PAGE_SIZE, settings.cache_enabled) == (
        "env-key",
        500,
        False,
    )
    assert settings.LOG_LEVEL == "debug"


def test_empty_variables_count_as_unset_as_in_the_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    """docker compose passes ``${VAR}`` as an empty string when .env leaves it blank."""
    for name in ("CACHE_PATH", "LOG_LEVEL", "MOLIT_PAGE_SIZE", "DATA_GO_KR_BASE_URL"):
        monkeypatch.setenv(name, "")
    settings = make()
    assert (settings.CACHE_PATH, settings.LOG_LEVEL, settings.MOLIT_PAGE_SIZE) == (
        "/data/cache.sqlite3",
        "info",
        1000,
    )
    assert settings.DATA_GO_KR_BASE_URL == "https://apis.data.go.kr"


def test_a_missing_key_is_not_a_start_up_failure_but_a_clear_call_error() -> None:
    settings = make(DATA_GO_KR_API_KEY="  ", ODCLOUD_API_KEY=None, ODCLOUD_SERVICE_KEY=None)
    with pytest.raises(ConfigurationError, match=r"Set DATA_GO_KR_API_KEY in \.env"):
        settings.data_go_kr_key()
    with pytest.raises(ConfigurationError, match="ODCLOUD_API_KEY"):
        settings.odcloud_credential()


def test_an_encoding_key_pasted_by_mistake_is_decoded_once() -> None:
    assert make(DATA_GO_KR_API_KEY="abc%2Bdef%3D%3D").data_go_kr_key() == "abc+def=="


def test_odcloud_credential_prefers_the_infuser_header_key_then_falls_back() -> None:
    assert make(ODCLOUD_API_KEY="h", DATA_GO_KR_API_KEY="d").odcloud_credential() == ("header", "h")
    assert make(ODCLOUD_SERVICE_KEY="q", DATA_GO_KR_API_KEY="d").odcloud_credential() == ("query", "q")
    assert make(
        ODCLOUD_API_KEY=None, ODCLOUD_SERVICE_KEY=None, DATA_GO_KR_API_KEY="d"
    ).odcloud_credential() == (
        "query",
        "d",
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MOLIT_PAGE_SIZE", "0"),
        ("MOLIT_PAGE_SIZE", "1001"),
        ("DATA_GO_KR_BASE_URL", "apis.data.go.kr"),
        ("LOG_LEVEL", "verbose"),
        ("CACHE_PATH", " "),
        ("MCP_ALLOWED_HOSTS", "https://estate.example.net"),
        ("MCP_ALLOWED_HOSTS", "a.example.org, b.example.org/mcp"),
    ],
)
def test_malformed_values_are_refused_naming_the_variable(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert list(caught.value.problems) == [variable]
    assert str(caught.value).startswith(f"invalid setting {variable}: ")
    assert isinstance(caught.value, RealEstateError)


def test_every_malformed_variable_is_named_and_no_key_is_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_GO_KR_API_KEY", "secret-key-in-the-environment")
    monkeypatch.setenv("MOLIT_PAGE_SIZE", "many")
    monkeypatch.setenv("UPSTREAM_RETRIES", "9")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert set(caught.value.problems) == {"MOLIT_PAGE_SIZE", "UPSTREAM_RETRIES"}
    assert "secret-key-in-the-environment" not in str(caught.value)


def test_the_named_env_file_is_read_under_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("MOLIT_PAGE_SIZE=300\nLOG_LEVEL=debug\ncache_path=off\n", encoding="utf-8")
    monkeypatch.setenv("LOG_LEVEL", "warning")
    monkeypatch.delenv("MOLIT_PAGE_SIZE", raising=False)
    monkeypatch.delenv("CACHE_PATH", raising=False)

    settings = load_settings(env_file)

    assert (settings.MOLIT_PAGE_SIZE, settings.LOG_LEVEL) == (300, "warning")  # the environment wins
    assert settings.cache_enabled  # names are exact: a lower-case cache_path is not CACHE_PATH
    assert load_settings(tmp_path / "missing.env").MOLIT_PAGE_SIZE == 1000


def test_nothing_reads_dot_env_unless_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("MOLIT_PAGE_SIZE=300\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MOLIT_PAGE_SIZE", raising=False)

    assert Settings().MOLIT_PAGE_SIZE == load_settings().MOLIT_PAGE_SIZE == 1000
    assert load_settings(Path(".env")).MOLIT_PAGE_SIZE == 300


def test_secrets_are_hidden_in_repr() -> None:
    settings = make(DATA_GO_KR_API_KEY="very-secret-key")
    assert "very-secret-key" not in repr(settings)
    assert "very-secret-key" in settings.secret_values()


def test_secret_values_cover_the_pasted_decoded_and_percent_encoded_forms() -> None:
    values = make(DATA_GO_KR_API_KEY="ab%2Bcd%3D%3D").secret_values()
    assert {"ab%2Bcd%3D%3D", "ab+cd=="} <= set(values)
    assert make(DATA_GO_KR_API_KEY="ab+c/d==").secret_values().count("ab%2Bc%2Fd%3D%3D") == 1


def test_allowed_hosts_come_from_public_url_site_address_and_extra_hosts() -> None:
    settings = make(
        PUBLIC_BASE_URL="https://estate.example.net",
        SITE_ADDRESS="home.ddns.net",
        MCP_ALLOWED_HOSTS="a.example.org, b.example.org:8443",
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
        MCP_ALLOWED_HOSTS=" a.example.org , b.example.org:8443,c.example.org:*,[::1]:8000"
    ).allowed_hosts()
    assert {"a.example.org", "b.example.org:8443", "c.example.org:*", "[::1]:8000"} <= set(hosts)


def test_site_address_with_scheme_and_port_is_reduced_to_its_host() -> None:
    hosts = make(
        PUBLIC_BASE_URL=None, SITE_ADDRESS="http://localhost:8080", MCP_ALLOWED_HOSTS=""
    ).allowed_hosts()
    assert "localhost:*" in hosts
    assert not any("http" in host for host in hosts)


def test_every_host_of_a_multi_address_site_address_is_allowed() -> None:
    hosts = make(PUBLIC_BASE_URL=None, SITE_ADDRESS="a.ddns.net, https://b.ddns.net:8443").allowed_hosts()
    assert {"a.ddns.net", "a.ddns.net:*", "b.ddns.net", "b.ddns.net:*"} <= set(hosts)
    assert not any("," in host or " " in host for host in hosts)


def test_a_home_relative_cache_path_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    assert make(CACHE_PATH="~/.cache/real-estate-mcp.sqlite3").CACHE_PATH == (
        "/home/someone/.cache/real-estate-mcp.sqlite3"
    )
    assert not make(CACHE_PATH="OFF").cache_enabled


def test_the_missing_key_message_fits_the_transport() -> None:
    """Behind Caddy the key lives in .env; a desktop client gives a stdio server its own env block."""
    settings = make(DATA_GO_KR_API_KEY=None, ODCLOUD_API_KEY=None, ODCLOUD_SERVICE_KEY=None)

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
