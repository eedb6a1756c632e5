"""Tests of mcp_server.molit."""
