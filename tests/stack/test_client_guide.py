"""docs/clients.md: every configuration snippet parses, and everything it names exists.

A reader copies these snippets into Claude Desktop, Codex or a shell; a typo in a module path, a tool
renamed in the server or a variable that no settings class reads fails there, silently or with an error
that does not point back at the guide. So each fenced block is parsed as what its info string says
(json, toml, dotenv, bash) and checked against the code: `-m` modules import, tool names and their
arguments are the server's (read from its tool list, so added tools need no change here), variables
handed to the server are in .env.example, `./scripts/...` commands exist, and shell variables are
either the server's or set earlier in the guide.
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

from auth_gateway.redirect_uris import RedirectAllowlist
from mcp_server.config import Settings
from mcp_server.server import create_server

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "clients.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks(language: str) -> list[str]:
    return [body for info, body in FENCE.findall(GUIDE.read_text(encoding="utf-8")) if info == language]


def server_tools() -> dict[str, set[str]]:
    """tool name -> its argument names, from the server itself."""
    tools = asyncio.run(create_server(Settings(_env_file=None)).list_tools())
    return {tool.name: set(tool.input_schema.get("properties", {})) for tool in tools}


def env_example_variables() -> set[str]:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.M))


# Read by Python itself, not by our settings: it is how the snippets point at the checkout.
PROCESS_VARIABLES = {"PYTHONPATH"}


def server_entries() -> list[dict[str, Any]]:
    """Every MCP server entry of the JSON (mcpServers) and TOML (mcp_servers) snippets."""
    entries: list[dict[str, Any]] = []
    for body in blocks("json"):
        entries.extend(json.loads(body)["mcpServers"].values())
    for body in blocks("toml"):
        entries.extend(tomllib.loads(body)["mcp_servers"].values())
    return entries


def modules_run(argv: list[str]) -> list[str]:
    return [argv[index + 1] for index, word in enumerate(argv[:-1]) if word == "-m"]


def test_there_is_a_snippet_for_each_kind_of_configuration() -> None:
    assert len(blocks("json")) >= 2  # Claude Desktop, MCP Inspector
    assert len(blocks("toml")) >= 2  # Codex over HTTP and over stdio
    assert blocks("dotenv")
    assert blocks("bash")


def test_json_and_toml_snippets_parse_and_start_modules_that_exist() -> None:
    entries = server_entries()
    assert entries
    for entry in entries:
        assert ("command" in entry) != ("url" in entry), entry  # stdio or HTTP, not both
        for module in modules_run(entry.get("args", [])):
            assert importlib.util.find_spec(module) is not None, module


def test_variables_handed_to_the_server_are_documented_settings() -> None:
    known = env_example_variables() | PROCESS_VARIABLES
    for entry in server_entries():
        assert set(entry.get("env", {})) <= known, entry["env"]
    for body in blocks("dotenv"):
        names = re.findall(r"^([A-Z][A-Z0-9_]*)=", body, re.M)
        assert names
        assert set(names) <= known
    for body in blocks("bash"):
        assert set(re.findall(r"--env ([A-Z][A-Z0-9_]*)=", body)) <= known


def test_shell_snippets_use_existing_commands_modules_and_variables() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for script in set(re.findall(r"\./scripts/([a-z0-9-]+)", text)):
        assert (REPO / "scripts" / script).is_file(), script
    assigned = set(re.findall(r"(?:^|\s|export )([A-Z][A-Z0-9_]*)=", "\n".join(blocks("bash"))))
    known = env_example_variables() | assigned
    for body in blocks("bash"):
        assert set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", body)) <= known, body
        argv = shlex.split(body.replace("\\\n", " "), comments=True)
        for module in modules_run(argv):
            assert importlib.util.find_spec(module) is not None, module


def test_the_codex_token_variable_is_one_the_guide_exports() -> None:
    exported = set(re.findall(r"export ([A-Z][A-Z0-9_]*)=", "\n".join(blocks("bash"))))
    for body in blocks("toml"):
        for entry in tomllib.loads(body)["mcp_servers"].values():
            if "bearer_token_env_var" in entry:
                assert entry["bearer_token_env_var"] in exported


def test_tool_names_and_arguments_are_the_servers() -> None:
    tools = server_tools()
    prefixes = {name.split("_", 1)[0] + "_" for name in tools}
    text = GUIDE.read_text(encoding="utf-8")
    named = {word for word in re.findall(r"`([a-z]+_[a-z_]+)`", text) if word.startswith(tuple(prefixes))}
    named |= set(re.findall(r"--tool-name (\S+)", text))
    assert named, "the guide names no tool at all"
    assert named <= set(tools)
    for body in blocks("bash"):
        for tool, arguments in re.findall(r"--tool-name (\S+)((?: --tool-arg \S+)*)", body):
            keys = {argument.split("=", 1)[0] for argument in re.findall(r"--tool-arg (\S+)", arguments)}
            assert keys <= tools[tool], (tool, keys)


def test_the_callbacks_the_guide_says_are_allowed_are() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    callbacks = re.findall(r"`(https?://[^`]*(?:callback|redirect)[^`]*)`", text)
    callbacks += re.findall(r"`(https://chatgpt\.com/connector/oauth/[A-Za-z0-9_-]+)`", text)  # per-app

    assert len(callbacks) >= 5  # ChatGPT's two, Claude's two, MCP Inspector's
    allowlist = RedirectAllowlist()
    assert [uri for uri in callbacks if not allowlist.allows(uri)] == []
