"""The real-estate MCP server: MOLIT 실거래가, 청약홈 and 법정동 tools over stdio and streamable HTTP."""
