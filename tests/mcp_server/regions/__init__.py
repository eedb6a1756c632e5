"""Tests of mcp_server.regions."""
