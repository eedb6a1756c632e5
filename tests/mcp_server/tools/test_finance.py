"""The finance tools through the SDK's in-memory client: schemas, results and error messages."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer

from mcp_server.tools import finance
from tests.mcp_server.server_setup import error_text

TOOLS = ("calculate_loan_payment", "calculate_compound_growth", "calculate_monthly_cashflow")


@pytest.fixture
def server() -> MCPServer:
    server = MCPServer("finance-test")
    finance.register(server)
    return server


async def _call(server: MCPServer, name: str, arguments: dict[str, Any]) -> Any:
    async with Client(server) as client:
        return await client.call_tool(name, arguments)


async def test_tools_are_listed_as_closed_world_calculators_with_units(server: MCPServer) -> None:
    async with Client(server) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}

    assert set(tools) == set(TOOLS)
    for tool in tools.values():
        assert tool.annotations is not None
        assert (tool.annotations.read_only_hint, tool.annotations.open_world_hint) == (True, False)
        assert tool.output_schema is not None
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), name
            if name.endswith("_10k"):
                assert "만원" in schema["description"], name
    loan = tools["calculate_loan_payment"].input_schema["properties"]
    assert loan["years"]["maximum"] == 50
    assert set(loan["method"]["enum"]) >= {"원리금균등", "원금균등", "만기일시"}


async def test_loan_payment_reference_arguments_and_fields(server: MCPServer) -> None:
    result = await _call(
        server, "calculate_loan_payment", {"principal_10k": 30000, "annual_rate_pct": 4, "years": 30}
    )

    assert not result.is_error
    data = result.structured_content
    assert data["monthly_payment_won"] == pytest.approx(1_432_246, abs=1)
    assert data["total_payment_10k"] == pytest.approx(data["principal_10k"] + data["total_interest_10k"])
    assert len(data["schedule"]) == 12


async def test_english_method_names_are_accepted(server: MCPServer) -> None:
    result = await _call(
        server,
        "calculate_loan_payment",
        {"principal_10k": 12000, "annual_rate_pct": 0, "years": 1, "method": "equal_principal"},
    )

    assert result.structured_content["method"] == "원금균등"
    assert result.structured_content["monthly_payment_10k"] == 1000


async def test_compound_growth_reference_arguments(server: MCPServer) -> None:
    result = await _call(
        server,
        "calculate_compound_growth",
        {"initial_10k": 10000, "monthly_contribution_10k": 100, "annual_rate_pct": 5, "years": 10},
    )

    data = result.structured_content
    assert {"final_value_10k", "total_contributed_10k", "total_gain_10k"} <= set(data)
    assert data["total_contributed_10k"] == 22000
    assert data["final_value_10k"] > 22000


async def test_cashflow_with_property_inputs(server: MCPServer) -> None:
    result = await _call(
        server,
        "calculate_monthly_cashflow",
        {"monthly_rent_10k": 100, "purchase_price_10k": 30000, "rent_deposit_10k": 6000},
    )

    assert not result.is_error
    assert result.structured_content["monthly_cashflow_10k"] == 100
    assert result.structured_content["gross_yield_pct"] == 5.0


@pytest.mark.parametrize(
    ("name", "arguments", "says"),
    [
        ("calculate_loan_payment", {"principal_10k": 30000, "annual_rate_pct": 4, "years": 80}, "50"),
        ("calculate_loan_payment", {"principal_10k": 0, "annual_rate_pct": 4, "years": 30}, "greater than 0"),
        ("calculate_compound_growth", {"initial_10k": 0, "annual_rate_pct": 4, "years": 5}, "initial_10k"),
        ("calculate_monthly_cashflow", {}, "monthly_rent_10k"),
        ("calculate_monthly_cashflow", {"monthly_rent_10k": 100, "loan_amount_10k": 1}, "annual_rate_pct"),
    ],
)
async def test_bad_input_is_a_tool_error_naming_what_to_fix(
    server: MCPServer, name: str, arguments: dict[str, Any], says: str
) -> None:
    assert says in error_text(await _call(server, name, arguments))
