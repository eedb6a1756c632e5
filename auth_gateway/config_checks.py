"""How the gateway's settings word a refusal, and the URL checks several variables share.

Split from config.py so the settings class reads as the list of variables it is. Every message names
the variable and the fix, and quotes a value only for variables that never hold a secret.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationError

__all__ = [
    "DEFAULT_REFRESH_TTL",
    "LOG_LEVELS",
    "MAX_REFRESH_TTL",
    "MAX_TOKEN_TTL",
    "Network",
    "check_host_port",
    "check_url",
    "client_credential_problems",
    "describe",
    "is_loopback_host",
    "parse_networks",
]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MIN_SECRET_LENGTH = 32
PLACEHOLDER_PREFIX = "replace-with-"  # .env.example ships replace-with-a-client-id / -a-long-random-secret
LOG_LEVELS = ("debug", "info", "warning", "error")
MAX_TOKEN_TTL = 86400  # the longest an access token may live; revocation records are kept as long
DEFAULT_REFRESH_TTL = 30 * 86400
MAX_REFRESH_TTL = 365 * 86400
# What the types below refuse (Literal, Field bounds), in the words the operator reads; {input} is the
# value given, never a secret for these variables.
_REFUSALS = {
    "AUTH_MODE": "must be 'none' or 'oauth' (lower case), got {input!r}: "
    "set AUTH_MODE=oauth to require tokens or AUTH_MODE=none for a trusted network",
    "OAUTH_TOKEN_TTL": f"must be between 60 and {MAX_TOKEN_TTL} seconds, got {{input}}",
    "OAUTH_REFRESH_TTL": f"must be between 3600 seconds (an hour) and {MAX_REFRESH_TTL} (a year), "
    f"got {{input}}; the default is {DEFAULT_REFRESH_TTL} (30 days)",
    "LOG_LEVEL": f"must be one of {', '.join(LOG_LEVELS)}, got {{input!r}}",
    "STATUS_PAGE": "must be 'on' or 'off', got {input!r}: STATUS_PAGE=off hides the status page at /",
    "CLIENT_IP_HEADER": "must be X-Forwarded-For (Caddy's, the default) or CF-Connecting-IP (behind a "
    "Cloudflare tunnel), got {input!r}",
}


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(name: str, value: str, *, allow_path: bool) -> str:
    """Reject URLs that would make discovery, metadata or token checks silently mismatch."""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{name} must be an absolute https:// URL, e.g. https://your-domain.ddns.net")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(f"{name} must use https:// (plain http is only allowed for localhost/127.0.0.1)")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{name} must not contain a query, fragment or user info")
    if not allow_path and parts.path not in ("",):
        if parts.path == "/":
            raise ValueError(f"{name} must not end with a slash: use {value.rstrip('/')}")
        raise ValueError(f"{name} must be just scheme://host[:port], without a path")
    return value


def describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors(include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        variable = ".".join(str(part) for part in item["loc"])
        if item["type"] == "int_parsing":
            message = "must be a whole number of seconds"
        elif (
            item["type"] in ("literal_error", "greater_than_equal", "less_than_equal")
            and variable in _REFUSALS
        ):
            message = _REFUSALS[variable].format(input=item["input"])
        for line in message.splitlines():
            lines.append(f"  - {variable}: {line}" if variable else f"  - {line}")
    return "invalid auth gateway configuration:\n" + "\n".join(lines)


def client_credential_problems(client_id: str | None, secret: SecretStr | None) -> list[str]:
    """What is wrong with OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET together; never quotes the secret."""
    if client_id is None and secret is None:
        return []
    if client_id is None:
        return ["OAUTH_CLIENT_SECRET is set but OAUTH_CLIENT_ID is not: set both, or neither"]
    if secret is None:
        return ["OAUTH_CLIENT_ID is set but OAUTH_CLIENT_SECRET is not: set both, or neither"]
    problems = []
    if client_id.startswith(PLACEHOLDER_PREFIX):
        problems.append(
            "OAUTH_CLIENT_ID still holds the .env.example placeholder: run ./scripts/init-env, "
            "set your own client id, or leave OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET empty to turn "
            "client_credentials off"
        )
    raw_secret = secret.get_secret_value()
    if raw_secret.startswith(PLACEHOLDER_PREFIX):
        problems.append(
            "OAUTH_CLIENT_SECRET still holds the .env.example placeholder: run ./scripts/init-env, "
            "set a random secret (python3 -c 'import secrets; print(secrets.token_urlsafe(32))'), "
            "or leave OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET empty to turn client_credentials off"
        )
    elif len(raw_secret) < MIN_SECRET_LENGTH:
        problems.append(
            f"OAUTH_CLIENT_SECRET is too short ({len(raw_secret)} characters): use at least "
            f"{MIN_SECRET_LENGTH} random characters"
        )
    if any(ch.isspace() for ch in client_id):
        problems.append("OAUTH_CLIENT_ID must not contain spaces")
    return problems


def check_host_port(value: str) -> str:
    """`value` without surrounding blanks if it is host:port (an upstream address), else ValueError."""
    parts = urlsplit("//" + value.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.path or "@" in value:
        raise ValueError(f"must be host:port, e.g. mcp-server:8000 or 127.0.0.1:8000, got {value!r}")
    return value.strip()


def parse_networks(value: str) -> tuple[Network, ...]:
    """A comma- or space-separated list of addresses and CIDR ranges (TRUSTED_PROXIES)."""
    networks = []
    for item in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(
                f"{item!r} is not an IP address or CIDR range; use e.g. 127.0.0.1/32,172.16.0.0/12"
            ) from None
    return tuple(networks)
