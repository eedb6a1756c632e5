"""Tests of mcp_server.upstream."""
