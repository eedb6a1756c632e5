"""What the operator commands read: `.env` and the environment, the environment winning (as ./scripts/dev).

Only these commands read AUTH0_MGMT_CLIENT_ID / AUTH0_MGMT_CLIENT_SECRET; the services never do.
(docker compose hands every .env line to the containers, which is why the guide suggests passing the
secret in the environment or through --env-file instead.) Empty variables (as `.env.example` ships them)
count as unset; every refusal names the variable and what to put there (`SettingsError`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from auth0_admin.errors import SettingsError
from auth_gateway.config import is_loopback_host

__all__ = ["AdminSettings", "load_settings"]


class AdminSettings(BaseSettings):
    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", case_sensitive=True)

    AUTH0_DOMAIN: str
    AUTH0_MGMT_CLIENT_ID: str
    AUTH0_MGMT_CLIENT_SECRET: SecretStr
    PUBLIC_BASE_URL: str | None = None
    AUTH0_AUDIENCE: str | None = None
    OAUTH_SCOPES: str = ""
    # Tests only: where the Management API and its /oauth/token are, instead of https://AUTH0_DOMAIN.
    AUTH0_MGMT_BASE_URL: str | None = None

    @field_validator("AUTH0_DOMAIN")
    @classmethod
    def _domain(cls, value: str) -> str:
        if "/" in value or ":" in value or " " in value:
            raise ValueError("must be the bare tenant host name, e.g. your-tenant.us.auth0.com (no https://)")
        return value

    @field_validator("AUTH0_MGMT_BASE_URL")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(parts.hostname)):
            return value.rstrip("/")
        raise ValueError("is for tests only and must be https:// or a loopback http:// URL; leave it empty")

    @property
    def base_url(self) -> str:
        return self.AUTH0_MGMT_BASE_URL or f"https://{self.AUTH0_DOMAIN}"

    @property
    def management_audience(self) -> str:
        return f"https://{self.AUTH0_DOMAIN}/api/v2/"

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.OAUTH_SCOPES.split())

    def api_identifier(self) -> str:
        """Audience the gateway expects (auth_gateway/config.py): AUTH0_AUDIENCE or PUBLIC_BASE_URL/mcp."""
        if self.AUTH0_AUDIENCE:
            return self.AUTH0_AUDIENCE
        if not self.PUBLIC_BASE_URL:
            raise SettingsError(
                "PUBLIC_BASE_URL is not set: set it to https://your-name.ddns.net (the API identifier is "
                "PUBLIC_BASE_URL/mcp), or set AUTH0_AUDIENCE"
            )
        return f"{self.PUBLIC_BASE_URL.rstrip('/')}/mcp"


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors(include_url=False, include_input=False):
        variable = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is not set"
            if variable.startswith("AUTH0_MGMT_CLIENT"):
                message += " (the machine-to-machine application: docs/deployment.md, 'Auth0 by command')"
        lines.append(f"  - {variable}: {message}")
    return "invalid configuration:\n" + "\n".join(lines)


def load_settings(env_file: Path | None = None) -> AdminSettings:
    """Read `env_file` (if it exists) under the environment; raise `SettingsError` naming each problem."""
    try:
        if env_file is not None and env_file.is_file():
            return AdminSettings(_env_file=env_file)
        return AdminSettings()
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None
