"""The deployment under check: the address the user typed, what they passed with it, and what the
checks have learned so far (later checks need the issuer and metadata the earlier ones found).

Also the two .env readings: the client credentials of --client-credentials-from, and SITE_ADDRESS
from the checkout's own .env to name the right address when the user typed another one.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# The checkout this package runs from (scripts/verify_deployment/ -> the repository root).
CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass
class Deployment:
    """Annotations stay strings (no evaluation), so the modern spellings work on Python 3.8 too."""

    base: str  # scheme://host[:port]
    credentials_file: str | None = None  # --client-credentials-from
    credentials: tuple[str | None, str | None] = (None, None)  # its client id and secret
    token: str | None = None  # --token, stripped
    skip_dcr: bool = False
    public: bool = True  # False once the address turned out loopback or private
    issuer: str | None = None  # the authorization server the resource metadata names
    metadata: dict[str, Any] | None = None  # that server's metadata document

    @property
    def built_in(self) -> bool:
        """No Auth0/OIDC issuer: the gateway itself is the authorization server."""
        return self.issuer == self.base


def ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The host as an IP address, None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """localhost names (RFC 6761) and loopback addresses."""
    address = ip_address(host)
    if address is not None:
        return address.is_loopback
    return host == "localhost" or host.endswith(".localhost")


def base_url(argument: str) -> str:
    """scheme://host[:port] from what the user typed (a trailing /mcp or slash is forgiven)."""
    text = argument.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not a URL: {argument!r}; use e.g. https://your-domain.ddns.net")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError("ChatGPT and Claude only connect over https://; use https://" + parts.netloc)
    return f"{parts.scheme}://{parts.netloc}"


def read_dotenv(path: str) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (optional quotes, optional `export`)."""
    values: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):  # str.removeprefix needs Python 3.9
            line = line[len("export ") :]
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def read_client_credentials(path: str) -> tuple[str | None, str | None]:
    """OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET from a .env file."""
    values = read_dotenv(path)
    return values.get("OAUTH_CLIENT_ID") or None, values.get("OAUTH_CLIENT_SECRET") or None


def configured_site_address() -> str | None:
    """SITE_ADDRESS from the checkout's .env (the usual case: run from the checkout)."""
    try:
        return read_dotenv(str(CHECKOUT / ".env")).get("SITE_ADDRESS") or None
    except (OSError, UnicodeDecodeError):
        return None
