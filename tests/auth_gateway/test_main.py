"""`python -m auth_gateway` as an operator runs it: clear refusals, a real server, clean logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.auth_gateway.conftest import GATEWAY_VARIABLES
from tests.support.ports import free_port, wait_for_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "main-test-secret-" + "z" * 30


@pytest.fixture(autouse=True)
def discovery_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each gateway started here writes its discovery documents into the test's own directory, not
    into the container path /discovery (gateway_env passes the environment on)."""
    monkeypatch.setenv("DISCOVERY_DIR", str(tmp_path / "discovery"))


def gateway_env(**variables: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in GATEWAY_VARIABLES}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(variables)
    return env


def run_main(**variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auth_gateway", "--port", str(free_port())],
        env=gateway_env(**variables),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        pytest.param({"AUTH_MODE": "OAuth"}, "AUTH_MODE", id="auth-mode-case"),
        pytest.param(
            {"AUTH_MODE": "oauth", "OAUTH_CLIENT_ID": "c", "OAUTH_CLIENT_SECRET": SECRET},
            "PUBLIC_BASE_URL",
            id="no-base-url",
        ),
        pytest.param(
            {
                "AUTH_MODE": "oauth",
                "PUBLIC_BASE_URL": "https://h.example.net",
                "OAUTH_CLIENT_ID": "replace-with-a-client-id",
                "OAUTH_CLIENT_SECRET": "replace-with-a-long-random-secret",
            },
            "OAUTH_CLIENT_SECRET",
            id="placeholders",
        ),
        pytest.param(
            {
                "AUTH_MODE": "oauth",
                "PUBLIC_BASE_URL": "https://h.example.net",
                "OAUTH_CLIENT_ID": "c",
                "OAUTH_CLIENT_SECRET": SECRET,
                "OAUTH_STATE_PATH": "/nonexistent-directory/oauth.sqlite3",
            },
            "OAUTH_STATE_PATH: the directory /nonexistent-directory does not exist",
            id="state-directory-missing",
        ),
        pytest.param(
            {
                "AUTH_MODE": "oauth",
                "PUBLIC_BASE_URL": "https://h.example.net",
                "OAUTH_CLIENT_ID": "c",
                "OAUTH_CLIENT_SECRET": SECRET,
                "DISCOVERY_DIR": "/proc/version/discovery",
            },
            "DISCOVERY_DIR=/proc/version/discovery: cannot write the OAuth discovery documents",
            id="discovery-directory-unwritable",
        ),
    ],
)
def test_bad_configuration_exits_2_with_one_clear_message(variables: dict[str, str], named: str) -> None:
    result = run_main(**variables)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert "replace-with-a-long-random-secret" not in result.stderr
    assert SECRET not in result.stderr


@contextmanager
def running_gateway(**variables: str) -> Iterator[tuple[str, list[str]]]:
    """Yield (base URL, stderr lines collected after the process stops)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "auth_gateway", "--host", "127.0.0.1", "--port", str(port)],
        env=gateway_env(**variables),
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}", lines
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
        lines.extend(stderr.splitlines())


def test_none_mode_on_https_warns_loudly() -> None:
    with running_gateway(AUTH_MODE="none", PUBLIC_BASE_URL="https://h.example.net") as (base, stderr):
        assert httpx.get(f"{base}/verify").status_code == 200
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok", "auth_mode": "none"}
    assert any("ANYONE" in line and json.loads(line)["level"] == "warning" for line in stderr)


def test_oauth_server_issues_and_verifies_tokens_and_logs_no_secrets() -> None:
    with running_gateway(
        AUTH_MODE="oauth",
        PUBLIC_BASE_URL="http://127.0.0.1:8443",
        OAUTH_CLIENT_ID="cli",
        OAUTH_CLIENT_SECRET=SECRET,
        LOG_LEVEL="debug",
    ) as (base, stderr):
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok", "auth_mode": "oauth"}
        issued = httpx.post(
            f"{base}/oauth/token", data={"grant_type": "client_credentials"}, auth=("cli", SECRET)
        )
        assert issued.status_code == 200
        token = issued.json()["access_token"]
        assert httpx.get(f"{base}/verify", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        wrong = httpx.post(
            f"{base}/oauth/token", data={"grant_type": "client_credentials"}, auth=("cli", SECRET + "x")
        )
        assert wrong.status_code == 401
        assert httpx.get(f"{base}/verify", headers={"Authorization": f"Bearer {token}x"}).status_code == 401
    decisions = [json.loads(line) for line in stderr if '"decision"' in line]
    assert {(d["event"], d["decision"]) for d in decisions} == {
        ("token", "allow"),
        ("token", "deny"),
        ("verify", "allow"),
        ("verify", "deny"),
    }
    assert all("latency_ms" in d and "reason" in d for d in decisions)
    allowed = next(d for d in decisions if d["event"] == "verify" and d["decision"] == "allow")
    assert allowed["subject"] == "cli"
    text = "\n".join(stderr)
    assert SECRET not in text
    assert token not in text
    assert token.split(".")[2] not in text  # not even the signature part


def test_listens_on_loopback_port_9000_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default must never be 0.0.0.0: the gateway is only for Caddy, on the same host or network."""
    import uvicorn

    import auth_gateway.__main__ as entry

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setattr(entry, "configure_logging", lambda level: None)  # keep pytest's log capture
    monkeypatch.setenv("AUTH_MODE", "none")
    assert entry.main([]) == 0
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 9000)


def test_uvicorn_parses_requests_with_httptools_as_the_lock_installs_it() -> None:
    """Every /mcp request costs a forward_auth request; the C parser halves its CPU (bench/gateway_cpu.py).
    uvicorn falls back to pure-Python h11 silently when httptools is missing, so a lock that lost it
    would only show as a slower server: this is where it shows instead."""
    import uvicorn

    config = uvicorn.Config(app=lambda: None)
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    for lock in ("auth-gateway.txt", "mcp-server.txt", "run.txt"):
        assert "\nhttptools==" in (REPO_ROOT / "requirements" / lock).read_text(), lock
