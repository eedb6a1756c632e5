"""docs/clients.md and docs/ko/clients.md: every configuration snippet parses, and everything it names exists.

A reader copies these snippets into Claude Desktop, Codex or a shell; a typo in a module path, a tool
renamed in the server or a variable that no settings class reads fails there, silently or with an error
that does not point back at the guide. So each fenced block is parsed as what its info string says
(json, toml, dotenv, bash) and checked against the code: `-m` modules import, tool names and their
arguments are the server's (read from its tool list, so added tools need no change here), variables
handed to the server are in .env.example, `./scripts/...` commands exist, and shell variables are
either the server's or set earlier in the guide. The Korean guide is held to the same checks, so a
snippet fixed in one cannot stay broken in the other. Each client's instructions cite that client's own
documentation in a footnote, and the Claude Code stdio command keeps the server name before `--env`
(anthropics/claude-code#62332).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest

from auth_gateway.authorization_server.redirect_rules import RedirectAllowlist
from mcp_server.config import Settings
from mcp_server.server import create_server

REPO = Path(__file__).resolve().parents[2]
GUIDES = [REPO / "docs" / "clients.md", REPO / "docs" / "ko" / "clients.md"]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)

each_guide = pytest.mark.parametrize("guide", GUIDES, ids=lambda path: str(path.relative_to(REPO)))


def blocks(guide: Path, language: str) -> list[str]:
    return [body for info, body in FENCE.findall(guide.read_text(encoding="utf-8")) if info == language]


def server_tools() -> dict[str, set[str]]:
    """tool name -> its argument names, from the server itself."""
    tools = asyncio.run(create_server(Settings(_env_file=None)).list_tools())
    return {tool.name: set(tool.input_schema.get("properties", {})) for tool in tools}


def env_example_variables() -> set[str]:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.M))


# Read by Python itself, not by our settings: it is how the snippets point at the checkout.
PROCESS_VARIABLES = {"PYTHONPATH"}


def server_entries(guide: Path) -> list[dict[str, Any]]:
    """Every MCP server entry of the JSON (mcpServers) and TOML (mcp_servers) snippets."""
    entries: list[dict[str, Any]] = []
    for body in blocks(guide, "json"):
        entries.extend(json.loads(body)["mcpServers"].values())
    for body in blocks(guide, "toml"):
        entries.extend(tomllib.loads(body)["mcp_servers"].values())
    return entries


def modules_run(argv: list[str]) -> list[str]:
    return [argv[index + 1] for index, word in enumerate(argv[:-1]) if word == "-m"]


@each_guide
def test_there_is_a_snippet_for_each_kind_of_configuration(guide: Path) -> None:
    assert len(blocks(guide, "json")) >= 2  # Claude Desktop, MCP Inspector
    assert len(blocks(guide, "toml")) >= 2  # Codex over HTTP and over stdio
    assert blocks(guide, "dotenv")
    assert blocks(guide, "bash")


@each_guide
def test_json_and_toml_snippets_parse_and_start_modules_that_exist(guide: Path) -> None:
    entries = server_entries(guide)
    assert entries
    for entry in entries:
        assert ("command" in entry) != ("url" in entry), entry  # stdio or HTTP, not both
        for module in modules_run(entry.get("args", [])):
            assert importlib.util.find_spec(module) is not None, module


@each_guide
def test_variables_handed_to_the_server_are_documented_settings(guide: Path) -> None:
    known = env_example_variables() | PROCESS_VARIABLES
    for entry in server_entries(guide):
        assert set(entry.get("env", {})) <= known, entry["env"]
    for body in blocks(guide, "dotenv"):
        names = re.findall(r"^([A-Z][A-Z0-9_]*)=", body, re.M)
        assert names
        assert set(names) <= known
    for body in blocks(guide, "bash"):
        assert set(re.findall(r"--env ([A-Z][A-Z0-9_]*)=", body)) <= known


@each_guide
def test_shell_snippets_use_existing_commands_modules_and_variables(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    for script in set(re.findall(r"\./scripts/([a-z0-9-]+)", text)):
        assert (REPO / "scripts" / script).is_file(), script
    assigned = set(re.findall(r"(?:^|\s|export )([A-Z][A-Z0-9_]*)=", "\n".join(blocks(guide, "bash"))))
    known = env_example_variables() | assigned
    for body in blocks(guide, "bash"):
        assert set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", body)) <= known, body
        argv = shlex.split(body.replace("\\\n", " "), comments=True)
        for module in modules_run(argv):
            assert importlib.util.find_spec(module) is not None, module


@each_guide
def test_the_codex_token_variable_is_one_the_guide_exports(guide: Path) -> None:
    exported = set(re.findall(r"export ([A-Z][A-Z0-9_]*)=", "\n".join(blocks(guide, "bash"))))
    for body in blocks(guide, "toml"):
        for entry in tomllib.loads(body)["mcp_servers"].values():
            if "bearer_token_env_var" in entry:
                assert entry["bearer_token_env_var"] in exported


@each_guide
def test_tool_names_and_arguments_are_the_servers(guide: Path) -> None:
    tools = server_tools()
    prefixes = {name.split("_", 1)[0] + "_" for name in tools}
    text = guide.read_text(encoding="utf-8")
    named = {word for word in re.findall(r"`([a-z]+_[a-z_]+)`", text) if word.startswith(tuple(prefixes))}
    named |= set(re.findall(r"--tool-name (\S+)", text))
    assert named, "the guide names no tool at all"
    assert named <= set(tools)
    for body in blocks(guide, "bash"):
        for tool, arguments in re.findall(r"--tool-name (\S+)((?: --tool-arg \S+)*)", body):
            keys = {argument.split("=", 1)[0] for argument in re.findall(r"--tool-arg (\S+)", arguments)}
            assert keys <= tools[tool], (tool, keys)


@each_guide
def test_the_callbacks_the_guide_says_are_allowed_are(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    callbacks = re.findall(r"`(https?://[^`]*(?:callback|redirect)[^`]*)`", text)
    callbacks += re.findall(r"`(https://chatgpt\.com/connector/oauth/[A-Za-z0-9_-]+)`", text)  # per-app

    assert len(callbacks) >= 5  # ChatGPT's two, Claude's two, MCP Inspector's
    allowlist = RedirectAllowlist()
    assert [uri for uri in callbacks if not allowlist.allows(uri)] == []


def claude_mcp_add_commands(guide: Path) -> list[list[str]]:
    """The words after `claude mcp add` of each such command in the shell snippets."""
    commands = []
    for body in blocks(guide, "bash"):
        for line in body.replace("\\\n", " ").splitlines():
            if line.startswith("claude mcp add "):
                commands.append(shlex.split(line, comments=True)[3:])
    return commands


@each_guide
def test_the_claude_code_stdio_command_names_the_server_before_env(guide: Path) -> None:
    with_env = [words for words in claude_mcp_add_commands(guide) if "--env" in words or "-e" in words]

    assert with_env, "the guide lost its Claude Code stdio example"
    for words in with_env:
        assert not words[0].startswith("-"), f"put the server name first (--env swallows it): {words}"
    lines = [line for body in blocks(guide, "bash") for line in body.splitlines()]
    assert any(line.startswith("claude mcp add-json ") for line in lines)


@each_guide
def test_every_client_section_cites_its_own_documentation(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    definitions = dict(re.findall(r"^\[\^([\w-]+)\]: (.*(?:\n    .*)*)", text, re.M))
    references = set(re.findall(r"(?<!\n)\[\^([\w-]+)\]", text))  # a definition starts a line

    assert references == set(definitions)
    for name, definition in definitions.items():
        assert re.search(r"https://\S+", definition), name
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        title = section.splitlines()[0]
        if any(client in title for client in ("ChatGPT", "Claude", "Codex", "Inspector")):
            assert re.search(r"(?<!\n)\[\^[\w-]+\]", section), f"{title}: cite the client's documentation"
