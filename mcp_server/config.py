"""Settings of the MCP server, read once at start-up from the environment and the ``.env`` the entry
point names.

Missing API keys are deliberately not a start-up failure: the stack must start for a first look, and
each data tool then answers with an error that says which variable to set. Malformed values (a URL
without a scheme, a page size out of range) do stop start-up: ``load_settings`` raises one
``SettingsError`` naming each variable and what it must be.

Field names are the variable names, exactly (``case_sensitive``), as in the gateway and the operator
commands.
Nothing reads ``.env`` implicitly: ``python -m mcp_server`` (and ``real-estate-mcp``) passes
``Path(".env")`` to ``load_settings``; tests construct ``Settings`` from values alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mcp_server.errors import ConfigurationError, SettingsError

__all__ = [
    "DEFAULT_DAILY_QUOTA",
    "MOLIT_MAX_PAGE_SIZE",
    "OdcloudCredential",
    "Settings",
    "Transport",
    "load_settings",
]

# Largest numOfRows known to work on the RTMS services (docs/upstream-apis.md, 1.1: more is unconfirmed).
MOLIT_MAX_PAGE_SIZE = 1000

# What a development key gets per service per day (docs/upstream-apis.md, section 1).
DEFAULT_DAILY_QUOTA = 10_000

OdcloudCredential = tuple[Literal["header", "query"], str]
Transport = Literal["stdio", "http"]

_HOST_ENTRY = re.compile(r"(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::(?:[0-9]{1,5}|\*))?")


class Settings(BaseSettings):
    """Environment contract of ``mcp_server`` (see docs/architecture.md and .env.example)."""

    # Empty variables count as unset: compose passes ``${VAR}`` as "" when .env leaves it blank.
    model_config = SettingsConfigDict(case_sensitive=True, env_ignore_empty=True, extra="ignore")

    DATA_GO_KR_API_KEY: SecretStr | None = None
    ODCLOUD_API_KEY: SecretStr | None = None
    ODCLOUD_SERVICE_KEY: SecretStr | None = None
    DATA_GO_KR_BASE_URL: str = "https://apis.data.go.kr"
    ODCLOUD_BASE_URL: str = "https://api.odcloud.kr/api"
    MOLIT_PAGE_SIZE: int = Field(default=MOLIT_MAX_PAGE_SIZE, ge=1, le=MOLIT_MAX_PAGE_SIZE)
    CACHE_PATH: str = "/data/cache.sqlite3"
    LOG_LEVEL: Literal["debug", "info", "warning", "error"] = "info"
    PUBLIC_BASE_URL: str | None = None
    SITE_ADDRESS: str | None = None
    MCP_ALLOWED_HOSTS: str = ""

    # Upstream behaviour; defaults suit the live services, tests shorten them.
    UPSTREAM_TIMEOUT_SECONDS: float = Field(default=20.0, gt=0, le=300)
    UPSTREAM_CONNECT_TIMEOUT_SECONDS: float = Field(default=5.0, gt=0, le=60)
    UPSTREAM_MAX_CONNECTIONS: int = Field(default=10, ge=1, le=100)
    UPSTREAM_RETRIES: int = Field(default=2, ge=0, le=5)
    UPSTREAM_RETRY_BACKOFF_SECONDS: float = Field(default=0.5, ge=0, le=30)
    MOLIT_PAGE_CONCURRENCY: int = Field(default=4, ge=1, le=16)
    # The daily request quota of the key per service, shown against today's count on the status page.
    DATA_GO_KR_DAILY_QUOTA: int = Field(default=DEFAULT_DAILY_QUOTA, ge=1, le=100_000_000)

    # How the server is run (set by __main__, never from the environment): where a key is configured
    # differs, so the missing-key messages do too.
    _transport: Transport = PrivateAttr(default="http")

    @field_validator("LOG_LEVEL", mode="before")
    @classmethod
    def _lower_log_level(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator(
        "DATA_GO_KR_API_KEY",
        "ODCLOUD_API_KEY",
        "ODCLOUD_SERVICE_KEY",
        "PUBLIC_BASE_URL",
        "SITE_ADDRESS",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("DATA_GO_KR_BASE_URL", "ODCLOUD_BASE_URL")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"must be an http(s) URL such as https://apis.data.go.kr, got {value!r}")
        return value.strip().rstrip("/")

    @field_validator("MCP_ALLOWED_HOSTS")
    @classmethod
    def _host_list(cls, value: str) -> str:
        """A scheme or path here would silently never match a Host header, so refuse it at start-up."""
        for entry in (part.strip() for part in value.split(",")):
            if entry and not _HOST_ENTRY.fullmatch(entry):
                raise ValueError(
                    "must be comma-separated host names as they appear in the Host header, optionally "
                    f"with :port or :* (e.g. estate.example.net,estate.example.net:8443), got {entry!r}"
                )
        return value

    @field_validator("CACHE_PATH")
    @classmethod
    def _cache_path(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("set a file path such as /data/cache.sqlite3, or 'off' to disable the cache")
        # Desktop (stdio) setups write '~/.cache/...' in their client config, where no shell expands it.
        return value if value.lower() == "off" else os.path.expanduser(value)

    @property
    def cache_enabled(self) -> bool:
        return self.CACHE_PATH.lower() != "off"

    def for_transport(self, transport: Transport) -> Settings:
        """These settings for a server run over ``transport`` (stdio: a desktop client started it)."""
        copy = self.model_copy()
        copy._transport = transport
        return copy

    def where_to_set(self, variables: str) -> str:
        """Where the operator sets ``variables``: a stdio server gets its environment from the client's
        configuration (the ``env`` block), not from .env, which it does not read from the client's
        working directory."""
        if self._transport == "stdio":
            return (
                f'Add {variables} to the "env" block of this server in your MCP client\'s configuration '
                '(e.g. claude_desktop_config.json: "env": {"DATA_GO_KR_API_KEY": "..."}), then restart the '
                "client."
            )
        return f"Set {variables} in .env, then restart the server (docker compose up -d, or ./scripts/dev)."

    def has_data_go_kr_key(self) -> bool:
        return _decoded(self.DATA_GO_KR_API_KEY) is not None

    def has_odcloud_key(self) -> bool:
        """Whether 청약홈 calls have a key (their own, or the data.go.kr key they fall back to)."""
        keys = (self.ODCLOUD_API_KEY, self.ODCLOUD_SERVICE_KEY, self.DATA_GO_KR_API_KEY)
        return any(_decoded(key) is not None for key in keys)

    def data_go_kr_key(self) -> str:
        """The decoded data.go.kr key, or a ConfigurationError telling the operator what to set."""
        key = _decoded(self.DATA_GO_KR_API_KEY)
        if key is None:
            raise ConfigurationError(
                "No data.go.kr service key is configured. The key is the 'Decoding' key from data.go.kr → "
                "마이페이지 → 개발계정. " + self.where_to_set("DATA_GO_KR_API_KEY")
            )
        return key

    def odcloud_credential(self) -> OdcloudCredential:
        """How to authenticate to odcloud: ODCLOUD_API_KEY as ``Authorization: Infuser``; otherwise
        ODCLOUD_SERVICE_KEY (or DATA_GO_KR_API_KEY) as the ``serviceKey`` query parameter."""
        header_key = _decoded(self.ODCLOUD_API_KEY)
        if header_key is not None:
            return ("header", header_key)
        query_key = _decoded(self.ODCLOUD_SERVICE_KEY) or _decoded(self.DATA_GO_KR_API_KEY)
        if query_key is not None:
            return ("query", query_key)
        raise ConfigurationError(
            "No key for 청약홈 (api.odcloud.kr) is configured: it takes a data.go.kr key approved for the "
            "청약홈 services. " + self.where_to_set("ODCLOUD_API_KEY or DATA_GO_KR_API_KEY")
        )

    def secret_values(self) -> list[str]:
        """Every configured secret (raw and decoded), so log redaction can remove all of them."""
        values: set[str] = set()
        for secret in (self.DATA_GO_KR_API_KEY, self.ODCLOUD_API_KEY, self.ODCLOUD_SERVICE_KEY):
            if secret is not None:
                raw = secret.get_secret_value()
                decoded = unquote(raw)
                # the forms a log line or an echoed URL may show: as pasted, decoded, percent-encoded
                values.update(v for v in (raw, decoded, quote(decoded, safe="")) if v)
        return sorted(values, key=len, reverse=True)

    def allowed_hosts(self) -> list[str]:
        """Host header values the streamable-HTTP endpoint accepts (DNS-rebinding protection).

        Caddy keeps the public Host when proxying, so the hosts of PUBLIC_BASE_URL and SITE_ADDRESS
        must be accepted, with and without an explicit port."""
        hosts = ["localhost:*", "127.0.0.1:*", "[::1]:*", "mcp-server:*", "localhost", "127.0.0.1"]
        for name in self._public_hostnames():
            hosts += [name, f"{name}:*"]
        for extra in self.MCP_ALLOWED_HOSTS.split(","):
            if extra.strip():
                hosts.append(extra.strip())
        return list(dict.fromkeys(hosts))

    def _public_hostnames(self) -> list[str]:
        """Hosts of PUBLIC_BASE_URL and of each SITE_ADDRESS entry (Caddy accepts 'a.net, b.net')."""
        addresses = [self.PUBLIC_BASE_URL or "", *(self.SITE_ADDRESS or "").replace(",", " ").split()]
        return [name for name in (_hostname(a) for a in addresses) if name]

    def allowed_origins(self) -> list[str]:
        """Origin header values accepted: the public origins plus loopback (browsers send Origin)."""
        origins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "http://localhost"]
        for name in self._public_hostnames():
            origins += [f"https://{name}", f"http://{name}", f"https://{name}:*", f"http://{name}:*"]
        for extra in self.MCP_ALLOWED_HOSTS.split(","):
            name = extra.strip()
            if name and not name.endswith(":*"):
                origins += [f"https://{name}", f"http://{name}"]
        return list(dict.fromkeys(origins))


def _decoded(secret: SecretStr | None) -> str | None:
    """The key as the portal's 'Decoding' form: a pasted 'Encoding' key (with %2B, %3D …) is decoded
    once, because httpx encodes it again and a double-encoded key yields gateway code 30."""
    if secret is None:
        return None
    raw = secret.get_secret_value().strip()
    if not raw:
        return None
    return unquote(raw) if "%" in raw else raw


def _hostname(address: str | None) -> str | None:
    """Host part of PUBLIC_BASE_URL / SITE_ADDRESS ('https://x.ddns.net', 'x.ddns.net', ':443')."""
    if not address:
        return None
    text = address.strip()
    if "://" not in text:
        text = "//" + text
    host = urlsplit(text).hostname
    return host or None


def load_settings(env_file: Path | None = None) -> Settings:
    """The settings from the environment over ``env_file`` (read only if it exists), or a
    ``SettingsError`` whose message has one line per malformed variable (never its value)."""
    try:
        if env_file is not None and env_file.is_file():
            return Settings(_env_file=env_file, _env_file_encoding="utf-8")
        return Settings()
    except ValidationError as exc:
        problems = {
            ".".join(str(part) for part in error["loc"]): str(error["msg"]).removeprefix("Value error, ")
            for error in exc.errors(include_url=False, include_input=False)
        }
        raise SettingsError(problems) from None
