"""The README's generated tables match the code, and README.ko.md keeps the English one's structure.

The tools and configuration tables are written by ./scripts/gen-readme-tables from the server's tool
list and the settings classes; adding a tool or a setting without rerunning it fails here with the
command to run. The Korean README is a translation, so what can be compared is its shape: the same
headings at the same levels in the same order, the same code blocks, the same links to the guides.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENGLISH = REPO / "README.md"
KOREAN = REPO / "README.ko.md"
FENCE = re.compile(r"^```.*?^```$", re.M | re.S)


def outside_code(path: Path) -> str:
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def heading_levels(path: Path) -> list[int]:
    return [len(hashes) for hashes in re.findall(r"^(#+) ", outside_code(path), re.M)]


def code_blocks(path: Path) -> list[str]:
    """The info string and the commands of each block (comments are translated, so they are dropped)."""
    blocks = []
    for block in FENCE.findall(path.read_text(encoding="utf-8")):
        lines = [line.split("  #", 1)[0].rstrip() for line in block.splitlines()]
        blocks.append("\n".join(line for line in lines if line))
    return blocks


def test_the_generated_tables_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen-readme-tables"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr + "\n-> run ./scripts/gen-readme-tables"


def test_every_tool_and_setting_is_in_the_tables() -> None:
    import asyncio

    from auth_gateway.config import GatewaySettings
    from mcp_server.config import Settings
    from mcp_server.server import create_server

    text = ENGLISH.read_text(encoding="utf-8")
    tools = asyncio.run(create_server(Settings(_env_file=None)).list_tools())
    for tool in tools:
        assert f"| `{tool.name}` |" in text
    for variable in [*(name.upper() for name in Settings.model_fields), *GatewaySettings.model_fields]:
        assert f"| `{variable}` |" in text


def test_the_korean_readme_has_the_same_sections() -> None:
    english, korean = heading_levels(ENGLISH), heading_levels(KOREAN)

    assert english[0] == 1
    assert korean == english


def test_the_korean_readme_has_the_same_code_and_diagram() -> None:
    english, korean = code_blocks(ENGLISH), code_blocks(KOREAN)

    assert len(korean) == len(english)
    assert any(block.startswith("```mermaid") for block in english)
    for ours, theirs in zip(english, korean, strict=True):
        assert ours.splitlines()[0] == theirs.splitlines()[0]  # same language
        if not ours.startswith("```mermaid"):  # the diagram's labels are translated
            assert ours == theirs


def test_both_link_the_guides_and_each_other() -> None:
    guides = {"docs/deployment.md", "docs/clients.md", "docs/architecture.md", ".env.example"}
    for path in (ENGLISH, KOREAN):
        links = set(re.findall(r"\]\(([^)#]+)", path.read_text(encoding="utf-8")))
        assert guides <= links, path.name
        assert all((REPO / link).exists() for link in links if "://" not in link), path.name
    assert "(README.ko.md)" in ENGLISH.read_text(encoding="utf-8")
    assert "(README.md)" in KOREAN.read_text(encoding="utf-8")
