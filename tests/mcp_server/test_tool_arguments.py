"""tool_errors: our errors reach the client as ToolError text, with configured secrets removed."""

from __future__ import annotations

import pytest
from mcp.server.mcpserver.exceptions import ToolError

from mcp_server.errors import InvalidArgumentError, UpstreamResponseError
from mcp_server.tool_arguments import tool_errors
from mcp_server.upstream_http import install_log_redaction


def test_our_errors_become_tool_errors_with_their_message() -> None:
    with pytest.raises(ToolError, match="region_code must be"), tool_errors():
        raise InvalidArgumentError("region_code must be 5 digits")


def test_a_message_quoting_a_secret_is_redacted_on_the_way_out() -> None:
    install_log_redaction(["secret-for-tool-errors-test"])
    with pytest.raises(ToolError) as caught, tool_errors():
        raise UpstreamResponseError(
            "svc answered 'bad key secret-for-tool-errors-test at /x?serviceKey=abc'", service="svc"
        )
    assert "secret-for-tool-errors-test" not in str(caught.value)
    assert "serviceKey=abc" not in str(caught.value)


def test_other_exceptions_are_left_to_the_sdk() -> None:
    with pytest.raises(ZeroDivisionError), tool_errors():
        raise ZeroDivisionError
