"""DISCOVERY_DIR after start-up holds exactly this configuration's documents, readable by Caddy."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from auth_gateway.discovery.documents import AUTHORIZATION_SERVER_FILE, PROTECTED_RESOURCE_FILE
from auth_gateway.discovery.publisher import publish_discovery_documents
from auth_gateway.errors import DiscoveryPublishError
from tests.auth_gateway.conftest import CLIENT_ID, CLIENT_SECRET, oauth_settings

CLIENT = {"OAUTH_CLIENT_ID": CLIENT_ID, "OAUTH_CLIENT_SECRET": CLIENT_SECRET}


def test_writes_world_readable_json_and_nothing_else(tmp_path: Path) -> None:
    directory = tmp_path / "made-on-demand"
    published = publish_discovery_documents(oauth_settings(DISCOVERY_DIR=directory, **CLIENT))

    assert published == [AUTHORIZATION_SERVER_FILE, PROTECTED_RESOURCE_FILE]
    assert sorted(path.name for path in directory.iterdir()) == published  # no temporary file left
    for name in published:
        path = directory / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # Caddy reads it as another user in compose
        assert json.loads(path.read_text(encoding="utf-8"))  # whole JSON


def test_a_document_the_new_configuration_lacks_is_removed(tmp_path: Path) -> None:
    publish_discovery_documents(oauth_settings(DISCOVERY_DIR=tmp_path, **CLIENT))
    published = publish_discovery_documents(
        oauth_settings(DISCOVERY_DIR=tmp_path, OAUTH_ISSUER="https://id.example.org")
    )

    assert published == [PROTECTED_RESOURCE_FILE]
    assert not (tmp_path / AUTHORIZATION_SERVER_FILE).exists()
    assert publish_discovery_documents(oauth_settings(DISCOVERY_DIR=tmp_path, AUTH_MODE="none")) == []
    assert list(tmp_path.iterdir()) == []


def test_none_mode_needs_no_directory(tmp_path: Path) -> None:
    directory = tmp_path / "absent"

    assert publish_discovery_documents(oauth_settings(DISCOVERY_DIR=directory, AUTH_MODE="none")) == []
    assert not directory.exists()


def test_an_unwritable_directory_is_named_with_the_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")

    with pytest.raises(DiscoveryPublishError) as raised:
        publish_discovery_documents(oauth_settings(DISCOVERY_DIR=blocker / "discovery", **CLIENT))

    assert str(raised.value).startswith(f"DISCOVERY_DIR={blocker / 'discovery'}: cannot write")
    assert "docker-compose.yml" in str(raised.value)
