"""``tools/list`` built once, from lean schemas: clients read the whole list on every connection.

Pydantic's JSON Schema is written for a person reading one model: a ``title`` on every property (the
field name again), ``"default": null`` on every optional field, ``anyOf: [{type: X}, {type: null}]``
for each nullable one, and every model in ``$defs`` even when used once. Over 19 tools that was 120 KB,
most of it repeated, rebuilt and re-validated on every request (~50 ms). ``LeanMCPServer`` answers from
a list built on first use (and again after a tool is added or removed) whose schemas carry the same
names and types with less: see ``slim_schema`` and ``inline_single_use_defs``. Arguments are still
checked by the SDK's own model of each tool, and every result still validates against its slim schema.
The budget (tests/mcp_server/test_tools_list.py) is 64 KiB for all tools.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import Tool as MCPTool

__all__ = ["LeanMCPServer", "inline_single_use_defs", "slim_schema"]

# Keywords whose value is a map of name → subschema; the names are data, not keywords.
_SCHEMA_MAPS = ("properties", "$defs", "patternProperties")
# Keywords whose value is a subschema or a list of subschemas.
_SUBSCHEMAS = ("items", "additionalProperties", "not", "if", "then", "else")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
# Dropped from output schemas (``additionalProperties`` only when ``false``: a dict's value schema stays).
_OUTPUT_ONLY_NOISE = ("description", "required", "additionalProperties")


def slim_schema(schema: dict[str, Any], *, output: bool = False) -> dict[str, Any]:
    """A copy of ``schema`` without titles and null defaults, nullable scalars as type lists, and
    optional arguments as their type (``_not_null``).

    ``output``: an output schema also loses its descriptions, defaults, ``required`` lists and
    ``additionalProperties: false``: it tells a client the names and types in ``structuredContent``,
    and a result still validates against it. What the figures mean is said once, in the server
    instructions, the tool description and the result itself (``amount_unit``, ``notes``,
    ``empty_reason``), not again in each of the twelve 실거래가 tools' schemas; which fields are always
    there is plain from any result. These cuts took the output schema of a 실거래가 tool from 6.3 KB to
    under 2 KB."""
    if not output and "default" in schema and schema["default"] is None:
        schema = _not_null(schema)
    slim: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and (value is None or output):
            continue
        if output and key in _OUTPUT_ONLY_NOISE and not isinstance(value, dict):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            slim[key] = {name: slim_schema(sub, output=output) for name, sub in value.items()}
        elif key in _SUBSCHEMAS and isinstance(value, dict):
            slim[key] = slim_schema(value, output=output)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            slim[key] = [slim_schema(sub, output=output) if isinstance(sub, dict) else sub for sub in value]
        else:
            slim[key] = value
    return _type_list(slim)


def inline_single_use_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every ``$defs`` entry referenced once put in place of its ``$ref``.

    A definition pays for itself only when it is shared; one used once costs its name twice and the
    ``$ref`` wrapper. Recursive definitions (which refer to themselves) are kept."""
    defs: dict[str, Any] = schema.get("$defs", {})
    counts: dict[str, int] = {}
    _count_refs(schema, counts)
    inline = {
        name
        for name, definition in defs.items()
        if counts.get(name, 0) == 1 and not _refers_to(definition, name)
    }
    if not inline:
        return schema

    def substitute(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_DEFS) and ref[len(_DEFS) :] in inline:
                siblings = {k: substitute(v) for k, v in node.items() if k != "$ref"}
                return {**substitute(defs[ref[len(_DEFS) :]]), **siblings}
            return {k: substitute(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [substitute(item) for item in node]
        return node

    result: dict[str, Any] = substitute(schema)
    kept = {name: substitute(d) for name, d in defs.items() if name not in inline}
    if kept:
        result["$defs"] = kept
    return result


_DEFS = "#/$defs/"


def _count_refs(node: Any, counts: dict[str, int]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS):
            counts[ref[len(_DEFS) :]] = counts.get(ref[len(_DEFS) :], 0) + 1
        for value in node.values():
            _count_refs(value, counts)
    elif isinstance(node, list):
        for item in node:
            _count_refs(item, counts)


def _refers_to(node: Any, name: str) -> bool:
    counts: dict[str, int] = {}
    _count_refs(node, counts)
    return name in counts


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An argument defaulting to null, published as its type: leaving it out is how a client says
    "none" (the SDK's argument model still accepts an explicit null)."""
    options = schema.get("anyOf")
    if not isinstance(options, list) or {"type": "null"} not in options:
        return schema
    kept = [option for option in options if option != {"type": "null"}]
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept[0], **rest} if len(kept) == 1 else {**rest, "anyOf": kept}


def _type_list(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf`` of bare types (``int | float | None``) → ``"type": ["number", "null"]``."""
    options = schema.get("anyOf")
    if not options or not all(isinstance(o, dict) and set(o) == {"type"} for o in options):
        return schema
    types = [o["type"] for o in options]
    if "number" in types and "integer" in types:  # every integer is a JSON Schema number
        types.remove("integer")
    merged = {key: value for key, value in schema.items() if key != "anyOf"}
    merged["type"] = types[0] if len(types) == 1 else types
    return merged


def _slim_tool(tool: MCPTool) -> MCPTool:
    output = tool.output_schema
    if output is not None:
        output = inline_single_use_defs(slim_schema(output, output=True))
    return tool.model_copy(
        update={
            "description": None if tool.description is None else _one_line_breaks(tool.description),
            "input_schema": inline_single_use_defs(slim_schema(tool.input_schema)),
            "output_schema": output,
        }
    )


def _one_line_breaks(text: str) -> str:
    """A docstring without its indentation: paragraphs kept, lines inside a paragraph joined."""
    paragraphs = (" ".join(block.split()) for block in text.split("\n\n"))
    return "\n".join(paragraph for paragraph in paragraphs if paragraph)


class LeanMCPServer(MCPServer[None]):
    """``MCPServer`` whose ``tools/list`` answer is built once, from slim schemas."""

    _listed: list[MCPTool] | None = None

    async def list_tools(self) -> list[MCPTool]:
        if self._listed is None:
            self._listed = [_slim_tool(tool) for tool in await super().list_tools()]
        return self._listed

    def add_tool(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._listed = None
        super().add_tool(fn, *args, **kwargs)

    def remove_tool(self, name: str) -> None:
        self._listed = None
        super().remove_tool(name)
