"""Writes the discovery documents into DISCOVERY_DIR at start-up, where Caddy serves them from.

Written before the gateway listens, so by the time it is healthy (compose starts Caddy only then) the
documents of this configuration are in place, and they stay there, still served, while the gateway
restarts. Each file is replaced atomically (a reader sees the old document or the new one, never half)
and is world-readable, because Caddy reads it as another user in compose. A document this
configuration does not have is deleted, so switching to AUTH_MODE=none or to another issuer never
leaves the previous configuration advertised.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from auth_gateway.config import GatewaySettings
from auth_gateway.discovery.documents import DOCUMENT_FILES, Document, discovery_documents
from auth_gateway.errors import DiscoveryPublishError

__all__ = ["publish_discovery_documents"]

READABLE_BY_CADDY = 0o644


def publish_discovery_documents(settings: GatewaySettings) -> list[str]:
    """Bring DISCOVERY_DIR in line with `settings`; the names of the documents now served."""
    directory = settings.DISCOVERY_DIR
    documents = discovery_documents(settings)
    if not documents and not directory.is_dir():
        return []  # nothing to serve and nothing stale: a gateway without Caddy needs no directory
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name in DOCUMENT_FILES:
            if name in documents:
                _replace(directory / name, documents[name])
            else:
                (directory / name).unlink(missing_ok=True)
    except OSError as exc:
        raise DiscoveryPublishError(
            f"DISCOVERY_DIR={directory}: cannot write the OAuth discovery documents there "
            f"({exc.strerror or exc}). Set DISCOVERY_DIR to a directory the gateway may write and Caddy "
            "may read: docker-compose.yml mounts the discovery volume at /discovery, ./scripts/dev "
            "uses data/discovery."
        ) from None
    return sorted(documents)


def _replace(target: Path, document: Document) -> None:
    text = json.dumps(document, indent=2) + "\n"
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, READABLE_BY_CADDY)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
