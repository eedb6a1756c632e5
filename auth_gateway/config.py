"""Gateway settings, read once from the environment and validated before anything listens.

A misconfigured auth gateway is a security hole that looks like a working one, so every rule the
deployment guide states is enforced here, and each refusal names the variable and the fix
(`SettingsError`). Empty variables (``AUTH0_DOMAIN=`` as `.env.example` ships them) count as unset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from auth_gateway.authorization_server.redirect_rules import redirect_uri_problem
from auth_gateway.config_checks import (
    DEFAULT_REFRESH_TTL,
    LOG_LEVELS,
    MAX_REFRESH_TTL,
    MAX_TOKEN_TTL,
    Network,
    check_host_port,
    check_url,
    client_credential_problems,
    describe,
    is_loopback_host,
    parse_networks,
)
from auth_gateway.credentials.owner_password import phc_problem
from auth_gateway.errors import SettingsError

__all__ = [
    "DEFAULT_TRUSTED_PROXIES",
    "MAX_TOKEN_TTL",
    "GatewaySettings",
    "is_loopback_host",
    "load_settings",
]

# Caddy reaches the gateway over loopback (./scripts/dev) or a private container network (compose).
DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
# The gateway's own state (refresh tokens): a named volume in compose, ./data under ./scripts/dev.
DEFAULT_STATE_PATH = "/data/oauth.sqlite3"
# Where the gateway writes the discovery documents Caddy serves: a volume both containers mount in
# compose (read-only for Caddy), ./data/discovery under ./scripts/dev.
DEFAULT_DISCOVERY_DIR = "/discovery"
IssuerSource = Literal["oauth_issuer", "auth0", "own"]
CLIENT_IP_HEADERS = ("X-Forwarded-For", "CF-Connecting-IP")


class GatewaySettings(BaseSettings):
    """Everything the gateway reads from the environment (names are the env contract in architecture.md)."""

    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", case_sensitive=True)

    AUTH_MODE: Literal["none", "oauth"] = "none"
    PUBLIC_BASE_URL: str | None = None
    OAUTH_CLIENT_ID: str | None = None
    OAUTH_CLIENT_SECRET: SecretStr | None = None
    OAUTH_TOKEN_TTL: int = Field(default=3600, ge=60, le=MAX_TOKEN_TTL)
    OAUTH_REFRESH_TTL: int = Field(default=DEFAULT_REFRESH_TTL, ge=3600, le=MAX_REFRESH_TTL)
    OAUTH_REDIRECT_URIS: str = ""
    OAUTH_STATE_PATH: str = DEFAULT_STATE_PATH
    DISCOVERY_DIR: Path = Path(DEFAULT_DISCOVERY_DIR)
    AUTH0_DOMAIN: str | None = None
    AUTH0_AUDIENCE: str | None = None
    OAUTH_ISSUER: str | None = None
    OAUTH_SCOPES: str = ""
    TRUSTED_PROXIES: Annotated[tuple[Network, ...], NoDecode] = Field(
        default=DEFAULT_TRUSTED_PROXIES, validate_default=True
    )
    CLIENT_IP_HEADER: Literal["X-Forwarded-For", "CF-Connecting-IP"] = "X-Forwarded-For"
    LOG_LEVEL: Literal["debug", "info", "warning", "error"] = "info"
    OWNER_PASSWORD_HASH: SecretStr | None = None
    OAUTH_CIMD_UNSAFE_ALLOW_LOOPBACK: bool = False
    # The status page at / (auth_gateway/status/page.py) and where it asks the MCP server for its numbers:
    # the same host:port Caddy proxies /mcp to, on the internal network.
    STATUS_PAGE: Literal["on", "off"] = "on"
    MCP_UPSTREAM: str = "mcp-server:8000"

    @field_validator("LOG_LEVEL", mode="before")
    @classmethod
    def _log_level(cls, value: object) -> object:
        # only a known level is lower-cased, so a refusal quotes the value as it was given
        return value.lower() if isinstance(value, str) and value.lower() in LOG_LEVELS else value

    @field_validator("STATUS_PAGE", mode="before")
    @classmethod
    def _status_page(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("MCP_UPSTREAM")
    @classmethod
    def _mcp_upstream(cls, value: str) -> str:
        return check_host_port(value)

    @field_validator("CLIENT_IP_HEADER", mode="before")
    @classmethod
    def _client_ip_header(cls, value: object) -> object:
        # header names are case-insensitive; a known one is spelled canonically
        if isinstance(value, str):
            for name in CLIENT_IP_HEADERS:
                if value.strip().lower() == name.lower():
                    return name
        return value

    @field_validator("OAUTH_REDIRECT_URIS")
    @classmethod
    def _redirect_uris(cls, value: str) -> str:
        for uri in value.split():
            problem = redirect_uri_problem(uri)
            if problem is not None:
                raise ValueError(
                    f"{uri[:100]!r} {problem}; list full callback URLs separated by spaces, "
                    "e.g. https://client.example.com/oauth/callback"
                )
        return value

    @field_validator("OAUTH_STATE_PATH")
    @classmethod
    def _state_path(cls, value: str) -> str:
        if not value.strip() or value.strip() != value:
            raise ValueError("must be a file path, e.g. /data/oauth.sqlite3")
        return value

    @field_validator("TRUSTED_PROXIES", mode="before")
    @classmethod
    def _trusted_proxies(cls, value: object) -> object:
        """The comma- or space-separated list, parsed once into networks."""
        return parse_networks(value) if isinstance(value, str) else value

    @field_validator("AUTH0_DOMAIN")
    @classmethod
    def _auth0_domain(cls, value: str | None) -> str | None:
        if value is not None and ("/" in value or ":" in value or not value.strip() or " " in value):
            raise ValueError(
                "must be the bare tenant host name, e.g. your-tenant.us.auth0.com "
                "(no https:// and no slash; the issuer https://DOMAIN/ is derived from it)"
            )
        return value

    @field_validator("OWNER_PASSWORD_HASH")
    @classmethod
    def _owner_password_hash(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            problem = phc_problem(value.get_secret_value().strip())
            if problem is not None:
                raise ValueError(f"{problem}: run ./scripts/set-owner-password to set it")
            return SecretStr(value.get_secret_value().strip())
        return value

    @model_validator(mode="after")
    def _oauth_requirements(self) -> GatewaySettings:
        if self.AUTH_MODE != "oauth":
            return self  # none mode ignores credentials and issuers (they may still hold placeholders)
        problems: list[str] = []
        if self.PUBLIC_BASE_URL is None:
            problems.append(
                "PUBLIC_BASE_URL is required when AUTH_MODE=oauth: set it to https://your-domain.ddns.net"
            )
        else:
            try:
                check_url("PUBLIC_BASE_URL", self.PUBLIC_BASE_URL, allow_path=False)
            except ValueError as exc:
                problems.append(str(exc))
        if self.OAUTH_ISSUER is not None:
            try:
                check_url("OAUTH_ISSUER", self.OAUTH_ISSUER, allow_path=True)
            except ValueError as exc:
                problems.append(str(exc))
        problems.extend(client_credential_problems(self.OAUTH_CLIENT_ID, self.OAUTH_CLIENT_SECRET))
        if self.OWNER_PASSWORD_HASH is not None and not self.has_client_credentials:
            problems.append(
                "OWNER_PASSWORD_HASH needs OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET too: registrations, "
                "login forms and codes are signed with a key derived from the secret "
                "(./scripts/init-env generates both)"
            )
        if not self.has_issuer and not self.has_client_credentials and not problems:
            problems.append(
                "AUTH_MODE=oauth needs a way to obtain tokens: set AUTH0_DOMAIN (or OAUTH_ISSUER), "
                "and/or both OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET"
            )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    # ---- derived values -------------------------------------------------------------------------

    @property
    def oauth(self) -> bool:
        return self.AUTH_MODE == "oauth"

    @property
    def has_client_credentials(self) -> bool:
        return self.OAUTH_CLIENT_ID is not None and self.OAUTH_CLIENT_SECRET is not None

    @property
    def owner_login(self) -> bool:
        """Clients that register themselves (DCR, metadata documents) may get tokens via the owner's
        password."""
        return self.oauth and self.OWNER_PASSWORD_HASH is not None and self.has_client_credentials

    @property
    def has_issuer(self) -> bool:
        return self.issuer is not None

    @property
    def issuer_source(self) -> IssuerSource:
        """Who signs clients in, the one place the precedence is written: OAUTH_ISSUER wins over
        AUTH0_DOMAIN, and without either the gateway's own endpoints are the authorization server.
        /verify and the discovery documents Caddy serves (auth_gateway/discovery/) both follow it."""
        if self.OAUTH_ISSUER is not None:
            return "oauth_issuer"
        if self.AUTH0_DOMAIN is not None:
            return "auth0"
        return "own"

    @property
    def issuer(self) -> str | None:
        """The external issuer whose tokens /verify accepts: OAUTH_ISSUER verbatim, or Auth0's, which
        ends with a slash (tokens carry it so, and clients compare issuers as strings)."""
        if self.issuer_source == "oauth_issuer":
            return self.OAUTH_ISSUER
        if self.issuer_source == "auth0":
            return f"https://{self.AUTH0_DOMAIN}/"
        return None

    @property
    def authorization_server(self) -> str:
        """The issuer clients are sent to for tokens: the external one, else this gateway (base URL)."""
        return self.issuer or self.base_url

    @property
    def base_url(self) -> str:
        return (self.PUBLIC_BASE_URL or "http://localhost").rstrip("/")

    @property
    def resource(self) -> str:
        """The protected resource (RFC 8707) this gateway guards: PUBLIC_BASE_URL/mcp."""
        return f"{self.base_url}/mcp"

    @property
    def audience(self) -> str:
        return self.AUTH0_AUDIENCE or self.resource

    @property
    def resource_metadata_url(self) -> str:
        return f"{self.base_url}/.well-known/oauth-protected-resource/mcp"

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        """Extra redirect URIs the pre-registered client may use, beyond Claude's, ChatGPT's and loopback."""
        return tuple(self.OAUTH_REDIRECT_URIS.split())

    @property
    def required_scopes(self) -> tuple[str, ...]:
        return tuple(self.OAUTH_SCOPES.split())

    @property
    def trusted_proxy_networks(self) -> tuple[Network, ...]:
        return self.TRUSTED_PROXIES

    @property
    def status_page(self) -> bool:
        return self.STATUS_PAGE == "on"

    @property
    def mcp_status_url(self) -> str:
        return f"http://{self.MCP_UPSTREAM}/internal/status"

    @property
    def open_to_anyone_over_https(self) -> bool:
        """none mode behind a public https name: worth a loud warning at start-up."""
        return not self.oauth and (self.PUBLIC_BASE_URL or "").startswith("https://")


def load_settings(env_file: Path | None = None) -> GatewaySettings:
    """Read the environment (over `env_file` if it exists; the environment wins), or raise
    `SettingsError` with one line per problem (never a secret). `python -m auth_gateway` passes None:
    compose and ./scripts/dev hand it exactly its environment."""
    try:
        if env_file is not None and env_file.is_file():
            return GatewaySettings(_env_file=env_file)
        return GatewaySettings()
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None
