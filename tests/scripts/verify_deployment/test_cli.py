"""The command line: what the user gave is checked before the first request, and the command runs with
the standard library alone (any python3, no .venv), as docs/deployment.md promises."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from verify_deployment.cli import main

from tests.e2e.fake_deployment import FakeServer, auth0_like
from tests.scripts.verify_deployment.conftest import printed

REPO = Path(__file__).resolve().parents[3]
PACKAGE = REPO / "scripts" / "verify_deployment"


def test_plain_http_to_a_public_host_exits_2_before_any_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-deployment", "http://home.example.net"]) == 2
    assert capsys.readouterr().err == (
        "error: ChatGPT and Claude only connect over https://; use https://home.example.net\n"
    )


def test_an_unreadable_credentials_file_exits_2_naming_it(
    server: FakeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no.env"

    assert main(["verify-deployment", server.url, "--client-credentials-from", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot read {missing}: [Errno 2] No such file")
    assert server.requests == []


def test_the_token_is_stripped_and_never_printed(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer = FakeServer()
    try:
        auth0_like(server, issuer)
        status = main(["verify-deployment", server.url, "--skip-dcr", "--token", "  opaque-token-value\n"])
    finally:
        issuer.close()

    output = "\n".join(printed(capsys))
    assert status == 1
    assert "FAIL  [token-shape] the token is opaque" in output
    assert "opaque-token-value" not in output


def test_the_launcher_runs_with_the_standard_library_alone(server: FakeServer, tmp_path: Path) -> None:
    """-I -S: no site-packages (so no .venv), no user site, no PYTHONPATH, from another directory."""
    issuer = FakeServer()
    try:
        auth0_like(server, issuer)
        result = subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                str(REPO / "scripts" / "verify-deployment"),
                server.url,
                "--skip-dcr",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=tmp_path,
        )
    finally:
        issuer.close()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS  POST /mcp without a token: 401 with WWW-Authenticate resource_metadata" in result.stdout
    assert result.stderr == ""


def imported_modules(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "module", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_every_module_imports_only_the_standard_library_or_the_package(module: Path) -> None:
    """Also what no run reaches (an import inside a function): relative imports only within the package."""
    assert imported_modules(module) <= set(sys.stdlib_module_names) | {"__future__"}
