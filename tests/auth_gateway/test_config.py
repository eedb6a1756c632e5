"""Settings validation: every configuration issue 3 forbids refuses to start, naming the variable."""

from __future__ import annotations

import pytest

from auth_gateway.config import GatewaySettings, load_settings
from auth_gateway.errors import SettingsError

SECRET = "x" * 40
HTTPS_BASE = "https://home.example.ddns.net"


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return str(caught.value)


def accepted(monkeypatch: pytest.MonkeyPatch, **env: str) -> GatewaySettings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def accepted_oauth(monkeypatch: pytest.MonkeyPatch, **env: str) -> GatewaySettings:
    """Settings in oauth mode at the public https address, plus `env`."""
    return accepted(monkeypatch, AUTH_MODE="oauth", PUBLIC_BASE_URL=HTTPS_BASE, **env)


@pytest.mark.parametrize("mode", ["OAuth", "NONE", "oauth2", "off", " oauth"])
def test_auth_mode_typos_and_wrong_case_refused(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    message = refusal(monkeypatch, AUTH_MODE=mode)
    assert "AUTH_MODE" in message
    assert "'none' or 'oauth'" in message


def test_defaults_to_none_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = accepted(monkeypatch)
    assert settings.AUTH_MODE == "none"
    assert not settings.open_to_anyone_over_https


def test_none_mode_ignores_env_example_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = accepted(
        monkeypatch,
        AUTH_MODE="none",
        OAUTH_CLIENT_ID="replace-with-a-client-id",
        OAUTH_CLIENT_SECRET="replace-with-a-long-random-secret",
        AUTH0_DOMAIN="",
        PUBLIC_BASE_URL=HTTPS_BASE,
    )
    assert settings.open_to_anyone_over_https


def with_auth0(**env: str) -> dict[str, str]:
    """A valid Auth0 configuration but for `env`: each refusal below is about that one variable."""
    return {"PUBLIC_BASE_URL": HTTPS_BASE, "AUTH0_DOMAIN": "t.auth0.com", **env}


REFUSED_OAUTH = [
    pytest.param(
        {"OAUTH_CLIENT_ID": "c", "OAUTH_CLIENT_SECRET": SECRET},
        "PUBLIC_BASE_URL is required",
        id="no-base-url",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": HTTPS_BASE + "/"},
        "PUBLIC_BASE_URL must not end with a slash",
        id="trailing-slash",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": "http://home.example.ddns.net"},
        "PUBLIC_BASE_URL must use https://",
        id="http-public",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": "home.example.ddns.net"},
        "PUBLIC_BASE_URL must be an absolute https://",
        id="no-scheme",
    ),
    pytest.param({"PUBLIC_BASE_URL": HTTPS_BASE + "/mcp"}, "PUBLIC_BASE_URL must be just", id="with-path"),
    pytest.param(
        {"PUBLIC_BASE_URL": HTTPS_BASE, "AUTH0_DOMAIN": ""},
        "AUTH0_DOMAIN (or OAUTH_ISSUER)",
        id="nothing-to-verify",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": HTTPS_BASE, "OAUTH_CLIENT_ID": "c"},
        "OAUTH_CLIENT_SECRET is not",
        id="id-without-secret",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": HTTPS_BASE, "OAUTH_CLIENT_SECRET": SECRET},
        "OAUTH_CLIENT_ID is not",
        id="secret-without-id",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": HTTPS_BASE, "OAUTH_CLIENT_ID": "c", "OAUTH_CLIENT_SECRET": "short-secret"},
        "OAUTH_CLIENT_SECRET is too short (12 characters)",
        id="short-secret",
    ),
    pytest.param(
        {
            "PUBLIC_BASE_URL": HTTPS_BASE,
            "OAUTH_CLIENT_ID": "replace-with-a-client-id",
            "OAUTH_CLIENT_SECRET": SECRET,
        },
        "OAUTH_CLIENT_ID still holds the .env.example placeholder",
        id="placeholder-id",
    ),
    pytest.param(
        {
            "PUBLIC_BASE_URL": HTTPS_BASE,
            "OAUTH_CLIENT_ID": "c",
            "OAUTH_CLIENT_SECRET": "replace-with-a-long-random-secret",
        },
        "OAUTH_CLIENT_SECRET still holds the .env.example placeholder",
        id="placeholder-secret",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": HTTPS_BASE, "AUTH0_DOMAIN": "https://tenant.us.auth0.com/"},
        "AUTH0_DOMAIN: must be the bare tenant host name",
        id="auth0-domain-as-url",
    ),
    pytest.param(
        {"PUBLIC_BASE_URL": HTTPS_BASE, "OAUTH_ISSUER": "http://idp.example.com/"},
        "OAUTH_ISSUER must use https://",
        id="http-issuer",
    ),
    pytest.param(
        with_auth0(OAUTH_TOKEN_TTL="soon"),
        "OAUTH_TOKEN_TTL: must be a whole number",
        id="ttl-not-a-number",
    ),
    pytest.param(
        with_auth0(OAUTH_TOKEN_TTL="5"),
        "OAUTH_TOKEN_TTL: must be between 60 and 86400",
        id="ttl-too-short",
    ),
    pytest.param(
        with_auth0(OAUTH_REFRESH_TTL="600"),
        "OAUTH_REFRESH_TTL: must be between 3600 seconds",
        id="refresh-ttl-too-short",
    ),
    pytest.param(
        with_auth0(OAUTH_REFRESH_TTL="30d"),
        "OAUTH_REFRESH_TTL: must be a whole number of seconds",
        id="refresh-ttl-not-a-number",
    ),
    pytest.param(
        with_auth0(OAUTH_REDIRECT_URIS="myapp/callback"),
        "OAUTH_REDIRECT_URIS: 'myapp/callback' is not an absolute URL",
        id="redirect-uri-relative",
    ),
    pytest.param(
        with_auth0(OAUTH_REDIRECT_URIS="https://ok.example/cb http://tools.example.org/cb"),
        "OAUTH_REDIRECT_URIS: 'http://tools.example.org/cb' must use https://",
        id="redirect-uri-plain-http",
    ),
    pytest.param(
        with_auth0(OAUTH_REDIRECT_URIS="https://a.example/#x"),
        "OAUTH_REDIRECT_URIS: 'https://a.example/#x' must not contain a fragment",
        id="redirect-uri-fragment",
    ),
    pytest.param(
        with_auth0(TRUSTED_PROXIES="caddy"),
        "TRUSTED_PROXIES: 'caddy' is not an IP address",
        id="trusted-proxies-name",
    ),
    pytest.param(
        with_auth0(CLIENT_IP_HEADER="X-Real-IP"),
        "CLIENT_IP_HEADER: must be X-Forwarded-For (Caddy's, the default) or CF-Connecting-IP",
        id="client-ip-header",
    ),
    pytest.param(
        with_auth0(LOG_LEVEL="verbose"),
        "LOG_LEVEL: must be one of",
        id="log-level",
    ),
]


@pytest.mark.parametrize(("env", "expected"), REFUSED_OAUTH)
def test_invalid_oauth_configuration_refused(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    message = refusal(monkeypatch, AUTH_MODE="oauth", **env)
    assert expected in message
    assert SECRET not in message
    assert "replace-with-a-long-random-secret" not in message


def test_secret_length_boundary_is_32_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"AUTH_MODE": "oauth", "PUBLIC_BASE_URL": HTTPS_BASE, "OAUTH_CLIENT_ID": "c"}
    assert "too short (31 characters)" in refusal(monkeypatch, **base, OAUTH_CLIENT_SECRET="s" * 31)
    assert accepted(monkeypatch, **base, OAUTH_CLIENT_SECRET="s" * 32).has_client_credentials


def test_several_problems_reported_together(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(
        monkeypatch,
        AUTH_MODE="oauth",
        PUBLIC_BASE_URL="http://example.com/",
        OAUTH_CLIENT_ID="c",
        OAUTH_CLIENT_SECRET="x",
    )
    assert "PUBLIC_BASE_URL must use https://" in message
    assert "OAUTH_CLIENT_SECRET is too short" in message


def test_auth0_domain_gives_the_trailing_slash_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = accepted_oauth(monkeypatch, AUTH0_DOMAIN="tenant.us.auth0.com")
    assert settings.issuer == "https://tenant.us.auth0.com/"
    assert settings.audience == HTTPS_BASE + "/mcp"
    assert settings.resource_metadata_url == HTTPS_BASE + "/.well-known/oauth-protected-resource/mcp"
    assert not settings.has_client_credentials


def test_oauth_issuer_wins_and_is_kept_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = accepted_oauth(
        monkeypatch,
        AUTH0_DOMAIN="tenant.us.auth0.com",
        OAUTH_ISSUER="https://sso.example.com/realms/home",
        AUTH0_AUDIENCE="urn:api",
    )
    assert settings.issuer == "https://sso.example.com/realms/home"
    assert settings.audience == "urn:api"


def test_empty_variables_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = accepted_oauth(
        monkeypatch,
        OAUTH_CLIENT_ID="c",
        OAUTH_CLIENT_SECRET=SECRET,
        AUTH0_DOMAIN="",
        OAUTH_ISSUER="",
        AUTH0_AUDIENCE="",
        OAUTH_TOKEN_TTL="",
    )
    assert settings.issuer is None
    assert settings.audience == HTTPS_BASE + "/mcp"
    assert settings.OAUTH_TOKEN_TTL == 3600


@pytest.mark.parametrize("base", ["http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"])
def test_plain_http_allowed_for_loopback(monkeypatch: pytest.MonkeyPatch, base: str) -> None:
    settings = accepted(
        monkeypatch, AUTH_MODE="oauth", PUBLIC_BASE_URL=base, OAUTH_ISSUER="http://127.0.0.1:9999/"
    )
    assert settings.resource == base + "/mcp"


def test_scopes_and_trusted_proxies_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = accepted_oauth(
        monkeypatch,
        AUTH0_DOMAIN="t.auth0.com",
        OAUTH_SCOPES=" mcp:read  mcp:tools ",
        TRUSTED_PROXIES="10.1.0.0/16 ::1",
        LOG_LEVEL="DEBUG",
    )
    assert settings.required_scopes == ("mcp:read", "mcp:tools")
    assert [str(n) for n in settings.trusted_proxy_networks] == ["10.1.0.0/16", "::1/128"]
    assert settings.LOG_LEVEL == "debug"


@pytest.mark.parametrize(
    ("value", "expected"), [("", "X-Forwarded-For"), ("cf-connecting-ip", "CF-Connecting-IP")]
)
def test_client_ip_header_defaults_to_caddys_and_ignores_case(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    settings = accepted(monkeypatch, CLIENT_IP_HEADER=value)
    assert expected == settings.CLIENT_IP_HEADER


def test_secret_never_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = accepted_oauth(
        monkeypatch,
        OAUTH_CLIENT_ID="c",
        OAUTH_CLIENT_SECRET=SECRET,
    )
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings.model_dump())


def test_built_in_authorization_server_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OAUTH_STATE_PATH", raising=False)
    settings = accepted_oauth(
        monkeypatch,
        AUTH0_DOMAIN="t.auth0.com",
        OAUTH_REDIRECT_URIS="  https://a.example/cb\thttp://127.0.0.1:9/cb ",
    )
    assert settings.redirect_uris == ("https://a.example/cb", "http://127.0.0.1:9/cb")
    assert settings.OAUTH_REFRESH_TTL == 30 * 86400
    assert settings.OAUTH_STATE_PATH == "/data/oauth.sqlite3"  # the gateway_data volume in compose
