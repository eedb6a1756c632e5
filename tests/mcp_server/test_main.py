"""``python -m mcp_server`` as a real process: stdio for desktop clients, HTTP for the container."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from mcp_server.__main__ import main
from tests.mcp_server.server_setup import FAKE_KEY
from tests.support.fixture_upstream.server import FixtureUpstream
from tests.support.ports import free_port, wait_for_port

REPO = Path(__file__).resolve().parents[2]


def server_env(upstream: FixtureUpstream, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATA_GO_KR", "ODCLOUD", "MOLIT", "MCP_"))
    }
    env.update(
        PYTHONPATH=str(REPO),
        DATA_GO_KR_API_KEY=FAKE_KEY,
        DATA_GO_KR_BASE_URL=upstream.data_go_kr_base_url,
        ODCLOUD_BASE_URL=upstream.odcloud_base_url,
        CACHE_PATH="off",
        LOG_LEVEL="info",
    )
    env.update(extra)
    return env


def python_m_mcp_server(env: dict[str, str], cwd: Path) -> StdioServerParameters:
    """``python -m mcp_server`` as a desktop client starts it: stdio, its own environment and folder."""
    return StdioServerParameters(command=sys.executable, args=["-m", "mcp_server"], env=env, cwd=str(cwd))


@pytest.fixture
def upstream() -> Iterator[FixtureUpstream]:
    with FixtureUpstream() as up:
        yield up


async def test_stdio_transport_serves_the_tools_and_keeps_the_key_out_of_stderr(
    upstream: FixtureUpstream, tmp_path: Path
) -> None:
    """Claude Desktop shows the server's stderr in its log file: at debug level (every request URL
    logged) and on a key error, the key must still not appear there."""
    params = python_m_mcp_server(server_env(upstream, LOG_LEVEL="debug"), tmp_path)
    with (tmp_path / "stderr.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            result = await client.call_tool(
                "get_officetel_trades", {"region_code": "11440", "year_month": "202501"}
            )
            refused = await client.call_tool(
                "get_apartment_trades", {"region_code": "11140", "year_month": "202501"}
            )
    assert not result.is_error
    assert result.structured_content["summary"]["median_price_10k"] == 25250
    assert refused.is_error
    assert FAKE_KEY not in refused.content[0].text
    stderr = (tmp_path / "stderr.log").read_text()
    assert "serviceKey=[REDACTED]" in stderr  # request URLs were logged, redacted
    assert FAKE_KEY not in stderr
    assert quote(FAKE_KEY, safe="") not in stderr


async def test_over_stdio_a_missing_key_points_at_the_clients_env_block(
    upstream: FixtureUpstream, tmp_path: Path
) -> None:
    """A desktop client starts the server with its own configuration's env block; .env is not read
    from the client's working directory, so telling that user to edit .env sends them the wrong way."""
    params = python_m_mcp_server(server_env(upstream, DATA_GO_KR_API_KEY=""), tmp_path)
    with (tmp_path / "stderr.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            result = await client.call_tool(
                "get_apartment_trades", {"region_code": "11440", "year_month": "202501"}
            )
    assert result.is_error
    message = result.content[0].text
    assert 'Add DATA_GO_KR_API_KEY to the "env" block' in message
    assert "claude_desktop_config.json" in message
    assert ".env" not in message.replace("claude_desktop_config.json", "")


async def test_the_console_script_starts_the_stdio_server(upstream: FixtureUpstream, tmp_path: Path) -> None:
    """`real-estate-mcp` (pyproject's [project.scripts]), as pipx and uvx install it for a desktop client:
    the generated script imports the target and exits with its return value, which is what runs here."""
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"real-estate-mcp": "mcp_server.__main__:main"}
    module, _, function = scripts["real-estate-mcp"].partition(":")
    launcher = f"import sys; from {module} import {function}; sys.exit({function}())"
    params = StdioServerParameters(
        command=sys.executable, args=["-c", launcher], env=server_env(upstream), cwd=str(tmp_path)
    )

    async with Client(stdio_client(params)) as client:
        tools = await client.list_tools()
        result = await client.call_tool(
            "get_apartment_trades", {"region_code": "11440", "year_month": "202501"}
        )

    assert "get_apartment_trades" in {tool.name for tool in tools.tools}
    assert not result.is_error


def test_http_transport_starts_and_answers_healthz(upstream: FixtureUpstream, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mcp_server",
            "--transport",
            "http",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=server_env(upstream),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port)
        response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    log = output.decode()
    assert FAKE_KEY not in log
    lines = [json.loads(line) for line in log.splitlines()]  # uvicorn's own lines are JSON too
    assert {line["logger"] for line in lines} >= {"uvicorn.error"}
    # SIGTERM ran the lifespan exit (pool closed)
    assert "Application shutdown complete." in [line["msg"] for line in lines]


def test_a_malformed_setting_stops_start_up_with_one_clear_line(
    upstream: FixtureUpstream, tmp_path: Path
) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mcp_server"],
        env=server_env(upstream, MOLIT_PAGE_SIZE="5000"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "MOLIT_PAGE_SIZE" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("port", ["99999", "0", "http"])
def test_an_impossible_port_is_a_usage_error_not_a_traceback(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--transport", "http", "--port", port])
    assert exited.value.code == 2
    assert "port number from 1 to 65535" in capsys.readouterr().err
