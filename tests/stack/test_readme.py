"""The README's generated tables match the code, and each Korean document keeps its English one's structure.

The tools and configuration tables are written by ./scripts/gen-readme-tables from the server's tool
list and the settings classes (README.ko.md's with the Korean descriptions of docs/ko/descriptions.toml);
adding a tool or a setting without rerunning it fails here with the command to run. The Korean
documents (README.ko.md, docs/ko/deployment.md, docs/ko/clients.md) are written for Korean readers, not
translated line by line, so what can be compared is their shape: the same headings at the same levels in
the same order, the same commands in the same code blocks (comments may differ), the same guides linked.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
ENGLISH = REPO / "README.md"
KOREAN = REPO / "README.ko.md"
FENCE = re.compile(r"^```.*?^```$", re.M | re.S)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Each Korean document and its English original.
PAIRS = [
    (ENGLISH, KOREAN),
    (REPO / "docs" / "deployment.md", REPO / "docs" / "ko" / "deployment.md"),
    (REPO / "docs" / "clients.md", REPO / "docs" / "ko" / "clients.md"),
]
each_pair = pytest.mark.parametrize(
    ("english", "korean"), PAIRS, ids=[str(korean.relative_to(REPO)) for _, korean in PAIRS]
)
QUESTIONS_HEADING = {ENGLISH: "## Questions to try", KOREAN: "## 물어볼 만한 질문"}


def outside_code(path: Path) -> str:
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def heading_levels(path: Path) -> list[int]:
    return [len(hashes) for hashes in re.findall(r"^(#+) ", outside_code(path), re.M)]


def code_blocks(path: Path) -> list[str]:
    """The info string and the commands of each block (comments are translated, so they are dropped)."""
    blocks = []
    for block in FENCE.findall(path.read_text(encoding="utf-8")):
        lines = [line.split("  #", 1)[0].rstrip() for line in block.splitlines()]
        blocks.append("\n".join(line for line in lines if line and not line.lstrip().startswith("# ")))
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
    for variable in [*Settings.model_fields, *GatewaySettings.model_fields]:
        assert f"| `{variable}` |" in text


@each_pair
def test_the_korean_document_has_the_same_sections(english: Path, korean: Path) -> None:
    ours, theirs = heading_levels(english), heading_levels(korean)

    assert ours[0] == 1
    assert theirs == ours


@each_pair
def test_the_korean_document_has_the_same_code(english: Path, korean: Path) -> None:
    ours, theirs = code_blocks(english), code_blocks(korean)

    assert len(theirs) == len(ours)
    for one, other in zip(ours, theirs, strict=True):
        assert one.splitlines()[0] == other.splitlines()[0]  # same language
        if not one.startswith("```mermaid"):  # the diagram's labels are translated
            assert one == other


def test_the_readme_keeps_its_diagram() -> None:
    assert any(block.startswith("```mermaid") for block in code_blocks(ENGLISH))


@each_pair
def test_the_korean_document_is_korean_and_its_links_resolve(english: Path, korean: Path) -> None:
    text = FENCE.sub("", korean.read_text(encoding="utf-8"))
    prose = [line for line in text.splitlines() if line.strip() and not line.startswith("|")]
    korean_lines = [line for line in prose if HANGUL.search(line)]

    assert len(korean_lines) > len(prose) / 2, f"{korean.name} reads as English"
    for link in re.findall(r"\]\(([^)#]+)", text):
        if "://" not in link:
            assert (korean.parent / link).exists(), f"{korean.relative_to(REPO)}: {link}"


def test_both_link_the_guides_and_each_other() -> None:
    guides = {"docs/deployment.md", "docs/clients.md", "docs/architecture.md", ".env.example"}
    for path in (ENGLISH, KOREAN):
        links = set(re.findall(r"\]\(([^)#]+)", path.read_text(encoding="utf-8")))
        assert guides <= links, path.name
        assert all((REPO / link).exists() for link in links if "://" not in link), path.name
    assert "(README.ko.md)" in ENGLISH.read_text(encoding="utf-8")
    assert "(README.md)" in KOREAN.read_text(encoding="utf-8")


def server_tool_names() -> set[str]:
    import asyncio

    from mcp_server.config import Settings
    from mcp_server.server import create_server

    return {tool.name for tool in asyncio.run(create_server(Settings(_env_file=None)).list_tools())}


def gen_readme_tables() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader(
        "gen_readme_tables", str(REPO / "scripts" / "gen-readme-tables")
    )
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def generated_rows(path: Path, name: str) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    table = text.split(f"<!-- generated:{name} -->", 1)[1].split(f"<!-- /generated:{name} -->", 1)[0]
    rows = [line for line in table.strip().splitlines()[2:]]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_the_korean_tables_describe_every_row_in_korean() -> None:
    for name, column in (("tools", 1), ("configuration", 3)):
        english, korean = generated_rows(ENGLISH, name), generated_rows(KOREAN, name)

        assert [row[0] for row in korean] == [row[0] for row in english]
        for row in korean:
            assert HANGUL.search(row[column]), f"{row[0]}: {row[column]}"


def test_a_tool_without_a_korean_description_is_named_with_the_fix(tmp_path: Path) -> None:
    module = gen_readme_tables()
    korean = tomllib.loads((REPO / module.KOREAN_DESCRIPTIONS).read_text(encoding="utf-8"))["tools"]
    rows = module.tool_rows()
    module.REPO = tmp_path
    target = tmp_path / module.KOREAN_DESCRIPTIONS
    target.parent.mkdir(parents=True)

    def write(descriptions: dict[str, str]) -> None:
        target.write_text(
            "[tools]\n" + "".join(f'{k} = "{v}"\n' for k, v in descriptions.items()), encoding="utf-8"
        )

    write({key: value for key, value in korean.items() if key != "get_region_code"})
    with pytest.raises(
        SystemExit, match=r"no Korean description for get_region_code: add `get_region_code = "
    ):
        module.korean_rows("tools", rows)
    write({**korean, "get_removed_tool": "없어진 도구"})
    with pytest.raises(SystemExit, match="get_removed_tool no longer exist"):
        module.korean_rows("tools", rows)


@pytest.mark.parametrize("readme", [ENGLISH, KOREAN], ids=["README.md", "README.ko.md"])
def test_the_example_questions_lead_to_real_tools(readme: Path) -> None:
    tools = server_tool_names()
    text = readme.read_text(encoding="utf-8")
    section = text.split(QUESTIONS_HEADING[readme] + "\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| `([a-z_]+)` \|$", section, re.M)

    assert len(rows) >= 8
    for question, tool in rows:
        assert HANGUL.search(question), question
        assert tool in tools, tool


@pytest.mark.parametrize("readme", [ENGLISH, KOREAN], ids=["README.md", "README.ko.md"])
def test_every_dataset_the_server_calls_is_listed_with_its_page(readme: Path) -> None:
    """A user applies for exactly these on data.go.kr; the names are the ones the tools' errors print."""
    from mcp_server.molit.services import MOLIT_SERVICES

    rows = re.findall(
        r"^\| (`.+?`[^|]*) \| (\S[^|]*?) \| \[(\d+)\]\(https://www\.data\.go\.kr/data/(\d+)/\w+\.do\) \|$",
        readme.read_text(encoding="utf-8"),
        re.M,
    )
    listed = {name.split(" (")[0] for _tools, name, _number, _linked in rows}

    assert {service.dataset for service in MOLIT_SERVICES.values()} <= listed
    assert any(name.startswith("한국부동산원_청약홈") for name in listed)
    tools = server_tool_names()
    for named, _name, number, linked in rows:
        assert number == linked
        assert set(re.findall(r"`([a-z_]+)`", named)) <= tools, named
