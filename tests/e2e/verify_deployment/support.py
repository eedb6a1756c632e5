"""Running ./scripts/verify-deployment as the user does, and reading its PASS/FAIL/WARN lines.

Every test in this folder runs the real command in a child process (its own Python, its own
environment), so what is asserted is exactly what the user reads; these helpers pick out the lines and
the [check] identifiers a test is about.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.stack_processes import REPO

# The redirect URI the script registers with, as ChatGPT's per-app callback looks.
CHATGPT_CALLBACK = "https://chatgpt.com/connector/oauth/verify-deployment-check"


def verify(url: str, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "verify-deployment"), url, *options],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def failures(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("FAIL")]


def failed_checks(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The [check] identifiers of the FAIL lines, in order."""
    return re.findall(r"^FAIL  \[([a-z-]+)\]", result.stdout, re.M)


def warned_checks(result: subprocess.CompletedProcess[str]) -> list[str]:
    return re.findall(r"^WARN  \[([a-z-]+)\]", result.stdout, re.M)


def passed_lines(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(line for line in result.stdout.splitlines() if line.startswith("PASS"))


def dotenv(tmp_path: Path, client_id: str, secret: str) -> str:
    """A .env file as ./scripts/init-env writes it, for --client-credentials-from."""
    path = tmp_path / ".env"
    path.write_text(
        f"# as ./scripts/init-env writes it\nAUTH_MODE=oauth\nOAUTH_CLIENT_ID={client_id}\n"
        f"OAUTH_CLIENT_SECRET='{secret}'\n",
        encoding="utf-8",
    )
    return str(path)
