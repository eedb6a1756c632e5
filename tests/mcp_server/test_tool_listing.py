"""Lean ``tools/list``: the slim schemas keep every name and type, and the list follows added tools."""

from __future__ import annotations

from typing import Any

import jsonschema
from mcp import Client
from pydantic import BaseModel

from mcp_server.tool_listing import LeanMCPServer, inline_single_use_defs, slim_schema


class Inner(BaseModel):
    title: str | None = None  # a field named like a keyword stays
    required: int = 1


class Outer(BaseModel):
    description: str
    amount: int | float | None = None
    first: Inner
    pair: list[Inner]
    single: Inner | None = None


def test_slim_output_schema_keeps_names_and_types_and_drops_the_rest() -> None:
    schema = slim_schema(Outer.model_json_schema(), output=True)
    assert schema["properties"]["description"] == {"type": "string"}
    assert schema["properties"]["amount"] == {"type": ["number", "null"]}
    assert set(schema["$defs"]["Inner"]["properties"]) == {"title", "required"}
    assert schema["$defs"]["Inner"]["properties"]["title"] == {"type": ["string", "null"]}
    assert "title" not in schema
    assert "required" not in schema


def test_slim_input_schema_keeps_descriptions_and_real_defaults() -> None:
    schema = slim_schema(
        {
            "title": "toolArguments",
            "type": "object",
            "properties": {
                "limit": {"title": "Limit", "type": "integer", "default": 30, "description": "How many."},
                "page": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
            },
            "required": ["limit"],
        }
    )
    assert schema == {
        "type": "object",
        "properties": {
            "limit": {"type": "integer", "default": 30, "description": "How many."},
            "page": {"type": "integer"},  # optional: leaving it out says none
        },
        "required": ["limit"],
    }


def test_definitions_used_once_are_inlined_and_shared_ones_kept() -> None:
    schema = inline_single_use_defs(slim_schema(Outer.model_json_schema(), output=True))
    assert set(schema["$defs"]) == {"Inner"}  # first, pair and single all refer to it
    once = inline_single_use_defs(
        {"$defs": {"A": {"type": "object"}}, "properties": {"a": {"$ref": "#/$defs/A"}}}
    )
    assert once == {"properties": {"a": {"type": "object"}}}


def test_results_validate_against_the_slim_schema() -> None:
    value = Outer(description="d", amount=2, first=Inner(), pair=[Inner(title="t")]).model_dump(mode="json")
    full = Outer.model_json_schema()
    slim = inline_single_use_defs(slim_schema(full, output=True))
    jsonschema.validate(value, full)
    jsonschema.validate(value, slim)


async def test_the_list_is_built_once_and_follows_added_tools() -> None:
    server = LeanMCPServer(name="t")

    def first() -> Any:
        """First."""
        return 1

    def second() -> Any:
        """Second."""
        return 2

    server.add_tool(first)
    assert await server.list_tools() is await server.list_tools()
    server.add_tool(second)
    async with Client(server) as client:
        assert [tool.name for tool in (await client.list_tools()).tools] == ["first", "second"]
    server.remove_tool("first")
    assert [tool.name for tool in await server.list_tools()] == ["second"]
